"""Changes written while a rebuild runs, replayed into the new generation before the swap.

A rebuild reads every work (about 19 minutes at 50,000); deposits and
publishes must not wait for it. So it fills its new generation without the
write lock, and every write made meanwhile goes to the current generation
as usual *and* is appended to the journal, under the write lock. When the
new generation is full the rebuild takes the write lock, replays the
journal's last word on each document, swaps the generation in and ends the
journal: writers wait for the replay only.

Which state wins: the rebuild reads each work at some moment; a change
committed later is written by a drain, either before the swap (journaled,
so replayed over the rebuild's older copy) or after it (into the new
generation directly). A change drained before the journal began is older
than anything the rebuild reads, which starts reading after it began.

The rebuild holds ``rebuild.lock`` throughout; a journal whose rebuild died
(the lock is free) is discarded by the next writer, and its half-built
generation by the next swap.
"""

from __future__ import annotations

import fcntl
import pickle
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from search.documents import WorkDocument
from search.errors import RebuildRunningError

JOURNAL = "rebuild.journal"
REBUILD_LOCK = "rebuild.lock"

# One journal record: a document written (put) or an id deleted.
Record = tuple[str, WorkDocument | None]


@contextmanager
def rebuilding(root: Path) -> Iterator[None]:
    """Hold the rebuild lock (one rebuild at a time); refuse if another rebuild runs."""
    with open(root / REBUILD_LOCK, "a+b") as lock_file:
        try:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RebuildRunningError(f"{root}: another rebuild of the index is running") from None
        try:
            yield
        finally:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)


def begin(root: Path) -> None:
    """Start journaling writes (caller holds the write lock and the rebuild lock)."""
    (root / JOURNAL).write_bytes(b"")


def end(root: Path) -> None:
    """Stop journaling writes (caller holds the write lock)."""
    (root / JOURNAL).unlink(missing_ok=True)


def record(root: Path, docs: Iterable[WorkDocument], delete_ids: Iterable[str]) -> None:
    """Append a write to the journal if a rebuild is running (caller holds the write lock).

    Not synced to disk: a crash ends the rebuild too, and its journal with it.
    """
    path = root / JOURNAL
    if not path.exists():
        return
    if not _rebuild_alive(root):
        path.unlink(missing_ok=True)
        return
    with open(path, "ab") as journal:
        for work_id in delete_ids:
            pickle.dump((work_id, None), journal, pickle.HIGHEST_PROTOCOL)
        for doc in docs:
            pickle.dump((doc.id, doc), journal, pickle.HIGHEST_PROTOCOL)


def last_changes(root: Path) -> tuple[list[str], Iterator[WorkDocument]]:
    """The journal's last word on each document: ids to delete, and documents to write.

    Read twice, never whole: once for where each id was last changed, once
    for those records, so a busy rebuild's journal never sits in memory.
    """
    last: dict[str, tuple[int, bool]] = {}
    for n, (work_id, doc) in enumerate(_records(root)):
        last[work_id] = (n, doc is None)
    deleted = [work_id for work_id, (_, gone) in last.items() if gone]
    written = (
        doc for n, (work_id, doc) in enumerate(_records(root))
        if doc is not None and last[work_id][0] == n
    )
    return deleted, written


def _records(root: Path) -> Iterator[Record]:
    with open(root / JOURNAL, "rb") as journal:
        yield from _read(journal)


def _read(journal: BinaryIO) -> Iterator[Record]:
    while True:
        try:
            yield pickle.load(journal)
        except EOFError:
            return


def _rebuild_alive(root: Path) -> bool:
    """True while some process holds the rebuild lock."""
    try:
        lock_file = open(root / REBUILD_LOCK, "rb")
    except FileNotFoundError:
        return False
    with lock_file:
        try:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)
        return False
