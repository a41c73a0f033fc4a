"""The content-addressed store: atomic, deduplicated, bounded, and closed to user strings."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from ingest.storage import EmptyFile, FileStore, TooLarge

PDF_BYTES = b"%PDF-1.4\n" + b"x" * 5000


def tmp_files(store: FileStore) -> list[Path]:
    return list(store.tmp.iterdir())


def test_put_stream_names_the_object_by_its_sha256(store):
    blob = store.put_stream(io.BytesIO(PDF_BYTES))
    assert blob.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert blob.size == len(PDF_BYTES)
    path = store.path(blob.sha256)
    assert path.relative_to(store.objects).parts == (blob.sha256[:2], blob.sha256[2:4],
                                                     blob.sha256)
    assert path.read_bytes() == PDF_BYTES


def test_same_bytes_are_stored_once(store):
    first = store.put_stream(io.BytesIO(PDF_BYTES))
    second = store.put_stream(io.BytesIO(PDF_BYTES))
    assert first == second
    assert list(store.iter_hashes()) == [first.sha256]
    assert tmp_files(store) == []


def test_stored_objects_are_read_only(store):
    blob = store.put_stream(io.BytesIO(PDF_BYTES))
    assert store.path(blob.sha256).stat().st_mode & 0o222 == 0


def test_a_stream_over_the_limit_is_refused_and_leaves_nothing(store):
    with pytest.raises(TooLarge) as raised:
        store.put_stream(io.BytesIO(b"a" * 3_000_000), max_bytes=1_000_000)
    assert raised.value.limit == 1_000_000
    assert raised.value.size > 1_000_000
    assert list(store.iter_hashes()) == []
    assert tmp_files(store) == []


def test_the_limit_is_checked_while_reading_not_after(store):
    class Endless(io.RawIOBase):
        """A stream that never ends: the store must stop reading it."""

        def readinto(self, buffer):
            buffer[:] = b"z" * len(buffer)
            return len(buffer)

    with pytest.raises(TooLarge):
        store.put_stream(Endless(), max_bytes=10 * 1024 * 1024)
    assert tmp_files(store) == []


def test_a_failed_upload_leaves_no_partial_object(store):
    class Broken(io.RawIOBase):
        """A connection that drops after the first megabyte."""

        def __init__(self) -> None:
            self.sent = 0

        def readinto(self, buffer):
            if self.sent >= 1024 * 1024:
                raise ConnectionResetError("client went away")
            buffer[:] = b"p" * len(buffer)
            self.sent += len(buffer)
            return len(buffer)

    with pytest.raises(ConnectionResetError):
        store.put_stream(Broken())
    assert list(store.iter_hashes()) == []
    assert tmp_files(store) == []


def test_a_stream_exactly_at_the_limit_is_accepted(store):
    blob = store.put_stream(io.BytesIO(b"a" * 1000), max_bytes=1000)
    assert blob.size == 1000


def test_an_empty_stream_is_refused_and_leaves_nothing(store):
    with pytest.raises(EmptyFile):
        store.put_stream(io.BytesIO(b""))
    assert tmp_files(store) == []
    assert list(store.iter_hashes()) == []


def test_put_path_stores_a_file_from_disk(store, tmp_path):
    source = tmp_path / "thesis.pdf"
    source.write_bytes(PDF_BYTES)
    blob = store.put_path(source)
    with store.open(blob.sha256) as stream:
        assert stream.read() == PDF_BYTES
    assert store.exists(blob.sha256)


@pytest.mark.parametrize("name", [
    "../../etc/passwd",
    "A" * 64,
    "a" * 63,
    "a" * 65,
    "g" * 64,
    "",
    "/" + "a" * 63,
    "a" * 62 + "/.",
])
def test_only_a_real_checksum_can_name_a_file(store, name):
    with pytest.raises(ValueError):
        store.path(name)
    with pytest.raises(ValueError):
        store.get_text(name)


def test_missing_object_does_not_exist(store):
    assert not store.exists("0" * 64)
    with pytest.raises(FileNotFoundError):
        store.open("0" * 64)


def test_delete_removes_object_and_text_and_tolerates_absence(store):
    blob = store.put_stream(io.BytesIO(PDF_BYTES))
    store.put_text(blob.sha256, "văn bản")
    store.delete(blob.sha256)
    assert not store.exists(blob.sha256) and not store.has_text(blob.sha256)
    store.delete(blob.sha256)


def test_text_is_kept_by_checksum_as_utf8(store):
    sha = "ab" * 32
    assert store.get_text(sha) == "" and not store.has_text(sha)
    store.put_text(sha, "Trường Đại học\n")
    assert store.has_text(sha)
    assert store.get_text(sha) == "Trường Đại học\n"
    assert store.text_path(sha).read_bytes() == "Trường Đại học\n".encode()
    store.put_text(sha, "replaced")
    assert store.get_text(sha) == "replaced"
    assert tmp_files(store) == []


def test_iter_hashes_ignores_stray_files(store):
    blob = store.put_stream(io.BytesIO(PDF_BYTES))
    stray = store.objects / "zz" / "zz" / "notes.txt"
    stray.parent.mkdir(parents=True)
    stray.write_text("hello")
    misplaced = store.objects / "00" / "00" / blob.sha256
    misplaced.parent.mkdir(parents=True)
    misplaced.write_bytes(PDF_BYTES)
    assert list(store.iter_hashes()) == [blob.sha256]


def test_init_is_idempotent(tmp_path):
    store = FileStore(tmp_path / "files")
    store.init()
    store.init()
    assert store.objects.is_dir() and store.texts.is_dir() and store.tmp.is_dir()


def test_put_stream_creates_the_directories_itself(tmp_path):
    store = FileStore(tmp_path / "fresh")
    blob = store.put_stream(io.BytesIO(PDF_BYTES))
    assert store.exists(blob.sha256)
