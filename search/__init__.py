"""Full-text search over the repository's works.

This package owns everything Whoosh: the analyzers, the schema, the single
writer and the queries. Nothing outside it imports whoosh, and it imports
nothing from Flask, SQLAlchemy or ``repo_app``: callers hand it plain
dataclasses (``WorkDocument``, ``Scope``) and get plain dataclasses back.
"""

from search.documents import Scope, WorkDocument
from search.index import SearchIndex
from search.rebuild import IndexMissingError
from search.results import FacetValue, Hit, SearchRequest, SearchResults

__all__ = [
    "FacetValue",
    "Hit",
    "IndexMissingError",
    "Scope",
    "SearchIndex",
    "SearchRequest",
    "SearchResults",
    "WorkDocument",
]
