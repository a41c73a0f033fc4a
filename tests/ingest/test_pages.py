"""Extraction judged page by page: what each page gave, what still needs OCR, page limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_edits import invisible, join, without_unicode_map

from ingest.extract import PAGE_BREAK, complete_with_ocr, extract
from ingest.outcomes import outcome
from ingest.sample_pdf import write_image_pdf, write_pdf

TITLE = "Preemptive Information Extraction using Unrestricted Relation Discovery"
BODY = "Chương {n}. Phương pháp nghiên cứu khoa học về kinh tế nông thôn"


def page(result, index: int) -> str:
    return result.text.split(PAGE_BREAK)[index]


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    """A clean first page, then four pages whose font has lost its character map."""
    pdf = write_pdf(tmp_path / "paper.pdf", [TITLE] + [BODY.format(n=n) for n in range(2, 6)])
    return without_unicode_map(pdf, 1)


def test_pages_are_kept_apart_by_form_feeds(tmp_path):
    pdf = write_pdf(tmp_path / "three.pdf", ["trang một", "trang hai", "trang ba"])
    result = extract(pdf, ocr=False)
    assert result.text.split(PAGE_BREAK) == ["trang một", "trang hai", "trang ba"]
    assert result.needs_ocr == ()


def test_a_clean_first_page_keeps_its_text_when_the_others_are_garbled(paper):
    result = extract(paper, ocr=False)
    assert result.status == "ok"
    assert TITLE in page(result, 0)
    assert result.needs_ocr == (1, 2, 3, 4)
    assert result.message == "Text extracted from 1 of 5 pages; 4 page(s) need OCR."
    assert all(page(result, i) == "" for i in result.needs_ocr)


def test_garbled_pages_are_recognised_when_ocr_runs_here(tesseract_vie, paper):
    result = extract(paper, timeout=300)
    assert result.status == "ok" and result.ocr
    assert result.needs_ocr == ()
    assert result.message == "Text extracted from 1 page(s) and recognised by OCR on 4 page(s)."
    assert TITLE in page(result, 0)
    assert "Phương pháp nghiên cứu" in page(result, 2)


def test_a_scan_lists_every_page_for_ocr(tmp_path):
    scan = write_image_pdf(tmp_path / "scan.pdf", ["Trang một", "Trang hai"])
    result = extract(scan, ocr=False)
    assert result.status == "empty"
    assert result.needs_ocr == (0, 1)
    assert result.text == "" and result.chars == 0


def test_a_scanned_page_inside_a_typed_file_is_the_only_one_for_ocr(tmp_path):
    pdf = join(tmp_path / "mixed.pdf",
               write_pdf(tmp_path / "typed.pdf", ["Lời cam đoan của tác giả luận văn"]),
               write_image_pdf(tmp_path / "scan.pdf", ["Phụ lục: bản quét"]),
               write_pdf(tmp_path / "typed2.pdf", ["Kết luận và kiến nghị"]))
    result = extract(pdf, ocr=False)
    assert result.status == "ok"
    assert result.needs_ocr == (1,)
    assert page(result, 0) == "Lời cam đoan của tác giả luận văn"
    assert page(result, 1) == ""
    assert page(result, 2) == "Kết luận và kiến nghị"


def test_a_blank_page_without_a_picture_is_not_sent_to_ocr(tmp_path):
    pdf = write_pdf(tmp_path / "blank.pdf", ["Trang có chữ", "", "Trang có chữ nữa"])
    result = extract(pdf, ocr=False)
    assert result.status == "ok" and result.needs_ocr == ()
    assert result.message == "Text extracted from 3 page(s)."


def test_a_scanned_page_is_recognised_into_its_place(tesseract_vie, tmp_path):
    pdf = join(tmp_path / "mixed.pdf",
               write_pdf(tmp_path / "typed.pdf", ["Lời cam đoan"]),
               write_image_pdf(tmp_path / "scan.pdf", ["Phụ lục bản quét"]))
    result = extract(pdf)
    assert result.status == "ok" and result.ocr
    assert "Phụ lục bản quét" in page(result, 1)
    assert "Phụ lục" not in page(result, 0)


def test_a_garbled_layer_ocr_cannot_fix_stays_garbled(tesseract_vie, tmp_path):
    pdf = invisible(write_pdf(tmp_path / "garbled.pdf", ["\ufffd" * 300]))
    result = extract(pdf)
    assert result.status == "garbled"
    assert result.message == ("Most characters could not be decoded (unusual font encoding); "
                              "search may miss this file.")
    assert result.needs_ocr == ()


def test_a_pdf_over_the_page_limit_is_too_large(tmp_path):
    pdf = write_pdf(tmp_path / "long.pdf", ["trang"] * 2000)
    result = extract(pdf, ocr=False)
    assert result.status == "too_large"
    assert result.message == "The PDF has 2000 pages; at most 1500 pages are accepted."
    assert result.pages == 2000 and result.text == ""


def test_the_page_limit_can_be_set(tmp_path):
    pdf = write_pdf(tmp_path / "three.pdf", ["một", "hai", "ba"])
    assert extract(pdf, page_limit=2).status == "too_large"
    assert extract(pdf, page_limit=3).status == "ok"
    assert extract(pdf, page_limit=None).status == "ok"


def test_ocr_text_is_spliced_into_its_pages():
    pending = outcome("ok", "Text extracted from 2 of 4 pages; 2 page(s) need OCR.", pages=4,
                      text=PAGE_BREAK.join(["một", "", "ba", ""]), needs_ocr=(1, 3))
    done = complete_with_ocr(pending, {1: "hai", 3: "bốn"})
    assert done.text.split(PAGE_BREAK) == ["một", "hai", "ba", "bốn"]
    assert (done.status, done.ocr, done.needs_ocr) == ("ok", True, ())
    assert done.message == "Text extracted from 2 page(s) and recognised by OCR on 2 page(s)."
    assert done.chars == len(done.text)


def test_pages_not_yet_recognised_stay_listed():
    pending = outcome("empty", "No text layer found.", pages=3, needs_ocr=(0, 1, 2))
    done = complete_with_ocr(pending, {0: "Trang một"})
    assert done.status == "ocr" and done.needs_ocr == (1, 2)
    assert done.text.split(PAGE_BREAK)[0] == "Trang một"
    assert done.message == "Text extracted from 1 of 3 pages; 2 page(s) need OCR."


def test_a_scan_where_ocr_found_nothing_is_empty():
    pending = outcome("empty", "No text layer found.", pages=2, needs_ocr=(0, 1))
    done = complete_with_ocr(pending, {0: "", 1: "  "})
    assert (done.status, done.text, done.ocr) == ("empty", "", False)
    assert done.message == "No text layer found and OCR recognised no text."
