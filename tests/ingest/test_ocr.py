"""Page OCR: one page, one render, one single-threaded tesseract, nothing left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import unicodedata
from pathlib import Path

import pytest

from ingest import ocr
from ingest.ocr import OcrFailed, OcrTimeout, OcrUnavailable, PageOcr, recognise_page
from ingest.sample_pdf import write_image_pdf, write_pdf

PAGES = ["Trường Đại học Cần Thơ\nLuận văn thạc sĩ kinh tế\nNghiên cứu phát triển nông thôn",
         "Chương 2. Phương pháp nghiên cứu"]
FULL_PAGE = "\n".join(["Nghiên cứu khoa học về phát triển kinh tế nông thôn vùng đồng bằng"] * 40)


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    return write_image_pdf(tmp_path / "scan.pdf", PAGES)


def programs_using(marker: Path) -> list[str]:
    """Program names of other live processes whose command line names ``marker`` (a temporary path)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name == str(os.getpid()):
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode().split("\0")
        except OSError:
            continue
        if any(str(marker) in arg for arg in argv):
            found.append(Path(argv[0]).name)
    return found


def test_a_page_is_read_with_its_diacritics_in_nfc(tesseract_vie, scan, tmp_path):
    page = recognise_page(scan, 0, tmp_path, timeout=120)
    assert isinstance(page, PageOcr) and page.index == 0
    assert "Trường Đại học Cần Thơ" in page.text
    assert page.text == unicodedata.normalize("NFC", page.text)
    assert "\f" not in page.text


def test_a_page_reports_its_quality(tesseract_vie, scan, tmp_path):
    page = recognise_page(scan, 0, tmp_path, timeout=120)
    assert page.words >= 12
    assert page.mean_confidence is not None and 70 < page.mean_confidence <= 100
    assert page.valid_syllable_ratio > 0.9
    assert not page.needs_review


def test_the_second_page_is_read_on_its_own(tesseract_vie, scan, tmp_path):
    page = recognise_page(scan, 1, tmp_path, timeout=120)
    assert page.index == 1
    assert "Phương pháp nghiên cứu" in page.text
    assert "Cần Thơ" not in page.text


def test_the_text_only_pdf_page_holds_the_words_and_no_image(tesseract_vie, scan, tmp_path):
    page = recognise_page(scan, 0, tmp_path, timeout=120)
    assert page.pdf_page == tmp_path / "page-00000.pdf"
    layer = subprocess.run(["pdftotext", str(page.pdf_page), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "Cần Thơ" in layer
    images = subprocess.run(["pdfimages", "-list", str(page.pdf_page)], capture_output=True,
                            text=True, check=True).stdout.splitlines()
    assert len(images) == 2  # the two header lines of the table, no image


def test_only_the_text_layer_is_left_in_the_work_directory(tesseract_vie, scan, tmp_path):
    workdir = tmp_path / "work"
    workdir.mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    recognise_page(scan, 1, workdir, timeout=120)
    assert sorted(p.name for p in workdir.iterdir()) == ["page-00001.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_recognising_a_page_twice_gives_the_same_result(tesseract_vie, scan, tmp_path):
    assert recognise_page(scan, 1, tmp_path, timeout=120) == \
        recognise_page(scan, 1, tmp_path, timeout=120)


def test_a_blank_page_has_no_words_and_no_confidence(tesseract_vie, tmp_path):
    blank = write_image_pdf(tmp_path / "blank.pdf", [""])
    page = recognise_page(blank, 0, tmp_path, timeout=120)
    assert (page.text, page.words, page.mean_confidence) == ("", 0, None)
    assert not page.needs_review


def test_a_page_beyond_the_last_is_an_error(tesseract_vie, scan, tmp_path):
    with pytest.raises(OcrFailed, match="no page 3"):
        recognise_page(scan, 2, tmp_path, timeout=60)


def test_a_file_that_is_not_a_pdf_is_an_error(tesseract_vie, tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("<html>not a pdf</html>")
    with pytest.raises(OcrFailed):
        recognise_page(fake, 0, tmp_path, timeout=60)


def test_languages_without_data_are_unavailable(tesseract_vie, scan, tmp_path):
    with pytest.raises(OcrUnavailable):
        recognise_page(scan, 0, tmp_path, languages="xyz", timeout=60)


def test_a_missing_language_is_left_out(tesseract_vie):
    assert ocr.usable_languages("xyz+vie+eng") == "vie+eng"


def test_without_tesseract_no_language_is_available(monkeypatch, tmp_path, scan):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    ocr.available_languages.cache_clear()
    try:
        assert ocr.available_languages() == frozenset()
        with pytest.raises(OcrUnavailable):
            recognise_page(scan, 0, tmp_path, timeout=60)
    finally:
        ocr.available_languages.cache_clear()


def test_available_languages_asks_tesseract_once(tesseract_vie):
    assert ocr.available_languages() is ocr.available_languages()


@pytest.mark.slow
def test_a_timeout_stops_tesseract(tesseract_vie, tmp_path):
    busy = write_image_pdf(tmp_path / "busy.pdf", [FULL_PAGE])
    workdir = tmp_path / "work"
    workdir.mkdir()
    with pytest.raises(OcrTimeout):
        recognise_page(busy, 0, workdir, timeout=1.0)
    assert programs_using(workdir) == []
    assert list(workdir.iterdir()) == []


@pytest.mark.slow
def test_tesseract_dies_with_a_killed_caller(tesseract_vie, tmp_path):
    busy = write_image_pdf(tmp_path / "busy.pdf", [FULL_PAGE * 2])
    workdir = tmp_path / "work"
    workdir.mkdir()
    caller = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        from pathlib import Path
        from ingest.ocr import recognise_page
        recognise_page(Path({str(busy)!r}), 0, Path({str(workdir)!r}), timeout=300)
    """)], env={**os.environ, "PYTHONPATH": str(Path(ocr.__file__).parents[1])},
        stderr=subprocess.PIPE)
    try:
        assert wait_until(lambda: "tesseract" in programs_using(workdir))
        os.kill(caller.pid, signal.SIGKILL)
        caller.wait()
        assert wait_until(lambda: programs_using(workdir) == [])
    finally:
        caller.kill()
    # Killed, not finished: a tesseract that ran to the end would have written its text.
    assert not (workdir / "page-00000.txt").exists()


def wait_until(condition, limit: float = 60.0) -> bool:
    """Poll ``condition`` until it holds (a bounded wait, not a timed assertion)."""
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


def test_a_page_with_a_text_layer_is_recognised_too(tesseract_vie, tmp_path):
    # The caller decides which pages need OCR; the engine reads whatever it is given.
    typed = write_pdf(tmp_path / "typed.pdf", ["Thư viện Quốc gia Việt Nam"])
    assert "Thư viện Quốc gia" in recognise_page(typed, 0, tmp_path, timeout=120).text
