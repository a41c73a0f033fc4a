"""Whoosh's Or and Require, with the behaviour this index needs.

Kept apart so every query in the package is built from the same parts.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Iterator

from whoosh import query as whoosh_query
from whoosh import sorting
from whoosh.matching import ListMatcher, Matcher, NullMatcher, ReadTooFar, RequireMatcher
from whoosh.reading import IndexReader
from whoosh.searching import SearchContext, Searcher
from whoosh.sorting import ColumnCategorizer


class Or(whoosh_query.Or):
    """Whoosh's Or, always matched lazily.

    On indexes under 5,000 documents Whoosh preloads every sub-query's
    postings into arrays; with 50 KB texts a common syllable's postings are
    the whole index, and preloading cost more than the rest of the search.
    """

    matcher_type = whoosh_query.Or.DEFAULT_MATCHER


class _RequireMatcher(RequireMatcher):
    """Whoosh's RequireMatcher without block-quality skipping.

    Its ``skip_to_quality`` can land both sides on one document and then
    trips an assertion (whoosh-reloaded 2.7.5), whenever a search runs with
    no facets; a filter has no quality to skip by anyway.
    """

    def supports_block_quality(self) -> bool:
        return False


class Require(whoosh_query.Require):
    """Matches ``a`` where ``b`` also matches, scored by ``a`` alone: a filter in the tree."""

    def matcher(self, searcher: Searcher, context: SearchContext | None = None) -> Matcher:
        scored = self.a.matcher(searcher, context)
        if isinstance(self.b, DocSet) and self.b.covers(searcher):
            # Every live document passes (all public works): the filter would
            # only add a layer to step through for every match.
            return scored
        return _RequireMatcher(scored, self.b.matcher(searcher, searcher.boolean_context()))


class _IdsMatcher(ListMatcher):
    """A sorted list of document numbers, skipped through by bisection."""

    def skip_to(self, id: int) -> None:  # noqa: A002 - Whoosh's parameter name
        if not self.is_active():
            raise ReadTooFar
        self._i = bisect_left(self._ids, id, self._i)

    def copy(self) -> _IdsMatcher:
        return _IdsMatcher(self._ids, position=self._i)

    def all_ids(self) -> Iterator[int]:
        return iter(self._ids[self._i :])


# Filters kept across searches: (segment id, deletions, filter) → sorted docnums.
# A segment never changes except by gaining deletions, so the key is exact.
DOCSET_CACHE_SIZE = 128
_cache: OrderedDict[tuple[str, int, str], array[int]] = OrderedDict()
_cache_lock = threading.Lock()


def _cache_key(searcher: Searcher, query: whoosh_query.Query) -> tuple[str, int, str] | None:
    segment = searcher.reader().segment()
    if segment is None:
        return None
    return (segment.segment_id(), segment.deleted_count(), repr(query))


class DocSet(whoosh_query.Query):
    """A filter worked out once per segment: the documents ``query`` matches, as a list.

    Visibility and readability filters are unions of audience terms and,
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
        key = _cache_key(searcher, self.query)
        if key is not None:
            with _cache_lock:
                ids = _cache.get(key)
                if ids is not None:
                    _cache.move_to_end(key)
                    return ids
        ids = array("i", sorted(self.query.docs(searcher)))
        if key is not None:
            with _cache_lock:
                _cache[key] = ids
                while len(_cache) > DOCSET_CACHE_SIZE:
                    _cache.popitem(last=False)
        return ids

    def covers(self, searcher: Searcher) -> bool:
        """True when every live document of this (segment) searcher passes the filter."""
        return len(self._ids(searcher)) == searcher.reader().doc_count()

    def estimate_size(self, ixreader: object) -> int:
        found = self._docs.get(id(ixreader))
        if found is not None and found[0] is ixreader:
            return len(found[1])
        return ixreader.doc_count_all()  # type: ignore[attr-defined]

    def docs(self, searcher: Searcher) -> Iterator[int]:
        return iter(self._ids(searcher))

    def matcher(self, searcher: Searcher, context: SearchContext | None = None) -> Matcher:
        ids = self._ids(searcher)
        return _IdsMatcher(ids) if ids else NullMatcher


def matching_among(
    searcher: Searcher, query: whoosh_query.Query, docnums: Iterable[int]
) -> set[int]:
    """Which of ``docnums`` (a page of hits) ``query`` matches.

    One matcher per segment, skipped to each docnum: no id lookups and no
    walk along the query's postings beyond the page.
    """
    found: set[int] = set()
    wanted = sorted(docnums)
    for sub, offset in searcher.leaf_searchers():
        end = offset + sub.reader().doc_count_all()
        local = [d - offset for d in wanted if offset <= d < end]
        if not local:
            continue
        matcher = query.matcher(sub, sub.boolean_context())
        for docnum in local:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                found.add(docnum + offset)
    return found


# Facet values per segment: (segment id, field) → the value of every docnum.
# A segment's columns never change (deletions do not touch them).
_names_cache: OrderedDict[tuple[str, str], list[object]] = OrderedDict()
NAMES_CACHE_SIZE = 64


def _column_names(reader: IndexReader, fieldname: str, fieldobj: object) -> list[object]:
    def read() -> list[object]:
        column = reader.column_reader(fieldname, translate=False)
        to_name = fieldobj.from_column_value  # type: ignore[attr-defined]
        return [to_name(column.sort_key(d)) for d in range(reader.doc_count_all())]

    segment = reader.segment()
    if segment is None:
        return read()
    key = (segment.segment_id(), fieldname)
    with _cache_lock:
        names = _names_cache.get(key)
        if names is not None:
            _names_cache.move_to_end(key)
            return names
    names = read()
    with _cache_lock:
        _names_cache[key] = names
        while len(_names_cache) > NAMES_CACHE_SIZE:
            _names_cache.popitem(last=False)
    return names


class _CachedColumnCategorizer(ColumnCategorizer):
    """Whoosh's column categorizer with each segment's values read once, into a list."""

    def set_searcher(self, segment_searcher: Searcher, docoffset: int) -> None:
        reader = segment_searcher.reader()
        self._names = _column_names(reader, self._fieldname, self._fieldobj)

    def key_for(self, matcher: Matcher, segment_docnum: int) -> object:
        return self._names[segment_docnum]

    def key_to_name(self, key: object) -> object:
        return key


class CountedFacet(sorting.FieldFacet):
    """Whoosh's FieldFacet for grouping; counts read values from a per-segment list.

    Grouping looked every matching document's value up in the column file,
    once per facet: seven lookups a match. The values are the same.
    """

    def categorizer(self, global_searcher: Searcher) -> sorting.Categorizer:
        if (
            not self.allow_overlap
            and not self.reverse
            and global_searcher.reader().has_column(self.fieldname)
        ):
            return _CachedColumnCategorizer(global_searcher, self.fieldname)
        return super().categorizer(global_searcher)
