"""Fixity: re-hashing proves a stored file is unchanged."""

from __future__ import annotations

import hashlib
import io

import pytest

from ingest.fixity import is_sha256, sha256_path, sha256_stream

CONTENT = b"%PDF-1.7\n" + bytes(range(256)) * 1000


def test_stream_and_path_hashes_agree_with_hashlib(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(CONTENT)
    expected = hashlib.sha256(CONTENT).hexdigest()
    assert sha256_path(path) == expected
    assert sha256_stream(io.BytesIO(CONTENT)) == expected


@pytest.mark.parametrize(("value", "valid"), [
    ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", True),
    ("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", False),
    ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", False),
    ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n", False),
])
def test_is_sha256_accepts_only_64_lowercase_hex(value, valid):
    assert is_sha256(value) is valid


def test_verify_ok_for_an_untouched_file(store):
    blob = store.put_stream(io.BytesIO(CONTENT))
    assert store.verify(blob.sha256) == "ok"


def test_verify_missing_when_the_file_is_gone(store):
    blob = store.put_stream(io.BytesIO(CONTENT))
    store.path(blob.sha256).unlink()
    assert store.verify(blob.sha256) == "missing"


def test_verify_altered_when_a_byte_changed(store):
    blob = store.put_stream(io.BytesIO(CONTENT))
    path = store.path(blob.sha256)
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[100] ^= 0x01
    path.write_bytes(bytes(data))
    assert store.verify(blob.sha256) == "altered"
