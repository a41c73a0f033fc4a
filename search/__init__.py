"""Full-text search over the repository's works.

This package owns everything Whoosh: the analyzers, the schema, the single
writer and the queries. Nothing outside it imports whoosh, and it imports
nothing from Flask, SQLAlchemy or ``repo_app``: callers hand it plain
dataclasses (``WorkDocument``, ``Scope``) and get plain dataclasses back.

Importing the package does not import the engine: the plain dataclasses
load alone (``repo_app.access`` needs ``Scope`` and nothing else), and
``SearchIndex`` imports Whoosh on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from search.documents import Scope, WorkDocument
from search.errors import IndexMissingError, IndexOutdatedError
from search.results import FacetValue, Hit, SearchRequest, SearchResults

if TYPE_CHECKING:
    from search.index import SearchIndex

__all__ = [
    "FacetValue",
    "Hit",
    "IndexMissingError",
    "IndexOutdatedError",
    "Scope",
    "SearchIndex",
    "SearchRequest",
    "SearchResults",
    "WorkDocument",
]


def __getattr__(name: str) -> object:
    """``search.SearchIndex``, imported (with Whoosh) only when someone asks for it."""
    if name == "SearchIndex":
        from search.index import SearchIndex

        return SearchIndex
    raise AttributeError(f"module 'search' has no attribute {name!r}")
