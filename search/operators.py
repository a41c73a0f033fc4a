"""Query nodes of our own: ``Require`` (a filter in the tree) and ``DocSet`` (a cached filter).

``search.vectors`` evaluates both; they remain Whoosh queries, so Whoosh's
own matchers can run the same trees (the tests compare the two).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

from whoosh import query as whoosh_query
from whoosh.matching import Matcher, NullMatcher
from whoosh.searching import SearchContext, Searcher

from search.caching import BoundedCache, segment_state
from search.whoosh_private import IdsMatcher


class Require(whoosh_query.Require):
    """Matches ``a`` where ``b`` also matches, scored by ``a`` alone: a filter in the tree."""


# Filters kept across searches: (segment id, deletions, filter) → sorted docnums.
# A segment never changes except by gaining deletions, so the key is exact.
_filters = BoundedCache(share=0.125)


def _cache_key(searcher: Searcher, query: whoosh_query.Query) -> tuple[str, int, str] | None:
    state = segment_state(searcher.reader())
    return None if state is None else (*state, repr(query))


class DocSet(whoosh_query.Query):
    """A filter worked out once per segment: the documents ``query`` matches, as a list.

    Visibility and readability filters are unions of level terms and,
    for embargoes, a numeric range; evaluated in the query tree they were
    re-planned and re-read for every full-text term they guard (a numeric
    range expands to its terms each time it is sized). As a DocSet they are
    read once per segment, kept for later searches with the same filter
    (keyed by the query's repr, which names every token, id and date), and
    then cost a bisection per skip. Only for use as the filter side of
    ``Require``: it matches, it does not score.
    """

    def __init__(self, query: whoosh_query.Query) -> None:
        self.query = query
        # id(reader) → (reader, sorted docnums); the reader is kept so its id is not reused.
        self._docs: dict[int, tuple[object, array[int]]] = {}

    def __repr__(self) -> str:
        return f"DocSet({self.query!r})"

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __copy__(self) -> DocSet:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> DocSet:
        return self

    def _ids(self, searcher: Searcher) -> array[int]:
        reader = searcher.reader()
        found = self._docs.get(id(reader))
        if found is None or found[0] is not reader:
            found = self._docs[id(reader)] = (reader, self._read(searcher))
        return found[1]

    def _read(self, searcher: Searcher) -> array[int]:
        def read() -> array[int]:
            return array("i", sorted(self.query.docs(searcher)))

        key = _cache_key(searcher, self.query)
        return read() if key is None else _filters.get(key, read, lambda ids: ids.itemsize * len(ids))

    def ids(self, searcher: Searcher) -> array[int]:
        """The sorted docnums the filter passes in ``searcher`` (a segment searcher)."""
        return self._ids(searcher)

    def estimate_size(self, ixreader: object) -> int:
        found = self._docs.get(id(ixreader))
        if found is not None and found[0] is ixreader:
            return len(found[1])
        return ixreader.doc_count_all()  # type: ignore[attr-defined]

    def docs(self, searcher: Searcher) -> Iterator[int]:
        return iter(self._ids(searcher))

    def matcher(self, searcher: Searcher, context: SearchContext | None = None) -> Matcher:
        ids = self._ids(searcher)
        return IdsMatcher(ids) if ids else NullMatcher
