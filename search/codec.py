"""Whoosh's W3 codec, with each postings block's positions stored apart from its ids and weights.

A W3 block is one compressed pickle of (ids, weights, positions). Ranking
reads the ids and weights of every posting of a query's words; with 50 KB
texts a common syllable has about a hundred positions in each work, so
nine tenths of what ranking decompressed and unpickled were positions that
only a phrase query needs. Here a block's data has two compressed parts:
``[length of the first][ids and weights][positions]``, and the positions
are read only when a matcher asks for them.

Writing, each posting's field length (kept per block for Whoosh's block
statistics) is looked up once per document and field, not read back from
the new segment's length column once per posting: that lookup was an
eighth of indexing time.

The codec is pickled into each segment's table of contents, so a segment
is always read back the way it was written: segments of older indexes stay
readable with Whoosh's W3 codec, and are rewritten with this one when merged.
"""

from __future__ import annotations

import struct
import zlib

from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PostingsWriter,
)
from whoosh.compat import dumps, loads
from whoosh.matching import Matcher
from whoosh.util.numeric import length_to_byte

_LENGTH = struct.Struct("!i")
# Stands for a block's positions until a matcher asks for them.
_NOT_READ = object()


class SplitPostingsWriter(W3PostingsWriter):
    """Writes blocks as W3 does, but with the positions in a part of their own."""

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        head = self._packed((self._mini_ids(), self._mini_weights()))
        data = _LENGTH.pack(len(head)) + head + self._packed(self._mini_values())
        info = dumps(
            (
                len(self._ids),
                self._ids[-1],
                self._maxweight,
                self._compression,
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

    def _packed(self, value: object) -> bytes:
        raw = dumps(value, 2)
        return zlib.compress(raw, self._compression) if self._compression else raw


class SplitBlockMatcher(W3LeafMatcher):
    """Reads split blocks: ids and weights at once, positions only on demand."""

    def _read_data(self) -> None:
        (head,) = _LENGTH.unpack(self._postfile.get(self._dataoffset, _LENGTH.size))
        start = self._dataoffset + _LENGTH.size
        ids, weights = self._unpacked(start, head)
        self._data = (ids, weights, _NOT_READ)

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        if self._data[2] is _NOT_READ:
            (head,) = _LENGTH.unpack(self._postfile.get(self._dataoffset, _LENGTH.size))
            start = self._dataoffset + _LENGTH.size + head
            self._data = (*self._data[:2], self._unpacked(start, self._nextoffset - start))
        super()._read_values()

    def _unpacked(self, offset: int, length: int) -> object:
        raw = self._postfile.get(offset, length)
        return loads(zlib.decompress(raw) if self._compression else raw)


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
        super().add_postings(schema, _KnownLengths(lengths) if lengths else lengths, items)


class SplitCodec(W3Codec):
    """W3 with split blocks for the inverted index (term vectors, unused here, stay W3)."""

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
