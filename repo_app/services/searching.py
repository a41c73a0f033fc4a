"""Searching on behalf of an actor: the access module's scope, then the index."""

from __future__ import annotations

from sqlalchemy.orm import Session

from repo_app import resources
from repo_app.access import Actor, search_scope
from repo_app.models import Work
from repo_app.services.indexing import work_text
from search.results import Hit, SearchRequest, SearchResults

FACETS = ("faculty", "type", "degree_level", "year", "language", "access", "source")
SORTS = ("relevance", "newest", "title")
MAX_QUERY_CHARS = 1000


def build_request(args: dict[str, list[str]]) -> SearchRequest:
    """A search request from query-string values; bad values become defaults, never errors."""
    def first(name: str, default: str = "") -> str:
        values = args.get(name) or [default]
        return values[0]

    try:
        page = int(first("page", "1"))
    except ValueError:
        page = 1
    sort = first("sort", "relevance")
    filters = {name: [v for v in args.get(name, []) if v] for name in FACETS}
    return SearchRequest(
        q=first("q")[:MAX_QUERY_CHARS],
        page=page,
        sort=sort if sort in SORTS else "relevance",
        filters={k: v for k, v in filters.items() if v},
    )


def search(db: Session, actor: Actor, request: SearchRequest) -> SearchResults:
    """Results the actor may see; full text matches and snippets only where they may read."""
    def text_for(work_id: str) -> str:
        work = db.get(Work, int(work_id))
        return work_text(work) if work is not None else ""

    scope = search_scope(actor, policy=resources.policy())
    return resources.index().search(request, scope, text_for=text_for)


def more_like_this(actor: Actor, work: Work, limit: int = 5) -> list[Hit]:
    scope = search_scope(actor, policy=resources.policy())
    return resources.index().more_like_this(str(work.id), scope, limit=limit)
