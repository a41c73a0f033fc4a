"""Every use of Whoosh's private names, in one module, against the version setup.cfg pins.

The speed of ``search`` rests on internals Whoosh does not publish: the W3
codec's postings blocks (split here so ranking never decompresses
positions), decoding a block whole, a segment's field-length column, the
posting pool's spilled runs and the multiprocess writer's tasks; writing,
a document's texts put in the pool at once, a segment's terms written
term by term and merged segments read block by block, each byte for byte
what Whoosh's own way gives (``tests/search/test_writing_paths.py``). They are
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

import io
import pickle
import struct
import zlib
from array import array as typed_array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import accumulate, groupby, islice, repeat
from operator import itemgetter, sub
from typing import TYPE_CHECKING

from whoosh.codec import whoosh3
from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import (
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PostingsWriter,
    W3TermInfo,
    W3TermsReader,
)
from whoosh.fields import FieldType
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.index import Index
from whoosh.matching import FilterMatcher, ListMatcher, Matcher, ReadTooFar
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import IndexReader, SegmentReader
from whoosh.scoring import BM25F, WeightingModel
from whoosh.system import pack_int, pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte as whoosh_length_to_byte
from whoosh.writing import IndexWriter, PostingPool, SegmentWriter

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
        "_minlength", "_maxlength", "_blocklimit",
    ),
    W3FieldWriter: ("_postwriter", "_format", "_tindex", "_fieldid"),
    OrderedHashWriter: ("dbfile", "buckets", "index", "hashfn", "lastkey"),
    W3TermInfo: ("_struct",),
    W3TermsReader: ("_postfile", "_tindex", "_fieldunmap"),
    W3LeafMatcher: (
        "_read_data", "_read_values", "_next_block",
        "_postfile", "_dataoffset", "_nextoffset", "_data", "_compression",
    ),
    FilterMatcher: ("child",),
    ListMatcher: ("_ids", "_i"),
    SegmentReader: ("_perdoc", "_codec", "_terms"),
    SegmentWriter: ("_check_state", "_doc_boost", "_field_boost", "_check_fields", "_added",
                    "perdocwriter", "pool", "docnum"),
    BM25F: ("_field_B",),
    PostingPool: ("_write_run", "_read_run", "_open_run", "_remove_run",
                  "current", "runs", "tempstore", "segment", "limit", "currentsize", "fieldnames"),
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
        stats = (
            len(self._ids),
            self._ids[-1],
            self._maxweight,
            _length_byte(self._minlength),
            _length_byte(self._maxlength),
        )
        self._postfile.write(_split_block(
            pickle.dumps((self._mini_ids(), self._mini_weights()), 2),
            pickle.dumps(self._mini_values(), 2),
            stats, self._compression, last,
        ))
        self._blockcount += 1
        self._new_block()


def _split_block(
    head: bytes, values: bytes, stats: tuple[int, int, float, int, int], compression: int, last: bool
) -> bytes:
    """A block's length, info and data, from its pickled parts and statistics.

    ``stats``: the number of postings, the last id, the highest weight and the
    shortest and longest field lengths as bytes.
    """
    # The block's own info says whether it is compressed, so a small one need not be.
    if len(head) + len(values) < COMPRESS_FROM:
        compression = 0
    if compression:
        head, values = zlib.compress(head, compression), zlib.compress(values, compression)
    count, last_id, maxweight, minlength, maxlength = stats
    info = pickle.dumps((count, last_id, maxweight, compression, minlength, maxlength), 2)
    length = len(info) + _LENGTH.size + len(head) + len(values)
    # As in W3: a negative length marks the last block of the list.
    return b"".join((pack_int(-length if last else length), info, _LENGTH.pack(len(head)), head, values))


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


class _FieldWriter(W3FieldWriter):
    """Writes a segment's sorted postings term by term, each term's blocks in one piece.

    Whoosh's ``add_postings`` drives a postings writer posting by posting
    (type checks, a block object, a term-info object and three file writes
    per term): most terms of a small commit occur in one document, so that
    machinery, not the data, was most of a commit's cost. Here a term's
    postings are gathered in lists and its blocks, term info and table row
    are built at once, byte for byte what Whoosh writes
    (``tests/search/test_writing_paths.py`` compares the segment files).
    """

    def add_postings(self, schema: object, lengths: object, items: Iterable[tuple]) -> None:
        taken["codec.term_at_once"] += 1
        field_lengths: list[int | None] = []
        fieldname = btext = None
        for (item_field, item_text), postings in groupby(items, _TERM):
            if item_field != fieldname:
                if fieldname is not None:
                    if item_field < fieldname:
                        raise OutOfOrderError(f"Field {fieldname!r} .. {item_field!r}")
                    self.finish_field()
                fieldname = item_field
                self.start_field(fieldname, schema[fieldname])  # type: ignore[index]
                field_lengths = _lengths_of(lengths, fieldname)
            elif item_text < btext:
                raise OutOfOrderError(f"Term {fieldname}:{btext!r} .. {item_text!r}")
            btext = item_text
            _, _, ids, weights, values = zip(*postings, strict=True)
            if -1 in ids:  # Whoosh's marker of a spelling word, not a posting
                kept = [posting for posting in zip(ids, weights, values, strict=True) if posting[0] != -1]
                if not kept:
                    continue
                ids, weights, values = zip(*kept, strict=True)
            self._write_term(btext, ids, weights, values, field_lengths)
        if fieldname is not None:
            self.finish_field()

    def _write_term(
        self,
        btext: bytes,
        ids: Sequence[int],
        weights: Sequence[float],
        values: Sequence[bytes | None],
        field_lengths: list[int | None],
    ) -> None:
        """One term's blocks and its row of the terms table, for ``_write_pending``."""
        fixedsize, compression = self._fixedsize, self._compression
        if len(ids) == 1:  # most terms of a commit: one block, one posting
            data, total, minlength, maxlength, maxweight = _single_block(
                ids[0], weights[0], values[0], field_lengths[ids[0]], fixedsize, compression
            )
        else:
            data, total, minlength, maxlength, maxweight = _blocks_bytes(
                ids, weights, values, field_lengths, fixedsize, self._blocklimit, compression
            )
        info = _TERM_INFO_AND_EXTENT.pack(
            False, total, len(ids), 0 if minlength is None else _length_byte(minlength),
            _length_byte(maxlength), maxweight, ids[0], ids[-1], self._offset, len(data),
        )
        self._offset += len(data)
        self._data.append(data)
        self._rows.append((self._key_prefix + btext, info))
        if len(self._rows) >= PENDING_TERMS:
            self._write_pending()

    def start_field(self, fieldname: str, fieldobj: object) -> None:
        super().start_field(fieldname, fieldobj)
        postings = self._postwriter
        self._offset = postings._postfile.tell()
        self._fixedsize = self._format.fixed_value_size()
        self._compression, self._blocklimit = postings._compression, postings._blocklimit
        self._key_prefix = pack_ushort(self._fieldid)
        self._data: list[bytes] = []
        self._rows: list[tuple[bytes, bytes]] = []

    def finish_field(self) -> None:
        self._write_pending()
        super().finish_field()

    def _write_pending(self) -> None:
        """The terms written since the last time: their blocks, then their rows of the table.

        As ``OrderedHashWriter.add`` writes each row, in one write.
        """
        self._postwriter._postfile.write(b"".join(self._data))
        tindex = self._tindex
        dbfile, buckets, positions, hashed = tindex.dbfile, tindex.buckets, tindex.index, tindex.hashfn
        if self._rows and self._rows[0][0] <= tindex.lastkey:
            raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{self._rows[0][0]!r}")
        position = dbfile.tell()
        parts = []
        for key, value in self._rows:
            positions.append(position)
            code = hashed(key)
            buckets[code & 255].append((code, position))
            parts += (_ROW_LENGTHS.pack(len(key), len(value)), key, value)
            position += _ROW_LENGTHS.size + len(key) + len(value)
        dbfile.write(b"".join(parts))
        if self._rows:
            tindex.lastkey = self._rows[-1][0]
        self._data, self._rows = [], []


# Whoosh's one-byte code of a field length, remembered: a block has two and a term two more.
_length_byte = lru_cache(maxsize=None)(whoosh_length_to_byte)
# Terms a field writer holds before writing them out.
PENDING_TERMS = 4096
_ROW_LENGTHS = struct.Struct("!ii")


def _single_block(  # noqa: PLR0913 - a posting's parts, as W3PostingsWriter keeps them
    docnum: int, weight: float, value: bytes | None, length: int | None, fixedsize: int | None,
    compression: int,
) -> tuple[bytes, float, int | None, int, float]:
    """``_blocks_bytes`` for a term in one document, in fewer steps."""
    (stored,) = typed_array("f", (weight,))
    maxweight = weight if weight > 0 else 0
    lengths = _length_byte(length) if length else 0
    head = pickle.dumps(((docnum,), None if stored == 1.0 else stored), 2)
    if (fixedsize is None or fixedsize < 0) and value:
        values = pickled_bytes_1(value)
    else:
        values = pickle.dumps(_mini_values([value], fixedsize), 2)
    stats = (1, docnum, maxweight, lengths, lengths)
    block = _split_block(head, values, stats, compression, last=True)
    return whoosh3.WHOOSH3_HEADER_MAGIC + block, stored, length or None, length or 0, maxweight


# pickle.dumps((value,), 2) around the UTF-8 of value's latin-1 text and its length.
_PICKLED_BYTES_1 = (
    b"\x80\x02c_codecs\nencode\nq\x00X",
    b"q\x01X\x06\x00\x00\x00latin1q\x02\x86q\x03Rq\x04\x85q\x05.",
)
_UINT_LE = struct.Struct("<I")


def pickled_bytes_1(value: bytes) -> bytes:
    """``pickle.dumps((value,), 2)`` for one non-empty bytes ``value``, without the pickler.

    Protocol 2 pickles bytes as a call of ``_codecs.encode`` on their
    latin-1 text, and the pickler looks that function up again at every
    call: a third of the cost of writing a term that is in one document.
    """
    text = value.decode("latin-1").encode("utf-8")
    return _PICKLED_BYTES_1[0] + _UINT_LE.pack(len(text)) + text + _PICKLED_BYTES_1[1]


def _mini_values(values: list[bytes | None], fixedsize: int | None) -> object:
    """A block's values as ``W3PostingsWriter._mini_values`` gives them (empty ones dropped)."""
    values = [value for value in values if value]
    if fixedsize is None or fixedsize < 0:
        return tuple(values)
    if fixedsize == 0:
        return None
    return b"".join(values)


def _blocks_bytes(  # noqa: PLR0913 - a term's postings, as W3PostingsWriter keeps them
    ids: list[int],
    weights: list[float],
    values: list[bytes | None],
    field_lengths: list[int | None],
    fixedsize: int | None,
    limit: int,
    compression: int,
) -> tuple[bytes, float, int | None, int, float]:
    """A term's blocks of ``limit`` postings, and the statistics of its term info."""
    total, minlength, maxlength, maxweight = 0, None, 0, 0
    parts = [whoosh3.WHOOSH3_HEADER_MAGIC]
    for start in range(0, len(ids), limit):
        end = start + limit
        block_ids = ids[start:end]
        block_weights = weights[start:end]
        stored = typed_array("f", block_weights)
        lens = [length for length in map(field_lengths.__getitem__, block_ids) if length]
        block_min = min(lens) if lens else None
        block_max = max(lens) if lens else 0
        block_maxweight = max(block_weights)
        if not block_maxweight > 0:
            block_maxweight = 0
        parts.append(_block_bytes(
            block_ids, stored, values[start:end], fixedsize, block_maxweight,
            block_min, block_max, compression, last=end >= len(ids),
        ))
        # W3TermInfo.add_block's statistics, in its order.
        total += sum(stored)
        minlength = block_min if minlength is None else min(minlength, block_min)
        maxlength = max(maxlength, block_max)
        maxweight = max(maxweight, block_maxweight)
    return b"".join(parts), total, minlength, maxlength, maxweight


_TERM_INFO = W3TermInfo._struct
# A term's info with the extent of its postings (W3TermInfo.to_bytes of a term not inlined).
_TERM_INFO_AND_EXTENT = struct.Struct(_TERM_INFO.format + "qi")
_EXTENT = struct.Struct("!qi")
# A term's key in the terms table: the field's number, then the term's bytes.
_FIELD_NUMBER = struct.Struct("!H")
# A posting's (field, term): postings arrive sorted by it.
_TERM = itemgetter(0, 1)


def _lengths_of(lengths: object, fieldname: str) -> list[int | None]:
    """Every document's length of ``fieldname`` in the new segment, by docnum (as Whoosh reads them)."""
    if not lengths:
        return _NoLengths()
    read = lengths.doc_field_length  # type: ignore[attr-defined]
    return [read(docnum, fieldname) for docnum in range(lengths.doc_count_all())]  # type: ignore[attr-defined]


class _NoLengths(list):
    """Lengths of a segment written without them: 0 for every document, as in Whoosh."""

    def __getitem__(self, docnum: int) -> int:  # type: ignore[override]
        return 0


def _block_bytes(  # noqa: PLR0913 - a block's parts, as W3PostingsWriter keeps them
    ids: list[int],
    weights: typed_array,
    values: list[bytes | None],
    fixedsize: int | None,
    maxweight: float,
    minlength: int | None,
    maxlength: int,
    compression: int,
    last: bool,
) -> bytes:
    """One block as ``SplitPostingsWriter._write_block`` writes it (length, info, data)."""
    first = weights[0]
    if weights.count(first) == len(weights):
        mini_weights = None if first == 1.0 else first
    else:
        mini_weights = tuple(weights)
    mini_values = _mini_values(values, fixedsize)
    gaps = (ids[0], *map(sub, ids[1:], ids))
    stats = (len(ids), ids[-1], maxweight, _length_byte(minlength), _length_byte(maxlength))
    return _split_block(
        pickle.dumps((gaps, mini_weights), 2), pickle.dumps(mini_values, 2), stats, compression, last
    )


class SplitCodecBase(W3Codec):
    """W3 with split blocks for the inverted index (term vectors, unused here, stay W3).

    Writing, a segment's postings go term by term through ``_FieldWriter``,
    and each field's lengths (kept per block for Whoosh's block statistics)
    are read once per field, not once per posting.
    ``search.codec.SplitCodec`` is the stored name.
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


# --- Adding a document --------------------------------------------------------------------


class DocumentWriter(SegmentWriter):
    """Whoosh's segment writer, putting a text's postings in the pool in one step.

    Whoosh's ``add_document`` takes each posting of a text through three
    generators and a call of the pool; a thesis has about 3,000 of them
    per text field. When a field's format offers ``postings(value,
    analyzer)`` (``search.analysis.SyllablePositions``), the text's postings
    go to the pool at once; everything else (stored fields, lengths,
    columns, other fields) is Whoosh's ``add_document``, line for line.
    Its pool is a ``BlockPostingPool``.
    """

    def __init__(self, ix: Index, **options: object) -> None:
        super().__init__(ix, **options)
        self.pool = BlockPostingPool.replacing(self.pool)

    def add_document(self, **fields: object) -> None:
        self._check_state()
        perdocwriter = self.perdocwriter
        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(self.schema, fieldnames)

        perdocwriter.start_doc(self.docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is not None:
                    self._add_field(fields, fieldname, value, docboost)
        except Exception:
            perdocwriter.cancel_doc()
            raise

        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_field(self, fields: dict[str, object], fieldname: str, value: object,
                   docboost: float) -> None:
        """One field of the document: Whoosh's loop body, its postings through ``_index``."""
        field = self.schema[fieldname]
        length, vbytes = self._index(fields, fieldname, field, value, docboost) \
            if field.indexed else (0, None)

        if field.separate_spelling():
            spellfield = field.spelling_fieldname(fieldname)
            for word in field.spellable_words(value):
                self.pool.add((spellfield, word.encode("utf-8"), 0, 1, vbytes))

        vformat = field.vector
        if vformat:
            vitems = vformat.word_values(value, field.analyzer, mode="index")
            vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes in vitems)
            self.perdocwriter.add_vector_items(fieldname, field, vitems)

        customval = fields.get(f"_stored_{fieldname}", value)
        self.perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)

        column = field.column_type
        if column and customval is not None:
            self.perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))

    def _index(self, fields: dict[str, object], fieldname: str, field: FieldType, value: object,
               docboost: float) -> tuple[int, bytes | None]:
        """The field's postings into the pool: a text's in one step where its format can give
        them, else Whoosh's way one by one. Returns the field's length and, as Whoosh passes
        on to a spelling field, the last posting's value."""
        fieldboost = self._field_boost(fields, fieldname, docboost)
        postings_of = getattr(field.format, "postings", None)
        postings = None
        if postings_of and not field.separate_spelling():
            postings = postings_of(value, field.analyzer)
        if postings is not None:
            taken["writer.text_postings"] += 1
            length = self.pool.add_text(
                fieldname, self.docnum, postings, field.format.field_boost, fieldboost
            )
            return (length if field.scorable else 0), None
        length, vbytes, add_post = 0, None, self.pool.add
        for tbytes, freq, weight, vbytes in field.index(value):
            if field.scorable:
                length += freq
            add_post((fieldname, tbytes, self.docnum, weight * fieldboost, vbytes))
        return length, vbytes

    def add_postings_to_pool(self, reader: IndexReader, startdoc: int, docmap: dict | None) -> None:
        """A merged segment's postings into the pool block by block, renumbered as Whoosh does."""
        blocks = reader.term_blocks() if isinstance(reader, MergedSegmentReader) else None
        if blocks is None:
            super().add_postings_to_pool(reader, startdoc, docmap)
            return
        schema, pool = self.schema, self.pool
        for fieldname, btext, ids, weights, values in blocks:
            if fieldname in schema:
                if docmap is not None:
                    renumbered: Iterable[int] = map(docmap.__getitem__, ids)
                else:
                    renumbered = (startdoc + docnum for docnum in ids)
                pool.add_block(fieldname, btext, renumbered, weights, values)


# --- Reading a segment's postings for a merge ---------------------------------------------


class MergedSegmentReader(SegmentReader):
    """A segment's reader for merging it: every posting, term by term, read block by block.

    Whoosh's ``iter_postings`` looks each term up again in the terms table
    and steps a matcher (behind a deletions filter) through it call by call;
    merging eight small segments cost more than writing their documents.
    Here the table is read in order and each term's blocks are decoded whole;
    the postings are the same (``tests/search/test_writing_paths.py``).
    Segments of other codecs (an older index's W3) are read Whoosh's way.
    """

    def iter_postings(self) -> Iterator[tuple]:
        blocks = self.term_blocks()
        if blocks is None:
            yield from super().iter_postings()
            return
        for fieldname, btext, ids, weights, values in blocks:
            yield from zip(repeat(fieldname), repeat(btext), ids, weights, values)

    def term_blocks(self) -> Iterator[tuple[str, bytes, Sequence, Sequence, Sequence]] | None:
        """Each block of each term, in order, without deleted documents: (field, term, ids,
        weights, values); None when the segment is not ours (then ``iter_postings`` is Whoosh's)."""
        if not isinstance(self._codec, SplitCodecBase):
            taken["merge.stepped"] += 1
            return None
        taken["merge.blocks"] += 1
        return self._term_blocks()

    def _term_blocks(self) -> Iterator[tuple[str, bytes, Sequence, Sequence, Sequence]]:
        terms = self._terms
        postfile, fieldnames = terms._postfile, terms._fieldunmap
        schema = self.schema
        deleted = self.deleted_docs_set
        # The table's rows in order, each read as W3TermsReader.items() and W3TermInfo.from_bytes do.
        for key, info in terms._tindex.items():
            fieldname, btext = fieldnames[_FIELD_NUMBER.unpack_from(key)[0]], key[_FIELD_NUMBER.size :]
            if fieldname not in schema:
                continue
            if info[0]:  # the term's postings are inlined in its info
                matcher = self.postings(fieldname, btext)  # filters deleted documents
                found = []
                while matcher.is_active():
                    found.append((matcher.id(), matcher.weight(), matcher.value()))
                    matcher.next()
                if found:
                    yield (fieldname, btext, *zip(*found, strict=True))
                continue
            fixedsize = schema[fieldname].format.fixed_value_size()
            offset, length = _EXTENT.unpack_from(info, _TERM_INFO.size)
            for ids, weights, values in _split_blocks(postfile.get(offset, length), fixedsize):
                if deleted and not deleted.isdisjoint(ids):
                    kept = [p for p in zip(ids, weights, values, strict=True) if p[0] not in deleted]
                    if not kept:
                        continue
                    ids, weights, values = zip(*kept, strict=True)
                yield fieldname, btext, ids, weights, values


def _split_blocks(raw: bytes, fixedsize: int | None) -> Iterator[tuple[list, Sequence, Sequence]]:
    """Each block of one term's postings: ids, weights and values, as W3's matcher gives them."""
    stream = io.BytesIO(raw)
    position = len(whoosh3.WHOOSH3_HEADER_MAGIC)
    last = False
    while not last:
        (length,) = _LENGTH.unpack_from(raw, position)
        last = length < 0
        end = position + _LENGTH.size + abs(length)
        stream.seek(position + _LENGTH.size)
        count, _, _, compression, _, _ = pickle.load(stream)
        start = stream.tell()
        (head,) = _LENGTH.unpack_from(raw, start)
        head_end = start + _LENGTH.size + head
        parts = [raw[start + _LENGTH.size : head_end], raw[head_end:end]]
        if compression:
            parts = [zlib.decompress(part) for part in parts]
        (gaps, weights), values = pickle.loads(parts[0]), pickle.loads(parts[1])
        if weights is None:
            weights = (1.0,) * count
        elif isinstance(weights, float):
            weights = (weights,) * count
        if fixedsize == 0:
            values = (None,) * count
        elif fixedsize is not None and fixedsize > 0:
            values = [values[i : i + fixedsize] for i in range(0, len(values), fixedsize)]
        yield list(accumulate(gaps)), weights, values
        position = end


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
# What PostingPool.add counts for a posting, besides the lengths of its strings.
_POSTING_SIZE = 150


class BlockPostingPool(PostingPool):
    """Whoosh's posting pool, spilling and reading back its runs in blocks.

    A Whoosh writer sorts a segment's postings in memory up to ``limitmb``
    and beyond that spills sorted runs to temporary files, one pickled
    posting at a time: a 50 KB thesis has about 3,400 postings, and at
    50,000 works that traffic took a third of the rebuild. Here a run is
    written and read in blocks, one pickle call each; the sort and the merge
    are Whoosh's. Postings are added without Whoosh's type checks, a
    tenth of the cost of indexing a document; the size counted is Whoosh's.
    """

    def add_text(
        self,
        fieldname: str,
        docnum: int,
        postings: dict[str, tuple[list[int], bytes]],
        format_boost: float,
        field_boost: float,
    ) -> int:
        """Add one text's postings (word → positions and their encoding); return its length.

        Each weight is Whoosh's: the count times the format's boost, times the field's.
        """
        if not postings:
            return 0
        found, values = zip(*postings.values(), strict=True)
        counts = list(map(len, found))
        texts = list(map(str.encode, postings))  # UTF-8, as Whoosh's fields encode terms
        if format_boost == field_boost == 1.0:
            weights = list(map(float, counts))
        else:
            weights = [float(count) * format_boost * field_boost for count in counts]
        self.fieldnames.add(fieldname)
        self.currentsize += (
            len(texts) * (_POSTING_SIZE + len(fieldname)) + 2 * sum(map(len, texts)) + sum(map(len, values))
        )
        if self.currentsize > self.limit:
            self.save()
        self.current.extend(zip(repeat(fieldname), texts, repeat(docnum), weights, values))
        return sum(counts)

    def add_block(
        self, fieldname: str, text: bytes, ids: Iterable[int], weights: Sequence[float], values: Sequence
    ) -> None:
        """Add postings of one term (a merged segment's block), as many ``add`` calls would."""
        items = list(zip(repeat(fieldname), repeat(text), ids, weights, values))
        self.fieldnames.add(fieldname)
        value_bytes = sum(map(len, values)) if values and values[0] is not None else 0
        self.currentsize += len(items) * (_POSTING_SIZE + len(fieldname) + 2 * len(text)) + value_bytes
        if self.currentsize > self.limit:
            self.save()
        self.current.extend(items)

    def add(self, item: tuple) -> None:
        fieldname, text, _, _, value = item
        self.fieldnames.add(fieldname)
        self.currentsize += _POSTING_SIZE + len(fieldname) + 2 * len(text) + len(value or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

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
    return DocumentWriter(ix, **options)
