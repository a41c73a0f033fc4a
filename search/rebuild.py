"""Index generations: build a complete index aside, then swap it in atomically.

The root holds ``gen-*`` directories and a ``current`` symlink naming one of
them. A rebuild writes a new generation, then replaces the symlink with
``os.replace`` (atomic on POSIX), so a search opens either the old or the new
index, never a half-built one. The index is derived from the database and
can always be rebuilt this way (MoinMoin's model).

Whoosh opens some segment files lazily, so a generation must not vanish
under a running search: each search holds a shared ``flock`` on its
generation's ``readers.lock``, and an old generation is removed only when an
exclusive lock on it succeeds; one still in use is removed after a later swap.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh.index import Index, create_in

from search.codec import SplitCodec
from search.documents import WorkDocument
from search.errors import IndexMissingError, IndexOutdatedError
from search.schema import build_schema, index_format, to_fields
from search.whoosh_private import bulk_writer

CURRENT = "current"
GENERATION_PREFIX = "gen-"
READERS_LOCK = "readers.lock"
# Names the format a generation was written in (``schema.index_format``).
FORMAT_FILE = "format"
# Times the link is read again when a swap removes the generation it named.
OPEN_ATTEMPTS = 3
# Rebuild writers get more memory: fewer spilled runs to merge at the end.
REBUILD_LIMIT_MB = 256
# How often a rebuild says how far it got.
PROGRESS_EVERY = 100
# Told how many documents a rebuild has indexed so far.
Progress = Callable[[int], object]


def current_generation(root: Path) -> Path | None:
    """The directory the ``current`` symlink names, or None before the first index."""
    link = root / CURRENT
    if not link.is_symlink():
        return None
    return root / os.readlink(link)


def new_generation(root: Path) -> tuple[Path, Index]:
    """An empty index in a fresh generation directory beside the current one."""
    path = root / f"{GENERATION_PREFIX}{uuid.uuid4().hex}"
    path.mkdir()
    (path / READERS_LOCK).touch()
    (path / FORMAT_FILE).write_text(index_format())
    return path, create_in(str(path), build_schema())


def check_format(generation: Path) -> None:
    """Refuse a generation written in another format: its fields would be misread."""
    try:
        written = (generation / FORMAT_FILE).read_text().strip()
    except FileNotFoundError:
        written = "1 (before formats were recorded)"
    if written != index_format():
        raise IndexOutdatedError(
            f"{generation}: the index was written in format {written}, this release reads "
            f"{index_format()}; rebuild it with `repo-app reindex`"
        )


@contextmanager
def reading_current(root: Path) -> Iterator[Path]:
    """The current generation, kept from removal until the caller is done reading it."""
    for _ in range(OPEN_ATTEMPTS):
        generation = current_generation(root)
        if generation is None:
            raise IndexMissingError(str(root))
        try:
            lock_file = open(generation / READERS_LOCK, "rb")
        except FileNotFoundError:
            continue
        with lock_file:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_SH)
            if generation.is_dir():
                yield generation
                return
    raise IndexMissingError(f"{root}: the current generation keeps disappearing")


def fill(
    ix: Index,
    docs: Iterable[WorkDocument],
    procs: int,
    limitmb: int = REBUILD_LIMIT_MB,
    progress: Progress | None = None,
) -> int:
    """Add every document to a new index and commit; returns how many were added.

    ``progress(count)`` is told every PROGRESS_EVERY documents and at the end.
    """
    writer = bulk_writer(ix, procs, limitmb=limitmb, compound=False, codec=SplitCodec())
    count = 0
    try:
        for doc in docs:
            writer.add_document(**to_fields(doc))
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    if progress is not None:
        progress(count)
    return count


def swap_in(root: Path, generation: Path) -> None:
    """Point ``current`` at ``generation`` atomically, then remove unused older generations."""
    temporary = root / f".{CURRENT}-{uuid.uuid4().hex}"
    os.symlink(generation.name, temporary)
    os.replace(temporary, root / CURRENT)
    for old in root.glob(f"{GENERATION_PREFIX}*"):
        if old != generation:
            remove_unless_read(old)


def remove_unless_read(generation: Path) -> None:
    """Delete a replaced generation now, or leave it to a later swap if a search reads it."""
    try:
        lock_file = open(generation / READERS_LOCK, "rb")
    except FileNotFoundError:
        shutil.rmtree(generation, ignore_errors=True)
        return
    with lock_file:
        try:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        shutil.rmtree(generation, ignore_errors=True)
