"""Content-addressed file store: every file is kept once, named by its SHA-256.

Naming objects by checksum makes duplicates free, makes fixity checking a
re-hash, and means no user-supplied string ever becomes a path: a name is
accepted only if it is 64 lowercase hex digits. Writes go to a temporary
file on the same filesystem, are fsynced and then renamed into place, so a
crash leaves either the whole object or nothing.

Text extracted from a file is kept beside it, keyed by the same checksum,
because the same bytes always give the same text.

Uploads wait in a staging area (``staging/<owner>/<sha256>``) until a work
takes them (``adopt`` moves them into the store by a rename): a form that
fails validation keeps its uploads for the next try without putting
anything in the store, each owner's staging is bounded, and what nobody
adopted is swept after a day (``sweep_staging``).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ingest.fixity import is_sha256, iter_chunks, sha256_path

TEXT_SUFFIX = ".txt"
# Stored objects are never modified in place; read-only permissions make an
# accidental write fail loudly instead of silently breaking fixity.
OBJECT_MODE = 0o444


@dataclass(frozen=True)
class StoredBlob:
    """What the store knows about an object: its name and its size in bytes."""

    sha256: str
    size: int


class TooLarge(Exception):
    """The stream passed ``max_bytes``; nothing was stored."""

    def __init__(self, limit: int, size: int) -> None:
        super().__init__(f"file is larger than the limit of {limit} bytes (read {size})")
        self.limit = limit
        self.size = size


class StoreFull(Exception):
    """The filesystem refused the bytes (no space, quota, file size limit); nothing was stored."""


# errno values that mean "no room for these bytes", not "something is broken".
NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class EmptyFile(Exception):
    """The stream held no bytes; an empty file is never a deposit."""


class StagingFull(Exception):
    """The owner's staged uploads already take their quota; nothing was staged."""


STAGING_OWNER = re.compile(r"^[a-z0-9_-]{1,40}$")


class FileStore:
    """Objects under ``root/objects/ab/cd/<sha256>``, their text under ``root/text``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.texts = self.root / "text"
        self.tmp = self.root / "tmp"
        self.staging = self.root / "staging"

    def init(self) -> None:
        """Create the directories and sweep what dead writers left; safe to call again."""
        for folder in (self.objects, self.texts, self.tmp, self.staging):
            folder.mkdir(parents=True, exist_ok=True)
        self.sweep_abandoned()

    def sweep_abandoned(self) -> int:
        """Delete temporary files whose writer died (``kill -9``, a crash); returns how many.

        A temporary file is named after its writer's host and process id, so a
        file of a live writer, or of another host sharing the store, is kept.
        """
        swept = 0
        for candidate in self.tmp.glob("*-*-*-*"):
            _kind, host, pid, _rest = candidate.name.split("-", 3)
            if host == _HOST and pid.isdigit() and not process_alive(int(pid)):
                candidate.unlink(missing_ok=True)
                swept += 1
        return swept

    def path(self, sha256: str) -> Path:
        """Where the object lives; ``ValueError`` unless ``sha256`` is a real checksum."""
        return self._sharded(self.objects, sha256, "")

    def text_path(self, sha256: str) -> Path:
        """Where the object's extracted text lives."""
        return self._sharded(self.texts, sha256, TEXT_SUFFIX)

    def put_stream(self, stream: BinaryIO, max_bytes: int | None = None) -> StoredBlob:
        """Store a stream, hashing while writing; the same bytes are stored once."""
        return self._write(stream, max_bytes, self.path)

    def stage_stream(self, stream: BinaryIO, owner: str, max_bytes: int | None = None,
                     quota_bytes: int | None = None) -> StoredBlob:
        """Keep an upload in ``owner``'s staging area (not the store) until a work adopts it."""
        if quota_bytes is not None and self.staged_bytes(owner) >= quota_bytes:
            raise StagingFull(owner)
        blob = self._write(stream, max_bytes, lambda sha256: self.staged_path(owner, sha256))
        os.utime(self.staged_path(owner, blob.sha256))  # staged again: its day starts again
        return blob

    def staged_path(self, owner: str, sha256: str) -> Path:
        if not STAGING_OWNER.match(owner) or not is_sha256(sha256):
            raise ValueError("not a staging owner and checksum")
        return self.staging / owner / sha256

    def staged_bytes(self, owner: str) -> int:
        folder = self.staging / owner
        return sum(p.stat().st_size for p in folder.iterdir()) if folder.is_dir() else 0

    def adopt(self, owner: str, sha256: str) -> None:
        """Move a staged upload into the store (a rename); nothing to do if it is there already."""
        staged = self.staged_path(owner, sha256)
        target = self.path(sha256)
        if target.is_file():
            staged.unlink(missing_ok=True)
            return
        if not staged.is_file():
            raise FileNotFoundError(f"staged upload {sha256} is gone")
        with _no_room_is_store_full():
            self._move_into_place(staged, target)

    def sweep_staging(self, older_than_seconds: float) -> int:
        """Remove staged uploads nobody adopted within ``older_than_seconds``; say how many."""
        if not self.staging.is_dir():
            return 0
        cutoff = time.time() - older_than_seconds
        removed = 0
        for staged in self.staging.glob("*/*"):
            if staged.is_file() and staged.stat().st_mtime < cutoff:
                staged.unlink(missing_ok=True)
                removed += 1
        return removed

    def _write(self, stream: BinaryIO, max_bytes: int | None,
               destination: Callable[[str], Path]) -> StoredBlob:
        """Hash ``stream`` into a temporary file, then rename it to ``destination(sha256)``."""
        self.init()
        digest = hashlib.sha256()
        size = 0
        handle, tmp_name = tempfile.mkstemp(dir=self.tmp, prefix=_temp_prefix("upload"))
        tmp = Path(tmp_name)
        try:
            with _no_room_is_store_full(), os.fdopen(handle, "wb") as out:
                for chunk in iter_chunks(stream):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise TooLarge(max_bytes, size)
                    digest.update(chunk)
                    out.write(chunk)
                if size == 0:
                    raise EmptyFile("the file is empty")
                out.flush()
                os.fsync(out.fileno())
            blob = StoredBlob(digest.hexdigest(), size)
            with _no_room_is_store_full():
                self._move_into_place(tmp, destination(blob.sha256))
            return blob
        finally:
            # A half-written temporary file never stays, whatever stopped the write.
            tmp.unlink(missing_ok=True)

    def put_path(self, path: Path, max_bytes: int | None = None) -> StoredBlob:
        """Store a file from disk (the batch importer's way in)."""
        with Path(path).open("rb") as stream:
            return self.put_stream(stream, max_bytes=max_bytes)

    def open(self, sha256: str) -> BinaryIO:
        """Open a stored object for reading; ``FileNotFoundError`` if it is missing."""
        return self.path(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def verify(self, sha256: str) -> str:
        """``"ok"``, ``"missing"`` or ``"altered"`` (the bytes no longer match their name)."""
        target = self.path(sha256)
        if not target.is_file():
            return "missing"
        return "ok" if sha256_path(target) == sha256 else "altered"

    def iter_hashes(self) -> Iterator[str]:
        """Every object in the store, for the consistency check."""
        if not self.objects.is_dir():
            return
        for candidate in sorted(self.objects.glob("*/*/*")):
            name = candidate.name
            if is_sha256(name) and candidate.is_file() and candidate == self.path(name):
                yield name

    def delete(self, sha256: str) -> None:
        """Remove an object and its text; removing a missing object is not an error."""
        self.path(sha256).unlink(missing_ok=True)
        self.text_path(sha256).unlink(missing_ok=True)

    def put_text(self, sha256: str, text: str) -> None:
        """Keep the text extracted from an object, replacing it atomically."""
        self.init()
        target = self.text_path(sha256)
        handle, tmp_name = tempfile.mkstemp(dir=self.tmp, prefix=_temp_prefix("text"))
        tmp = Path(tmp_name)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)

    def get_text(self, sha256: str) -> str:
        """The extracted text, or ``""`` when none was kept."""
        target = self.text_path(sha256)
        return target.read_text(encoding="utf-8") if target.is_file() else ""

    def has_text(self, sha256: str) -> bool:
        return self.text_path(sha256).is_file()

    def _sharded(self, base: Path, sha256: str, suffix: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError("not a SHA-256 checksum")
        return base / sha256[:2] / sha256[2:4] / f"{sha256}{suffix}"

    def _move_into_place(self, tmp: Path, target: Path) -> None:
        """Rename a finished temporary file to its final name, unless the object exists."""
        if target.is_file():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp, OBJECT_MODE)
        os.replace(tmp, target)
        _fsync_directory(target.parent)


_HOST = socket.gethostname().replace("-", "_")


def _temp_prefix(kind: str) -> str:
    """``kind-host-pid-``: whose temporary file this is, for ``sweep_abandoned``."""
    return f"{kind}-{_HOST}-{os.getpid()}-"


def process_alive(pid: int) -> bool:
    """Whether a process of this host still runs (a temporary file's or a job's holder)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def _no_room_is_store_full() -> Iterator[None]:
    try:
        yield
    except OSError as error:
        if error.errno in NO_ROOM:
            raise StoreFull(os.strerror(error.errno)) from error
        raise


def _fsync_directory(folder: Path) -> None:
    """Make a rename durable: the directory entry must reach the disk too."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
