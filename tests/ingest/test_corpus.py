"""Every real-world PDF of the shared corpus ends in the class CORPUS.tsv expects."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ingest.extract import complete_with_ocr, extract
from ingest.ocr import recognise_page
from ingest.searchable_pdf import build

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


EXPECTED_STATUSES = {
    "text": {"ok"},
    "needs_password": {"encrypted"},
    "no_text_layer": {"ocr"} if shutil.which("tesseract") else {"empty"},
}
SLOW_PAGES = 20


def corpus_params() -> list:
    """One case per corpus file (long ones marked slow); one skipped case without a corpus."""
    rows = corpus_rows()
    if not rows:
        return [pytest.param(None, id="no-corpus", marks=pytest.mark.skip(
            reason=f"shared corpus not found at {corpus_dir()} (set {CORPUS_ENV})"))]
    return [pytest.param(row, id=row["file"],
                         marks=[pytest.mark.slow] if int(row["pages"]) >= SLOW_PAGES else [])
            for row in rows]


def squeeze(text: str) -> str:
    """Case and whitespace folded, for finding a phrase across line breaks."""
    return re.sub(r"\s+", " ", text).casefold().strip()


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params())
def test_corpus_file(corpus, row):
    result = extract(corpus / row["file"])
    assert result.status in EXPECTED_STATUSES[row["expected_class"]], result.message
    assert result.chars == len(result.text)
    if row["expected_class"] == "text":
        assert result.pages == int(row["pages"])
        assert squeeze(row["must_contain"]) in squeeze(result.text)
    if row["expected_class"] == "needs_password":
        assert result.text == ""


def scan_params() -> list:
    """The corpus's scans without a text layer; one skipped case without a corpus."""
    rows = [row for row in corpus_rows() if row["expected_class"] == "no_text_layer"]
    if not rows:
        return [pytest.param(None, id="no-scans", marks=pytest.mark.skip(
            reason=f"no scans in the shared corpus at {corpus_dir()} (set {CORPUS_ENV})"))]
    return [pytest.param(row, id=row["file"]) for row in rows]


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("row", scan_params())
def test_a_real_scan_goes_the_whole_ocr_path(corpus, row, tesseract_vie, tmp_path):
    """extract without OCR, recognise each listed page, splice, graft a searchable copy."""
    original = corpus / row["file"]
    pending = extract(original, ocr=False)
    assert pending.status == "empty" and pending.needs_ocr
    pages = {i: recognise_page(original, i, tmp_path, timeout=120) for i in pending.needs_ocr}
    done = complete_with_ocr(pending, {i: page.text for i, page in pages.items()})
    assert done.status == "ocr" and done.needs_ocr == ()
    copy = build(original, {i: page.pdf_page for i, page in pages.items()},
                 tmp_path / "searchable.pdf")
    searchable = subprocess.run(["pdftotext", str(copy.path), "-"], capture_output=True,
                                text=True, check=True).stdout
    recognised = squeeze(done.text).split()
    assert recognised and set(recognised) & set(squeeze(searchable).split())
    if row["must_contain"]:
        assert squeeze(row["must_contain"]) in squeeze(done.text)
        assert squeeze(row["must_contain"]) in squeeze(searchable)
