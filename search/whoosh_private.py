"""Every use of Whoosh's private names, in one module, against the version setup.cfg pins.

The speed of ``search`` rests on internals Whoosh does not publish: the W3
codec's postings blocks (split here so ranking never decompresses
positions), decoding a block whole, a segment's field-length column, the
posting pool's spilled runs and the multiprocess writer's tasks. They are
used here and nowhere else; the rest of the package calls what this module
defines.

An upgrade can break these quietly: a renamed attribute may turn a fast
path into a fallback that still answers right, only slower. So
``PRIVATE_NAMES`` lists every private name used, by its owner, and
``taken`` counts each fast path (and each fallback) as it runs;
``tests/search/test_whoosh_private.py`` checks that every name exists (on
live objects of a real index) and that real searches and writes take every
fast path. An upgrade then fails loudly, not slowly.

Pinned: ``whoosh-reloaded==2.7.5``. Its next major version deletes
``whoosh.compat``, so this module pickles with ``pickle`` itself.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice
from operator import sub
from typing import TYPE_CHECKING

from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3LeafMatcher, W3PostingsWriter
from whoosh.index import Index
from whoosh.matching import FilterMatcher, ListMatcher, Matcher, ReadTooFar
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import IndexReader, SegmentReader
from whoosh.scoring import BM25F, WeightingModel
from whoosh.system import pack_uint
from whoosh.util.numeric import length_to_byte
from whoosh.writing import IndexWriter, PostingPool

if TYPE_CHECKING:  # loaded by the searches that read postings as arrays, not by writers
    import numpy as np

# Each private name this module relies on, by the class (or module) that has it.
# Methods and constants are checked on the class; attributes on live objects.
PRIVATE_NAMES: dict[object, tuple[str, ...]] = {
    whoosh3: ("WHOOSH3_HEADER_MAGIC", "LENGTHS_COLUMN", "_lenfield"),
    W3Codec: ("_blocklimit", "_compression", "_inlinelimit"),
    W3PostingsWriter: (
        "_write_block", "_new_block", "_mini_ids", "_mini_weights", "_mini_values",
        "_postfile", "_blockcount", "_terminfo", "_ids", "_maxweight", "_compression",
        "_minlength", "_maxlength",
    ),
    W3LeafMatcher: (
        "_read_data", "_read_values", "_next_block",
        "_postfile", "_dataoffset", "_nextoffset", "_data", "_compression",
    ),
    FilterMatcher: ("child",),
    ListMatcher: ("_ids", "_i"),
    SegmentReader: ("_perdoc",),
    BM25F: ("_field_B",),
    PostingPool: ("_write_run", "_read_run", "_open_run", "_remove_run",
                  "current", "runs", "tempstore", "segment", "limit"),
    SubWriterTask: ("_process_file", "writer"),
    MpWriter: ("_new_task", "storage", "indexname", "jobqueue", "resultqueue", "subargs",
               "multisegment", "tasks"),
}

# Fast paths and fallbacks taken in this process, by name (for the tests; nearly free).
taken: Counter[str] = Counter()


# --- Split postings blocks -------------------------------------------------------------

_LENGTH = struct.Struct("!i")
# Stands for a block's positions until a matcher asks for them.
_NOT_READ = object()
# Blocks whose pickles are shorter than this (bytes) are stored uncompressed: most terms
# of a segment occur in one or two documents, and zlib would cost more than it saves.
COMPRESS_FROM = 256


class SplitPostingsWriter(W3PostingsWriter):
    """Writes blocks as W3 does, but with the positions in a part of their own:
    ``[length of the first part][ids and weights][positions]``."""

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        head = pickle.dumps((self._mini_ids(), self._mini_weights()), 2)
        values = pickle.dumps(self._mini_values(), 2)
        # The block's own info says whether it is compressed, so a small one need not be.
        compression = self._compression if len(head) + len(values) >= COMPRESS_FROM else 0
        if compression:
            head, values = zlib.compress(head, compression), zlib.compress(values, compression)
        data = _LENGTH.pack(len(head)) + head + values
        info = pickle.dumps(
            (
                len(self._ids),
                self._ids[-1],
                self._maxweight,
                compression,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            ),
            2,
        )
        length = len(info) + len(data)
        # As in W3: a negative length marks the last block of the list.
        self._postfile.write_int(-length if last else length)
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


class SplitBlockMatcher(W3LeafMatcher):
    """Reads split blocks: ids and weights at once, positions only on demand."""

    def _read_data(self) -> None:
        (head,) = _LENGTH.unpack(self._postfile.get(self._dataoffset, _LENGTH.size))
        ids, weights = self._unpacked(self._dataoffset + _LENGTH.size, head)
        self._data = (ids, weights, _NOT_READ)
        taken["codec.ids_without_positions"] += 1

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        if self._data[2] is _NOT_READ:
            (head,) = _LENGTH.unpack(self._postfile.get(self._dataoffset, _LENGTH.size))
            start = self._dataoffset + _LENGTH.size + head
            self._data = (*self._data[:2], self._unpacked(start, self._nextoffset - start))
            taken["codec.positions_on_demand"] += 1
        super()._read_values()

    def _unpacked(self, offset: int, length: int) -> object:
        raw = self._postfile.get(offset, length)
        return pickle.loads(zlib.decompress(raw) if self._compression else raw)


class _KnownLengths:
    """A per-document lengths reader that answers each (document, field) from memory after once.

    Postings arrive field by field, so only the current field's lengths are kept.
    """

    def __init__(self, lengths: object) -> None:
        self._read = lengths.doc_field_length  # type: ignore[attr-defined]
        self._field: str | None = None
        self._known: dict[int, int] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        if fieldname != self._field:
            self._field, self._known = fieldname, {}
        length = self._known.get(docnum)
        if length is None:
            length = self._known[docnum] = self._read(docnum, fieldname, default)
        return length


class _FieldWriter(W3FieldWriter):
    def add_postings(self, schema: object, lengths: object, items: object) -> None:
        if lengths:
            lengths = _KnownLengths(lengths)
            taken["codec.known_lengths"] += 1
        super().add_postings(schema, lengths, items)


class SplitCodecBase(W3Codec):
    """W3 with split blocks for the inverted index (term vectors, unused here, stay W3).

    Writing, each posting's field length (kept per block for Whoosh's block
    statistics) is looked up once per document and field, not read back from
    the new segment's length column once per posting: that lookup was an
    eighth of indexing time. ``search.codec.SplitCodec`` is the stored name.
    """

    def field_writer(self, storage: object, segment: object) -> W3FieldWriter:
        return _FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: object, byteids: bool = False) -> W3PostingsWriter:
        if byteids:
            return super().postings_writer(dbfile, byteids)
        return SplitPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(
        self, dbfile: object, terminfo: object, format_: object, term: object = None, scorer: object = None
    ) -> Matcher:
        if terminfo.is_inlined():  # type: ignore[attr-defined]
            return super().postings_reader(dbfile, terminfo, format_, term, scorer)
        offset, length = terminfo.extent()  # type: ignore[attr-defined]
        return SplitBlockMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


# --- Reading postings and lengths as arrays ---------------------------------------------


def read_postings(matcher: Matcher) -> tuple[np.ndarray, np.ndarray]:
    """All docnums and weights of one term's postings, deleted documents included.

    Whoosh's on-disk postings come in blocks of delta-encoded ids and their
    weights; a block is decoded whole instead of one posting per call.
    Postings inlined in the term (a word in one document) are stepped through.
    """
    import numpy as np

    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        taken["postings.inlined" if type(matcher) is ListMatcher else "postings.stepped"] += 1
        return _stepped(matcher)
    taken["postings.blocks"] += 1
    ids, weights = [], []
    while matcher.is_active():
        matcher._read_data()
        deltas, block_weights = matcher._data[0], matcher._data[1]
        ids.append(np.cumsum(np.array(deltas, dtype=np.int64)))
        if block_weights is None or isinstance(block_weights, float):
            ids_weight = 1.0 if block_weights is None else block_weights
            weights.append(np.full(len(deltas), ids_weight, np.float32))
        else:
            weights.append(np.asarray(block_weights, dtype=np.float32))
        matcher._next_block()
    # float32 is what Whoosh stores: half the memory of float64, and no precision lost.
    found = (
        np.concatenate([np.zeros(0), *ids]).astype(np.int32),
        np.concatenate([np.zeros(0), *weights]).astype(np.float32),
    )
    for array in found:
        array.flags.writeable = False
    return found


def _stepped(matcher: Matcher) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)


def length_codes(reader: IndexReader, fieldname: str) -> bytes | None:
    """A segment's field lengths, one byte per document (Whoosh's own coding), or None.

    None when the segment has no length column for the field (no document
    of it has the field): every length then counts as 1, as in Whoosh.
    """
    perdoc = reader._perdoc  # the column Whoosh's doc_field_length reads
    column = whoosh3._lenfield(fieldname)
    if not perdoc.has_column(column):
        taken["lengths.none"] += 1
        return None
    taken["lengths.column"] += 1
    return perdoc.column_reader(column, whoosh3.LENGTHS_COLUMN).load()


def plain_bm25(weighting: WeightingModel) -> BM25F | None:
    """``weighting`` when it is plain BM25F (one B for every field), which numpy can recompute."""
    if type(weighting) is BM25F and not weighting._field_B:
        return weighting
    return None


class IdsMatcher(ListMatcher):
    """A sorted list of document numbers, skipped through by bisection."""

    def skip_to(self, id: int) -> None:  # noqa: A002 - Whoosh's parameter name
        if not self.is_active():
            raise ReadTooFar
        self._i = bisect_left(self._ids, id, self._i)

    def copy(self) -> IdsMatcher:
        return IdsMatcher(self._ids, position=self._i)

    def all_ids(self) -> Iterator[int]:
        return iter(self._ids[self._i :])


def encode_positions(positions: list[int]) -> bytes:
    """``whoosh.formats.Positions.encode``'s bytes (count, then pickled gaps), gaps taken in C."""
    gaps = [positions[0], *map(sub, positions[1:], positions)]
    return pack_uint(len(gaps)) + pickle.dumps(gaps, 2)


# --- Writers for a whole index at once ---------------------------------------------------

# Postings a spilled run holds per pickle call.
RUN_BLOCK = 8192


class BlockPostingPool(PostingPool):
    """Whoosh's posting pool, spilling and reading back its runs in blocks.

    A Whoosh writer sorts a segment's postings in memory up to ``limitmb``
    and beyond that spills sorted runs to temporary files, one pickled
    posting at a time: a 50 KB thesis has about 3,400 postings, and at
    50,000 works that traffic took a third of the rebuild. Here a run is
    written and read in blocks, one pickle call each; the sort and the merge
    are Whoosh's.
    """

    @classmethod
    def replacing(cls, pool: PostingPool) -> BlockPostingPool:
        """A block pool configured as ``pool`` (which must still be empty)."""
        assert not pool.current and not pool.runs
        taken["bulk.block_pool"] += 1
        return cls(pool.tempstore, pool.segment, limitmb=pool.limit // 2**20)

    def _write_run(self, f: object, items: Iterable[tuple]) -> None:
        items = iter(items)
        while block := list(islice(items, RUN_BLOCK)):
            pickle.dump(block, f, pickle.HIGHEST_PROTOCOL)
        f.close()  # type: ignore[attr-defined]
        taken["bulk.block_run"] += 1

    def _read_run(self, path: str) -> Iterator[tuple]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    block = pickle.load(f)
                except EOFError:
                    return
                yield from block
        finally:
            f.close()
            self._remove_run(path)


class _SubWriter(SubWriterTask):
    """Whoosh's writer process, with a block pool (swapped in before its first document)."""

    def _process_file(self, filename: str, doc_count: int) -> None:
        # Replaced unless already: a pool class Whoosh renamed fails here, loudly.
        if not isinstance(self.writer.pool, BlockPostingPool):
            self.writer.pool = BlockPostingPool.replacing(self.writer.pool)
        super()._process_file(filename, doc_count)


class _ParallelWriter(MpWriter):
    """Whoosh's multiprocess writer whose processes use block pools."""

    def _new_task(self) -> SubWriterTask:
        task = _SubWriter(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        task.start()
        return task


def bulk_writer(ix: Index, procs: int, **options: object) -> IndexWriter:
    """A writer for many documents; ``procs > 1`` writes one segment per process.

    No final merge of the processes' segments: it would cost as much as the indexing.
    """
    if procs > 1:
        return _ParallelWriter(ix, procs=procs, multisegment=True, **options)
    writer = ix.writer(**options)
    writer.pool = BlockPostingPool.replacing(writer.pool)
    return writer
