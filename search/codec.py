"""The codec every segment of the index is written with, under its stored name.

Whoosh pickles a segment's codec into the index's table of contents by
module path and class name, so ``search.codec.SplitCodec`` must never move
or be renamed (``search.stored_names``). What it does, splitting each
postings block's positions from its ids and weights so that ranking never
decompresses positions, overrides Whoosh internals and lives with them in
``search.whoosh_private``.

A segment is always read back with the codec it was written with: segments
of older indexes stay readable with Whoosh's W3 codec, and are rewritten
with this one when merged.
"""

from __future__ import annotations

from search.whoosh_private import SplitCodecBase


class SplitCodec(SplitCodecBase):
    """W3 with split postings blocks. Stored name: never move or rename."""
