"""The plain dataclasses a search takes and returns; nothing Whoosh crosses this edge."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

SORTS = ("relevance", "newest", "title")


@dataclass
class SearchRequest:
    """One search as the user asked for it; unchecked, the index clamps and repairs it."""

    q: str = ""
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"
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


@dataclass
class SearchResults:
    """One page of results; ``notice`` explains any repair made to the request."""

    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    notice: str | None = None
