"""Searching on behalf of an actor: the access module's scope, then the index."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from repo_app import resources
from repo_app.access import Actor, search_scope
from repo_app.models import Work
from repo_app.services.indexing import texts_of
from repo_app.services.works import in_vocabulary
from repo_app.vocab import AccessLevel, DegreeLevel, WorkType
from search.documents import Scope
from search.errors import IndexMissingError
from search.results import (
    FACETS,
    MAX_QUERY_CHARS,
    SORTS,
    Hit,
    Notice,
    SearchRequest,
    SearchResults,
)

# The search package's notices (search.results.NOTICE_TEXTS) in the reader's language.
NOTICE_MESSAGES = {
    "plain_words": _l("The query could not be read as written; its words were searched "
                      "instead."),
    "too_long": _l("The query was too long; only its first words were searched."),
    "nothing_to_search": _l("The query had no words to search for; all works are listed."),
    "page": _l("The page asked for does not exist; the nearest page is shown."),
    "sort": _l("Unknown sort order; results are in the default order."),
    "filter": _l("Unknown filter ignored: %(names)s."),
}


def notice_text(notice: Notice) -> str:
    """One notice in the reader's language (English for a code this table lacks)."""
    message = NOTICE_MESSAGES.get(notice.code)
    return str(message) % {"names": notice.detail} if message is not None else notice.english


def _worded(results: SearchResults) -> SearchResults:
    if not results.notices:
        return results
    return replace(results, notice=" ".join(notice_text(n) for n in results.notices))


def build_request(args: dict[str, list[str]]) -> SearchRequest:
    """A search request from query-string values; bad values become defaults, never errors."""
    def first(name: str, default: str = "") -> str:
        values = args.get(name) or [default]
        return values[0]

    try:
        page = int(first("page", "1"))
    except ValueError:
        page = 1
    sort = first("sort")
    filters = {name: [v for v in args.get(name, []) if v] for name in FACETS}
    return SearchRequest(
        q=first("q")[:MAX_QUERY_CHARS],
        page=page,
        sort=sort if sort in SORTS else "",
        filters={k: v for k, v in filters.items() if v},
    )


# The filters whose values come from a fixed vocabulary (faculties, years, languages and
# libraries are open lists: an unknown one simply matches nothing).
VOCABULARY_FILTERS = {"type": WorkType, "degree_level": DegreeLevel, "access": AccessLevel}


def check_vocabularies(args: dict[str, list[str]]) -> None:
    """For scripts (the API): an unknown sort or vocabulary value is a 400 that lists the
    allowed ones, where the web page quietly sets it aside (``build_request``)."""
    for name, vocabulary in VOCABULARY_FILTERS.items():
        for value in args.get(name, []):
            if value:
                in_vocabulary(name, value, [v.value for v in vocabulary if v.value])
    for value in args.get("sort", []):
        if value:
            in_vocabulary("sort", value, list(SORTS))


def search(db: Session, actor: Actor, request: SearchRequest) -> SearchResults:
    """Results the actor may see; full text matches and snippets only where they may read.

    An index that is missing or must be rebuilt answers with no results and
    a notice (the error is logged for the librarians), never an error page.
    """
    def texts_for(ids: Sequence[str]) -> dict[str, str]:
        return texts_of(db, ids)

    try:
        return _worded(resources.index().search(request, scope_of(actor), texts_for=texts_for))
    except IndexMissingError as error:
        current_app.logger.error("search unavailable: %s", error)
        notice = _("Search is unavailable while the index is rebuilt; please try again later.")
        return SearchResults(total=0, page=1, per_page=request.per_page, hits=[],
                             facets={name: [] for name in FACETS}, notice=notice)


# How many of the newest works an empty result page offers, so it is no dead end.
RECENT_ON_EMPTY_PAGE = 5


def recent(db: Session, actor: Actor, limit: int = RECENT_ON_EMPTY_PAGE) -> list[Hit]:
    """The newest works the actor may see: what a search that found nothing offers instead."""
    return search(db, actor, SearchRequest(sort="newest", per_page=limit)).hits


def more_like_this(actor: Actor, work: Work, limit: int = 5) -> list[Hit]:
    """Visible works like ``work``; none while the index is unavailable."""
    try:
        return resources.index().more_like_this(str(work.id), scope_of(actor), limit=limit)
    except IndexMissingError:
        return []


def scope_of(actor: Actor) -> Scope:
    """What ``actor`` may find, under the policy configured now (never the one indexed under)."""
    return search_scope(actor, resources.policy())
