"""pdftotext as the second reader: pages by index, nothing rather than an error."""

from __future__ import annotations

import shutil

import pytest

from ingest.poppler_text import page_texts
from ingest.sample_pdf import write_image_pdf, write_pdf

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="poppler-utils is not installed")


@needs_pdftotext
def test_a_range_of_pages_comes_back_by_index(tmp_path):
    pdf = write_pdf(tmp_path / "four.pdf", ["trang một", "trang hai", "trang ba", "trang bốn"])
    pages = page_texts(pdf, 1, 2, timeout=60)
    assert sorted(pages) == [1, 2]
    assert "trang hai" in pages[1] and "trang ba" in pages[2]


@needs_pdftotext
def test_a_scanned_page_gives_no_text(tmp_path):
    pdf = write_image_pdf(tmp_path / "scan.pdf", ["Trang quét"])
    assert page_texts(pdf, 0, 0, timeout=60)[0].strip() == ""


def test_without_pdftotext_nothing_is_read(tmp_path, monkeypatch):
    pdf = write_pdf(tmp_path / "one.pdf", ["trang một"])
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert page_texts(pdf, 0, 0, timeout=60) == {}


def test_a_file_pdftotext_cannot_open_gives_nothing(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf")
    assert page_texts(fake, 0, 0, timeout=60) == {}
