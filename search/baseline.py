"""Whoosh's writer with its defaults, kept as the baseline the benchmarks measure against.

``bench/search_bench.py`` compares the tuned rebuild (``rebuild.fill``:
no compound segments, more memory, several processes) with this, in the
same run; it lives here because nothing outside ``search/`` imports whoosh.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from whoosh.index import create_in

from search.documents import WorkDocument
from search.schema import build_schema, to_fields


def index_with_defaults(folder: Path, docs: Iterable[WorkDocument]) -> int:
    """Index ``docs`` into a new index in ``folder`` with one default writer; returns the count."""
    writer = create_in(str(folder), build_schema()).writer()
    count = 0
    for doc in docs:
        writer.add_document(**to_fields(doc))
        count += 1
    writer.commit()
    return count
