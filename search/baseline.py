"""Whoosh's own ways of writing, kept as the baselines benchmarks and tests measure against.

``bench/search_bench.py`` compares the tuned rebuild (``rebuild.fill``:
no compound segments, more memory, several processes) with Whoosh's
default writer; ``bench/index_write_bench.py`` and
``tests/search/test_writing_paths.py`` compare ``SearchIndex.write`` with
Whoosh writing the same schema its own way (``stock_writes``): analysis
by Whoosh's tokenizer and a filter, its postings format, pool, postings
writer and merge reading. They live here because nothing outside
``search/`` imports whoosh.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path

from whoosh.analysis import Analyzer, Filter, RegexTokenizer, Token
from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.fields import Schema
from whoosh.formats import Positions
from whoosh.index import Index, create_in
from whoosh.reading import SegmentReader

from search.analysis import SyllablePositions
from search.codec import SplitCodec
from search.documents import WorkDocument
from search.merging import merge_tiered
from search.schema import build_schema, to_fields
from search.spelling import TOKEN_PATTERN, canonical, fold, nfc
from search.writer import WRITER_LIMIT_MB


def index_with_defaults(folder: Path, docs: Iterable[WorkDocument]) -> int:
    """Index ``docs`` into a new index in ``folder`` with one default writer; returns the count."""
    writer = create_in(str(folder), build_schema()).writer()
    count = 0
    for doc in docs:
        writer.add_document(**to_fields(doc))
        count += 1
    writer.commit()
    return count


class _NfcTokenizer(RegexTokenizer):
    """Whoosh's regex tokenizer over composed text."""

    def __call__(self, value: str, **kwargs: object) -> Iterator[Token]:
        return super().__call__(nfc(value), **kwargs)


class _Spelling(Filter):
    """Each token in its canonical spelling, and folded for a ``_f`` field."""

    def __init__(self, folded: bool) -> None:
        self.folded = folded

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = fold(canonical(token.text)) if self.folded else canonical(token.text)
            yield token


def stock_analyzer(folded: bool) -> Analyzer:
    """What ``search.analysis.SyllableTokenizer`` does, as a chain of Whoosh's parts."""
    return _NfcTokenizer(TOKEN_PATTERN) | _Spelling(folded)


def stock_schema() -> Schema:
    """The index's schema with every text field analysed and encoded by Whoosh's own parts."""
    schema = build_schema()
    for _, field in schema.items():
        if isinstance(field.format, SyllablePositions):
            field.format = Positions(field_boost=field.format.field_boost)
            field.analyzer = stock_analyzer(folded=field.analyzer.folded)
    return schema


class _StockPostings(SplitCodec):
    """Our codec's blocks, each written by Whoosh's own postings writer, posting by posting."""

    def field_writer(self, storage: object, segment: object) -> W3FieldWriter:
        return W3FieldWriter(self, storage, segment)


def stock_writes(folder: Path, batches: Iterable[list[WorkDocument]]) -> Index:
    """Write each batch in one commit into a new index in ``folder``, Whoosh's way throughout."""
    ix = create_in(str(folder), stock_schema())
    for batch in batches:
        writer = ix.writer(limitmb=WRITER_LIMIT_MB, compound=False, codec=_StockPostings())
        for doc in batch:
            writer.update_document(**to_fields(doc))
        writer.commit(mergetype=partial(merge_tiered, reader_class=SegmentReader))
    return ix
