"""Per-document values of the sortable fields, as arrays: facet counts and sort keys.

Whoosh looks a matching document's value up in the column file once per
facet and per sort key; here each segment's column is read once into an
array of codes (kept while the segment lives) and a facet count is one
``bincount`` over the documents that matched. A column holding a list per
document (every author of a work) is split once into (document, value)
pairs, counted the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from whoosh.searching import Searcher

from search.caching import BoundedCache, segment_key

_columns = BoundedCache(share=0.25)


@dataclass(frozen=True)
class Column:
    """A field's distinct ``values`` and, per global docnum, the index of its value."""

    values: list[object]
    codes: np.ndarray = field(repr=False)

    def counts(self, mask: np.ndarray) -> dict[object, int]:
        """How many documents in ``mask`` have each value (values with none left out)."""
        tally = np.bincount(self.codes[mask], minlength=len(self.values))
        return {value: int(n) for value, n in zip(self.values, tally, strict=True) if n}

    @cached_property
    def ranks(self) -> np.ndarray:
        """Each document's place in the sorted order of values: a sort key."""
        order = sorted(range(len(self.values)), key=lambda i: _sortable(self.values[i]))
        rank = np.empty(len(self.values), np.int64)
        rank[order] = np.arange(len(order))
        return rank[self.codes]


@dataclass(frozen=True)
class ListColumn:
    """A column of joined lists, split: per (document, value) pair, the document and the value."""

    values: list[str]
    docs: np.ndarray = field(repr=False)
    codes: np.ndarray = field(repr=False)

    def counts(self, mask: np.ndarray) -> dict[object, int]:
        """How many documents in ``mask`` hold each value (a document counts once per value)."""
        tally = np.bincount(self.codes[mask[self.docs]], minlength=len(self.values))
        return {value: int(n) for value, n in zip(self.values, tally, strict=True) if n}


def _sortable(value: object) -> tuple[bool, object]:
    return (value is None, value if value is not None else "")


def column(searcher: Searcher, fieldname: str) -> Column:
    """The column of ``fieldname`` over the whole index (every segment, in docnum order)."""
    parts = [_segment_column(sub, fieldname) for sub, _ in searcher.leaf_searchers()]
    if len(parts) == 1:
        return parts[0]
    keys = tuple(segment_key(sub.reader()) for sub, _ in searcher.leaf_searchers())
    if None in keys:
        return _merged(parts)
    return _columns.get((keys, fieldname), lambda: _merged(parts), _weight)


def list_column(searcher: Searcher, fieldname: str, separator: str) -> ListColumn:
    """The column of ``fieldname``, whose values are ``separator``-joined lists, split."""
    whole = column(searcher, fieldname)
    keys = tuple(segment_key(sub.reader()) for sub, _ in searcher.leaf_searchers())
    if None in keys:
        return _split(whole, separator)
    return _columns.get((keys, fieldname, separator), lambda: _split(whole, separator), _weight)


def _split(whole: Column, separator: str) -> ListColumn:
    """Pairs from the joined values: each distinct joined value is split once, then every
    document is expanded to its values with whole-array operations."""
    index: dict[str, int] = {}
    lists = [[index.setdefault(v, len(index)) for v in str(joined or "").split(separator) if v]
             for joined in whole.values]
    lengths = np.array([len(codes) for codes in lists], np.int64)
    flat = np.array([code for codes in lists for code in codes], np.int32)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    per_doc = lengths[whole.codes]
    docs = np.repeat(np.arange(len(whole.codes)), per_doc)
    firsts = np.repeat(np.cumsum(per_doc) - per_doc, per_doc)
    places = np.repeat(starts[whole.codes], per_doc) + np.arange(len(docs)) - firsts
    return ListColumn(list(index), docs, flat[places] if len(flat) else flat)


def _segment_column(sub: Searcher, fieldname: str) -> Column:
    reader = sub.reader()

    def read() -> Column:
        if not reader.has_column(fieldname):
            # An empty index, or a segment written before the field had a column.
            return Column([None], np.zeros(reader.doc_count_all(), np.int32))
        fieldobj = reader.schema[fieldname]
        stored = reader.column_reader(fieldname, translate=False)
        index: dict[object, int] = {}
        names = (fieldobj.from_column_value(stored.sort_key(d)) for d in range(reader.doc_count_all()))
        codes = np.fromiter((index.setdefault(n, len(index)) for n in names), np.int32)
        return Column(list(index), codes)

    key = segment_key(reader)
    return read() if key is None else _columns.get((key, fieldname), read, _weight)


def _merged(parts: list[Column]) -> Column:
    index: dict[object, int] = {}
    codes = []
    for part in parts:
        remap = np.array([index.setdefault(v, len(index)) for v in part.values], np.int32)
        codes.append(remap[part.codes] if len(remap) else part.codes)
    return Column(list(index), np.concatenate(codes))


def _weight(col: Column | ListColumn) -> int:
    # The values are counted as 64 bytes each: short codes, titles folded to ASCII.
    pairs = col.docs.nbytes if isinstance(col, ListColumn) else 0
    return col.codes.nbytes * 3 + pairs + 64 * len(col.values)
