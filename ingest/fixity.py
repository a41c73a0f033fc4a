"""Checksums of files and streams.

The store names every object by its SHA-256 and the fixity check re-hashes
objects to prove they are unchanged; both use these helpers so there is
one definition of "the checksum of a file".
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK_SIZE = 1024 * 1024
SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")


def is_sha256(value: str) -> bool:
    """True for 64 lowercase hex digits: the only strings allowed to name a stored file."""
    return isinstance(value, str) and SHA256_PATTERN.fullmatch(value) is not None


def iter_chunks(stream: BinaryIO, size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Read a stream in fixed-size chunks, so large uploads never sit whole in memory."""
    while chunk := stream.read(size):
        yield chunk


def sha256_chunks(chunks: Iterable[bytes]) -> str:
    """Hex SHA-256 of a sequence of byte chunks."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def sha256_stream(stream: BinaryIO) -> str:
    """Hex SHA-256 of everything left in a binary stream."""
    return sha256_chunks(iter_chunks(stream))


def sha256_path(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    with path.open("rb") as stream:
        return sha256_stream(stream)
