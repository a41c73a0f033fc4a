"""Index generations: build a complete index aside, then swap it in atomically.

The root holds ``gen-*`` directories and a ``current`` symlink naming one of
them. A rebuild writes a new generation, then replaces the symlink with
``os.replace`` (atomic on POSIX), so a search opens either the old or the new
index, never a half-built one. The index is derived from the database and
can always be rebuilt this way (MoinMoin's model).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

from whoosh.index import Index, create_in

from search.documents import WorkDocument
from search.schema import build_schema, to_fields

CURRENT = "current"
GENERATION_PREFIX = "gen-"
# Rebuild writers get more memory: fewer spilled runs to merge at the end.
REBUILD_LIMIT_MB = 256


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
    return path, create_in(str(path), build_schema())


def fill(ix: Index, docs: Iterable[WorkDocument], procs: int) -> int:
    """Add every document to a new index and commit; returns how many were added.

    ``procs > 1`` uses Whoosh's multiprocess writer with one segment per
    process (no final merge: the merge would cost as much as the indexing).
    """
    options: dict[str, object] = {"limitmb": REBUILD_LIMIT_MB, "compound": False}
    if procs > 1:
        options.update(procs=procs, multisegment=True)
    writer = ix.writer(**options)
    count = 0
    try:
        for doc in docs:
            writer.add_document(**to_fields(doc))
            count += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return count


def swap_in(root: Path, generation: Path) -> None:
    """Point ``current`` at ``generation`` atomically, then remove older generations."""
    temporary = root / f".{CURRENT}-{uuid.uuid4().hex}"
    os.symlink(generation.name, temporary)
    os.replace(temporary, root / CURRENT)
    for old in root.glob(f"{GENERATION_PREFIX}*"):
        if old != generation:
            shutil.rmtree(old, ignore_errors=True)
