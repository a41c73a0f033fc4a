"""Fixtures for the ingest package: a fresh file store and the shared real-world corpus."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from ingest.storage import FileStore

PROJECT = Path(__file__).resolve().parents[2]
CORPUS_ENV = "REPO_TEST_CORPUS"


def corpus_dir() -> Path:
    """The shared corpus: ``REPO_TEST_CORPUS`` or ``../shared/corpus`` beside the project."""
    return Path(os.environ.get(CORPUS_ENV, PROJECT.parent / "shared" / "corpus"))


def corpus_rows() -> list[dict[str, str]]:
    """CORPUS.tsv as dictionaries; empty when the corpus is not on this machine."""
    index = corpus_dir() / "CORPUS.tsv"
    if not index.is_file():
        return []
    with index.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture
def corpus() -> Path:
    folder = corpus_dir()
    if not (folder / "CORPUS.tsv").is_file():
        pytest.skip(f"shared corpus not found at {folder} (set {CORPUS_ENV})")
    return folder


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    files = FileStore(tmp_path / "files")
    files.init()
    return files
