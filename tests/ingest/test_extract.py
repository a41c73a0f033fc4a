"""Extraction: every kind of file a library receives ends in a status, never a traceback."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from ingest.extract import (
    STATUSES,
    Extraction,
    extract,
    extract_many,
    raw_extract_text,
    sniff_media_type,
)
from ingest.sample_pdf import write_image_pdf, write_pdf

VIETNAMESE_PAGES = ["Trường Đại học Cần Thơ\nKhoa Kinh tế", "Chương 2. Phương pháp nghiên cứu"]
TCVN3_TEXT = "Tr\u00adêng §¹i häc B¸ch khoa Hµ Néi\nCh\u00ad¬ng 1. Giíi thiÖu chung"
VNI_TEXT = "Tröôøng Ñaïi hoïc Baùch khoa Haø Noäi\nChöông 1. Giôùi thieäu chung"


def font_names(path: Path) -> set[str]:
    def walk(item):
        if isinstance(item, LTChar):
            yield item.fontname
        elif isinstance(item, LTContainer):
            for child in item:
                yield from walk(child)
    return {name for page in extract_pages(path) for name in walk(page)}


def damage_page(pdf: Path, number: int, how: str) -> None:
    """Break one page's content stream in place, keeping every byte offset of the file.

    ``"bytes"`` overwrites the compressed bytes, so they no longer inflate;
    ``"object"`` spoils the ``stream`` keyword, so the object is no stream.
    """
    data = pdf.read_bytes()
    with pdf.open("rb") as handle:
        page = list(PDFPage.create_pages(PDFDocument(PDFParser(handle))))[number - 1]
        contents = page.attrs["Contents"]
        objid, length = contents.objid, contents.resolve().attrs["Length"]
    header = re.search(rb"(?<!\d)%d 0 obj\s*<<.*?>>\s*(stream)\r?\n" % objid, data, re.S)
    if how == "bytes":
        start = header.end()
        data = data[:start] + b"\0" * length + data[start + length:]
    else:
        data = data[:header.start(1)] + b"strXam" + data[header.end(1):]
    pdf.write_bytes(data)


def assert_consistent(result: Extraction) -> None:
    assert result.status in STATUSES
    assert result.chars == len(result.text)
    assert result.message and result.message.endswith(".")


@pytest.mark.parametrize(("head", "expected"), [
    (b"%PDF-1.7\n", "application/pdf"),
    (b"\xef\xbb\xbf\r\n%PDF-1.4", "application/pdf"),
    (b" " * 1000 + b"%PDF-1.4", "application/pdf"),
    (b" " * 1024 + b"%PDF-1.4", None),
    (b"<!DOCTYPE html><html>", None),
    (b"PK\x03\x04", None),
    (b"", None),
])
def test_sniff_media_type(head, expected):
    assert sniff_media_type(head) == expected


def test_a_vietnamese_pdf_gives_nfc_text_and_page_count(tmp_path):
    result = extract(write_pdf(tmp_path / "vi.pdf", VIETNAMESE_PAGES))
    assert_consistent(result)
    assert result.status == "ok"
    assert result.message == "Text extracted from 2 page(s)."
    assert result.pages == 2
    assert "Trường Đại học Cần Thơ" in result.text
    assert "Chương 2. Phương pháp nghiên cứu" in result.text
    assert not result.ocr and result.legacy_encoding is None


def test_a_zero_byte_file_is_corrupt(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = extract(empty)
    assert (result.status, result.message) == ("corrupt", "The file is empty (0 bytes).")


def test_a_missing_file_is_reported_not_raised(tmp_path):
    result = extract(tmp_path / "nowhere.pdf")
    assert result.status == "corrupt" and result.text == ""


def test_html_renamed_to_pdf_is_unsupported(tmp_path):
    fake = tmp_path / "thesis.pdf"
    fake.write_text("<!DOCTYPE html><html><body>Not found</body></html>", encoding="utf-8")
    result = extract(fake)
    assert_consistent(result)
    assert result.status == "unsupported"
    assert "not a PDF" in result.message


@pytest.mark.parametrize("share", [0.3, 0.6, 0.9])
def test_a_truncated_pdf_is_corrupt(tmp_path, share):
    whole = write_pdf(tmp_path / "whole.pdf", VIETNAMESE_PAGES).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: int(len(whole) * share)])
    result = extract(cut)
    assert_consistent(result)
    assert result.status == "corrupt"
    assert result.message == "The PDF is damaged and no page could be read."


def test_a_pdf_that_needs_a_password_is_encrypted(tmp_path):
    locked = write_pdf(tmp_path / "locked.pdf", ["Bí mật"], encrypt_user_password="matkhau")
    result = extract(locked)
    assert_consistent(result)
    assert result.status == "encrypted"
    assert "without a password" in result.message
    assert result.text == ""


def test_an_encrypted_pdf_that_opens_without_a_password_is_extracted(tmp_path):
    opened = write_pdf(tmp_path / "open.pdf", ["Công khai cho mọi người"],
                       encrypt_user_password="")
    result = extract(opened)
    assert result.status == "ok"
    assert "Công khai cho mọi người" in result.text


def test_a_slow_pdf_times_out_and_the_caller_carries_on(very_slow_pdf, tmp_path):
    started = time.monotonic()
    result = extract(very_slow_pdf, timeout=0.05)
    assert time.monotonic() - started < 30
    assert_consistent(result)
    assert result.status == "timeout"
    assert result.message == "Text extraction took longer than 0.05 seconds and was stopped."
    assert extract(write_pdf(tmp_path / "after.pdf", ["Vẫn chạy"])).status == "ok"


@pytest.mark.parametrize("memory_mb", [1, 30])
def test_running_out_of_memory_is_a_result_not_a_crash(slow_pdf, tmp_path, memory_mb):
    result = extract(slow_pdf, memory_mb=memory_mb)
    assert_consistent(result)
    assert result.status in ("too_large", "corrupt")
    assert extract(write_pdf(tmp_path / "after.pdf", ["Vẫn chạy"])).status == "ok"


def test_max_pages_limits_the_text_but_counts_every_page(tmp_path):
    pdf = write_pdf(tmp_path / "three.pdf", ["trang một", "trang hai", "trang ba"])
    result = extract(pdf, max_pages=1)
    assert result.status == "ok"
    assert result.pages == 3
    assert result.message == "Text extracted from the first 1 of 3 pages."
    assert "trang một" in result.text and "trang hai" not in result.text


@pytest.mark.parametrize("how", ["bytes", "object"])
def test_a_damaged_page_costs_only_its_own_text(tmp_path, how):
    pdf = write_pdf(tmp_path / "three.pdf", ["Trang một: kinh tế nông thôn",
                                             "Trang hai: giáo dục mầm non",
                                             "Trang ba: thủy lợi ven biển"])
    damage_page(pdf, 2, how)
    result = extract(pdf)
    assert_consistent(result)
    assert result.status == "ok"
    assert result.pages == 3
    assert result.message == "Text extracted from 2 of 3 pages; 1 damaged page(s) could not be read."
    assert "Trang một: kinh tế nông thôn" in result.text
    assert "Trang ba: thủy lợi ven biển" in result.text
    assert "giáo dục" not in result.text


def test_an_image_only_pdf_is_empty_and_asks_for_ocr(tmp_path):
    scan = write_image_pdf(tmp_path / "scan.pdf", ["Trang quét không có lớp chữ"])
    result = extract(scan, ocr=False)
    assert_consistent(result)
    assert result.status == "empty"
    assert "OCR is needed" in result.message
    assert result.pages == 1 and result.text == ""


def test_without_tesseract_a_scan_stays_empty(tmp_path):
    if shutil.which("tesseract"):
        pytest.skip("tesseract is installed here; the OCR test covers this machine")
    scan = write_image_pdf(tmp_path / "scan.pdf", ["Scanned page"])
    assert extract(scan).status == "empty"


def test_with_tesseract_a_scan_is_read_by_ocr(tmp_path):
    if not shutil.which("tesseract"):
        pytest.skip("tesseract is not installed, so OCR cannot run (apt-get install tesseract-ocr)")
    scan = write_image_pdf(tmp_path / "scan.pdf", ["Library of the university", "Second page"])
    result = extract(scan)
    assert_consistent(result)
    assert result.status == "ocr" and result.ocr
    assert "library" in result.text.lower()
    assert result.pages == 2


def test_with_vietnamese_ocr_data_a_vietnamese_scan_keeps_its_diacritics(tmp_path):
    program = shutil.which("tesseract")
    if not program:
        pytest.skip("tesseract is not installed, so OCR cannot run (apt-get install tesseract-ocr)")
    languages = subprocess.run([program, "--list-langs"], capture_output=True, text=True).stdout
    if "vie" not in languages.split():
        pytest.skip("tesseract has no Vietnamese data (apt-get install tesseract-ocr-vie)")
    scan = write_image_pdf(tmp_path / "scan.pdf", ["Trường Đại học Cần Thơ\nLuận văn thạc sĩ"])
    result = extract(scan)
    assert result.status == "ocr"
    assert "Trường Đại học Cần Thơ" in result.text


def test_sample_pdf_embeds_a_font_under_a_legacy_name(tmp_path):
    pdf = write_pdf(tmp_path / "tcvn3.pdf", [TCVN3_TEXT], font_name=".VnTime")
    names = font_names(pdf)
    assert len(names) == 1
    assert names.pop().endswith("+.VnTime")


def test_text_in_a_vntime_font_is_converted_from_tcvn3(tmp_path):
    pdf = write_pdf(tmp_path / "tcvn3.pdf", [TCVN3_TEXT], font_name=".VnTime")
    result = extract(pdf)
    assert result.status == "ok"
    assert result.legacy_encoding == "tcvn3"
    assert "Trường Đại học Bách khoa Hà Nội" in result.text
    assert "Chương 1. Giới thiệu chung" in result.text


def test_text_in_a_capital_vntimeh_font_is_converted_to_capitals(tmp_path):
    pdf = write_pdf(tmp_path / "tcvn3h.pdf", ["Tr\u00adêng §¹i häc"], font_name=".VnTimeH")
    result = extract(pdf)
    assert "TRƯỜNG ĐẠI HỌC" in result.text


def test_text_in_a_vni_font_is_converted(tmp_path):
    pdf = write_pdf(tmp_path / "vni.pdf", [VNI_TEXT], font_name="VNI-Times")
    result = extract(pdf)
    assert result.legacy_encoding == "vni"
    assert "Trường Đại học Bách khoa Hà Nội" in result.text
    assert "Chương 1. Giới thiệu chung" in result.text


def test_tcvn3_behind_an_ordinary_font_name_is_recognised_from_the_text(tmp_path):
    pdf = write_pdf(tmp_path / "hidden.pdf", [TCVN3_TEXT])
    result = extract(pdf)
    assert result.legacy_encoding == "tcvn3"
    assert "Trường Đại học Bách khoa Hà Nội" in result.text


def test_unicode_text_in_a_legacy_named_font_is_left_alone(tmp_path):
    pdf = write_pdf(tmp_path / "relabelled.pdf", ["Trường Đại học Huế"], font_name=".VnTime")
    assert "Trường Đại học Huế" in extract(pdf).text


def test_western_text_is_not_mistaken_for_a_legacy_encoding(tmp_path):
    text = "Le «Guide» coûte 15 € ; 20 °C ± 2 °. Señor Müller à Zürich, déjà là."
    result = extract(write_pdf(tmp_path / "fr.pdf", [text]))
    assert result.legacy_encoding is None
    assert "Señor Müller à Zürich" in result.text


def test_a_text_layer_of_undecodable_characters_is_garbled_and_asks_for_ocr(tmp_path):
    pdf = write_pdf(tmp_path / "garbled.pdf", ["\ufffd" * 300 + " ok"])
    result = extract(pdf, ocr=False)
    assert_consistent(result)
    assert result.status == "garbled"
    assert result.message == ("Most characters could not be decoded (unusual font encoding): "
                              "OCR is needed to make it searchable.")
    assert result.needs_ocr == (0,)


def test_extract_many_yields_every_key_once_with_its_own_limits(tmp_path, very_slow_pdf):
    html = tmp_path / "fake.pdf"
    html.write_text("<html></html>")
    zero = tmp_path / "zero.pdf"
    zero.write_bytes(b"")
    items = [
        ("vi", write_pdf(tmp_path / "vi.pdf", VIETNAMESE_PAGES)),
        ("html", html),
        ("zero", zero),
        ("locked", write_pdf(tmp_path / "l.pdf", ["x"], encrypt_user_password="pw")),
        ("slow", very_slow_pdf),
        ("vi2", write_pdf(tmp_path / "vi2.pdf", ["Hải Phòng"])),
    ]
    # Ample for the one- and two-page files on a loaded machine; a small part
    # of the time the 1,000-page file needs on a fast quiet one.
    results = dict(extract_many(items, workers=2, timeout=3))
    assert {key: r.status for key, r in results.items()} == {
        "vi": "ok", "html": "unsupported", "zero": "corrupt", "locked": "encrypted",
        "slow": "timeout", "vi2": "ok",
    }
    assert "Hải Phòng" in results["vi2"].text


def test_a_worker_that_ran_out_of_memory_does_not_fail_the_next_files(tmp_path, slow_pdf):
    items = [("slow", slow_pdf)] + [
        (name, write_pdf(tmp_path / f"{name}.pdf", [f"Tệp {name}"])) for name in ("a", "b")]
    results = dict(extract_many(items, workers=1, memory_mb=40))
    assert results["slow"].status in ("too_large", "corrupt")
    assert results["a"].status == results["b"].status == "ok"


def test_extract_many_accepts_a_generator_and_an_empty_batch(tmp_path):
    pdfs = (write_pdf(tmp_path / f"{i}.pdf", [f"Tệp số {i}"]) for i in range(3))
    results = dict(extract_many(((p.stem, p) for p in pdfs), workers=3))
    assert sorted(results) == ["0", "1", "2"]
    assert all(r.status == "ok" for r in results.values())
    assert list(extract_many([], workers=2)) == []


def test_extract_many_draws_a_file_only_when_a_worker_is_free_for_it(tmp_path):
    pdfs = [write_pdf(tmp_path / f"{i}.pdf", [f"Tệp số {i}"]) for i in range(4)]
    drawn = []

    def items():
        for pdf in pdfs:
            drawn.append(pdf.stem)
            yield pdf.stem, pdf

    seen_when_yielded = [len(drawn) for _ in extract_many(items(), workers=1)]
    # The worker was handed the next file before each result came back.
    assert seen_when_yielded == [2, 3, 4, 4]


def test_raw_extract_text_is_the_unlimited_baseline(tmp_path):
    pdf = write_pdf(tmp_path / "vi.pdf", VIETNAMESE_PAGES)
    assert "Trường Đại học Cần Thơ" in raw_extract_text(pdf)
