"""Searching on behalf of an actor: the access module's scope, then the index."""

from __future__ import annotations

from sqlalchemy.orm import Session

from repo_app import resources
from repo_app.access import Actor, search_scope
from repo_app.models import Work
from repo_app.services.indexing import work_text
from search.query import MAX_QUERY_CHARS
from search.results import SORTS, Hit, SearchRequest, SearchResults
from search.schema import FACETS


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

    return resources.index().search(request, search_scope(actor), text_for=text_for)


def more_like_this(actor: Actor, work: Work, limit: int = 5) -> list[Hit]:
    return resources.index().more_like_this(str(work.id), search_scope(actor), limit=limit)
