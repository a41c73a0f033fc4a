"""Per-document values of the sortable fields, as arrays: facet counts and sort keys.

Whoosh looks a matching document's value up in the column file once per
facet and per sort key; here each segment's column is read once into an
array of codes (kept while the segment lives) and a facet count is one
``bincount`` over the documents that matched.
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


def _weight(col: Column) -> int:
    # The values are counted as 64 bytes each: short codes, titles folded to ASCII.
    return col.codes.nbytes * 3 + 64 * len(col.values)
