"""The plain dataclasses a search takes and returns; nothing Whoosh crosses this edge."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

# Facets every result list is counted by, in the order they are offered.
FACETS = ("faculty", "type", "degree_level", "year", "author", "language", "access", "source")
# Facets with more values than a page can list: only the most frequent are answered.
FACET_LIMITS = {"author": 20}
# Orders offered for a query; without one there is no relevance to sort by.
SORTS = ("relevance", "newest", "title")
BROWSE_SORTS = ("newest", "title")
# Longer queries are cut (with a notice): a query's cost grows with its words.
MAX_QUERY_CHARS = 1000


@dataclass
class SearchRequest:
    """One search as the user asked for it; unchecked, the index clamps and repairs it.

    ``sort`` empty: the default order (relevance for a query, newest without one).
    """

    q: str = ""
    page: int = 1
    per_page: int = 20
    sort: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass
class Hit:
    """One work in a result list, renderable without the database.

    ``snippet`` is safe HTML: everything escaped, matches wrapped in ``<mark>``.
    ``text_matched`` says the query matched the work's full text (which the
    searcher may read), not only its metadata.
    """

    id: str
    title: str
    url: str
    creators: tuple[str, ...]
    year: int | None
    faculty: str
    type: str
    degree_level: str
    language: str
    access: str
    embargo_until: date | None
    source: str
    snippet: str
    text_matched: bool


@dataclass
class FacetValue:
    """One value of a facet and how many visible works in the result set have it."""

    value: str
    count: int


# What a repair to a search request is called (a code the app words in the reader's
# language: search imports nothing from the app) and its English wording, for logs, the
# command line and tests; ``{}`` is the notice's detail.
NOTICE_TEXTS = {
    "plain_words": "The query could not be read as written; its words were searched instead.",
    "too_long": "The query was too long; only its first words were searched.",
    "nothing_to_search": "The query had no words to search for; all works are listed.",
    "page": "The page asked for does not exist; the nearest page is shown.",
    "sort": "Unknown sort order; results are in the default order.",
    "filter": "Unknown filter ignored: {}.",
}


@dataclass(frozen=True)
class Notice:
    """A repair made to a search request: a code of ``NOTICE_TEXTS`` and what it concerns
    (the unknown filters' names)."""

    code: str
    detail: str = ""

    @property
    def english(self) -> str:
        return NOTICE_TEXTS[self.code].format(self.detail)


@dataclass
class SearchResults:
    """One page of results; ``notice`` explains any repair made to the request.

    ``sort`` is the order applied and ``sorts`` the orders a results page
    offers (no relevance without a query).
    """

    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    notice: str | None = None  # the notices in English, until the app words them
    sort: str = ""
    sorts: tuple[str, ...] = ()
    notices: tuple[Notice, ...] = ()
