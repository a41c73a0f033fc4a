"""The single index writer: one at a time across threads and processes.

Whoosh's own lock makes a second writer fail (or retry until lucky); a
deposit must never lose its update, so every writer first waits on an
exclusive ``flock`` of ``write.lock`` in the index root. A flock belongs to
the open file, so two threads of one process exclude each other as well.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh.index import Index

from search.codec import SplitCodec
from search.documents import WorkDocument
from search.merging import merge_tiered
from search.schema import to_fields
from search.whoosh_private import DocumentWriter

LOCK_NAME = "write.lock"
# Memory for the writer's posting pool before it spills a run to disk.
WRITER_LIMIT_MB = 128


@contextmanager
def exclusive_writing(root: Path) -> Iterator[None]:
    """Block until this caller is the only writer of the index under ``root``."""
    with open(root / LOCK_NAME, "a+b") as lock_file:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)


def apply_changes(
    ix: Index,
    docs: Iterable[WorkDocument],
    delete_ids: Iterable[str],
    limitmb: int = WRITER_LIMIT_MB,
) -> None:
    """Upsert ``docs`` and delete ``delete_ids`` in one commit (caller holds the lock).

    ``compound=False``: a compound segment is copied into memory by every
    searcher that opens it.
    """
    writer = DocumentWriter(ix, limitmb=limitmb, compound=False, codec=SplitCodec())
    try:
        for work_id in delete_ids:
            writer.delete_by_term("id", work_id)
        for doc in docs:
            writer.update_document(**to_fields(doc))
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=merge_tiered)
