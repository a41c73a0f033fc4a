"""Garbled text layers: pdftotext, then OCR, before a page is written off, each page on its own.

pdfminer writes ``(cid:N)`` for a glyph its font gives no character for,
and poppler's ``pdftotext`` often still reads such a page; when it does its
text is used, when it does not (it then passes small glyph numbers through
as control characters) the page waits for OCR instead of being indexed as
noise. What the issue measured: a 23-page English paper whose first page
reads cleanly lost its title to the garbled rest.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pdf_edits import join, without_unicode_map

from ingest.extract import PAGE_BREAK, extract
from ingest.normalize import UNMAPPED_CODES, garbled_ratio
from ingest.pdftext import read_pdf
from ingest.poppler_text import page_texts
from ingest.sample_pdf import write_pdf, write_unmapped_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils is not installed")

TITLE = "Preemptive Information Extraction using Unrestricted Relation Discovery"
# Every letter, both cases, and digits: a subset font of many glyphs, as a real paper has.
ENGLISH = ("Section {n}. We evaluate the quick brown fox jumping over the lazy dog; "
           "JACKDAWS LOVE MY BIG SPHINX OF QUARTZ, 0123456789 (Table 4, Figure 7). ") * 12
VIETNAMESE = ("Chương {n}. Phương pháp nghiên cứu phù sa ven sông Hậu Giang "
              "trong giai đoạn hội nhập quốc tế. ") * 8


def pages(result) -> list[str]:
    return result.text.split(PAGE_BREAK)


@pytest.fixture
def rescued_paper(tmp_path: Path) -> Path:
    """A clean title page, then two pages pdfminer reads only as placeholders."""
    return join(tmp_path / "rescued.pdf",
                write_pdf(tmp_path / "title.pdf", [TITLE]),
                write_unmapped_pdf(tmp_path / "body.pdf",
                                   [VIETNAMESE.format(n=2), VIETNAMESE.format(n=3)]))


@pytest.fixture
def paper_23_pages(tmp_path: Path) -> Path:
    """The issue's case: 23 pages, the first clean, the other 22 in a font without a map."""
    pdf = write_pdf(tmp_path / "paper.pdf",
                    [f"{TITLE}\nAbstract. We study relation discovery."]
                    + [ENGLISH.format(n=n) for n in range(2, 24)])
    return without_unicode_map(pdf, 1)


def test_pdfminer_reads_the_unmapped_pages_as_placeholders_only(rescued_paper):
    layer = read_pdf(rescued_paper)
    assert TITLE in layer.pages[0]
    assert "(cid:" in layer.pages[1] and garbled_ratio(layer.pages[1]) > 0.9


def test_pages_pdftotext_reads_cleanly_take_its_text(rescued_paper):
    result = extract(rescued_paper, ocr=False)
    assert result.status == "ok"
    assert result.message == "Text extracted from 3 page(s)."
    assert result.needs_ocr == ()
    assert TITLE in pages(result)[0]
    assert "Chương 2. Phương pháp nghiên cứu phù sa ven sông Hậu Giang" in pages(result)[1]
    assert "Chương 3." in pages(result)[2]
    assert "(cid:" not in result.text


def test_a_page_pdftotext_rescued_is_not_sent_to_ocr(rescued_paper):
    result = extract(rescued_paper)  # OCR allowed, and needed for no page
    assert result.status == "ok" and not result.ocr
    assert "Hậu Giang" in pages(result)[1]


def test_what_pdftotext_makes_of_a_font_without_a_map_is_not_taken_for_text(paper_23_pages):
    # poppler passes the glyph numbers of the subset font through as characters.
    unread = page_texts(paper_23_pages, 1, 1, timeout=60)[1]
    assert UNMAPPED_CODES.search(unread)
    result = extract(paper_23_pages, ocr=False)
    assert all(page == "" for page in pages(result)[1:])
    assert not UNMAPPED_CODES.search(result.text)


def test_a_23_page_paper_with_a_clean_first_page_is_judged_page_by_page(paper_23_pages):
    result = extract(paper_23_pages, ocr=False)
    assert result.status == "ok"
    assert result.pages == 23
    assert result.needs_ocr == tuple(range(1, 23))
    assert result.message == "Text extracted from 1 of 23 pages; 22 page(s) need OCR."
    assert TITLE in pages(result)[0]
