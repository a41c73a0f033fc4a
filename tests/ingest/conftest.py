"""Fixtures for the ingest package: a fresh file store and slow real PDFs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ingest.storage import FileStore

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    files = FileStore(tmp_path / "files")
    files.init()
    return files


LONG_PARAGRAPH = ("Nghiên cứu khoa học về phát triển kinh tế nông thôn vùng đồng bằng "
                  "sông Cửu Long trong giai đoạn hội nhập quốc tế. ") * 40


@pytest.fixture(scope="session")
def slow_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 80-page PDF that takes pdfminer several seconds: for time and memory limits."""
    from ingest.sample_pdf import write_pdf

    return write_pdf(tmp_path_factory.mktemp("slow") / "long-thesis.pdf", [LONG_PARAGRAPH] * 40)


# pdfminer lays out a page of this file in 0.02-0.03 s on a quiet machine, so
# reading all of it takes 20-30 s: many times any timeout a test sets, even on
# a machine several times faster. Tests only ever let it run into that timeout.
VERY_SLOW_PAGES = 1000


@pytest.fixture(scope="session")
def very_slow_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 1,000-page PDF that takes pdfminer many seconds on any machine: for time limits.

    The 80-page ``slow_pdf`` finishes within a second or two on a fast quiet
    machine, too close to a timeout for a test to rely on its running over.
    """
    from ingest.sample_pdf import write_long_pdf

    return write_long_pdf(tmp_path_factory.mktemp("very-slow") / "book.pdf", VERY_SLOW_PAGES)


@pytest.fixture(scope="session")
def viwiki_texts() -> list[str]:
    """The article texts of the shared Vietnamese Wikipedia sample (REPO_TEST_VI, ../shared/vi)."""
    folder = Path(os.environ.get("REPO_TEST_VI", PROJECT.parent / "shared" / "vi"))
    path = folder / "viwiki_sample.jsonl"
    if not path.exists():
        pytest.skip(f"Vietnamese sample not found at {path}")
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines]
