"""Searchable derivatives: the scan with an invisible text layer, the original untouched."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import img2pdf
import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.ocr import recognise_page
from ingest.sample_pdf import find_font, write_image_pdf, write_pdf
from ingest.searchable_pdf import Derivative, DerivativeFailed, build

PAGES = ["Trường Đại học Cần Thơ\nLuận văn thạc sĩ", "Chương 2. Phương pháp nghiên cứu"]
needs_ghostscript = pytest.mark.skipif(shutil.which("gs") is None,
                                       reason="Ghostscript is not installed (apt-get install ghostscript)")


def pdftotext(path: Path, page: int | None = None) -> str:
    pages = [] if page is None else ["-f", str(page), "-l", str(page)]
    return subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def words(path: Path, page: int) -> set[str]:
    """The words poppler extracts from one page (its line breaks inside a line vary)."""
    return set(pdftotext(path, page).split())


def word_boxes(path: Path) -> dict[str, tuple[int, int]]:
    """Each word's top-left corner as poppler sees the page shown (rotation applied)."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return {word: (round(float(x)), round(float(y)))
            for x, y, word in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)<', html)}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def layers_for(scan: Path, pages: int, workdir: Path) -> dict[int, Path]:
    return {i: recognise_page(scan, i, workdir, timeout=120).pdf_page for i in range(pages)}


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    return write_image_pdf(tmp_path / "scan.pdf", PAGES)


@pytest.fixture
def layers(tesseract_vie, scan: Path, tmp_path: Path) -> dict[int, Path]:
    workdir = tmp_path / "ocr"
    workdir.mkdir()
    return layers_for(scan, len(PAGES), workdir)


def rotated_scan(path: Path, rotate: int) -> Path:
    """A one-page scan stored turned by ``rotate`` degrees and shown upright by ``/Rotate``."""
    picture = Image.new("L", (1240, 1754), 255)
    font = ImageFont.truetype(str(find_font()), 40)
    ImageDraw.Draw(picture).text((100, 100), "Trường Đại học Cần Thơ", font=font, fill=0)
    ImageDraw.Draw(picture).text((600, 1500), "Khoa Kinh tế", font=font, fill=0)
    stored = io.BytesIO()
    picture.rotate(rotate, expand=True).save(stored, format="PNG")
    path.write_bytes(img2pdf.convert(stored.getvalue(),
                                     layout_fun=img2pdf.get_fixed_dpi_layout_fun((150, 150))))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].Rotate = rotate
        pdf.save(path)
    return path


def test_the_derivative_gives_each_pages_recognised_text(scan, layers, tmp_path):
    result = build(scan, layers, tmp_path / "searchable.pdf")
    assert isinstance(result, Derivative) and result.path == tmp_path / "searchable.pdf"
    assert {"Cần", "Thơ"} <= words(result.path, 1)
    assert {"Phương", "pháp"} <= words(result.path, 2)
    assert "Phương" not in words(result.path, 1)


def test_the_original_is_untouched(scan, layers, tmp_path):
    before = sha256(scan)
    build(scan, layers, tmp_path / "searchable.pdf")
    assert sha256(scan) == before
    assert pdftotext(scan).strip() == ""


def test_the_derivative_keeps_the_scans_images_pixel_for_pixel(scan, layers, tmp_path):
    result = build(scan, layers, tmp_path / "searchable.pdf")
    with pikepdf.open(scan) as original, pikepdf.open(result.path) as copy:
        for before, after in zip(original.pages, copy.pages, strict=True):
            [old] = before.get_images().values()
            [new] = after.get_images().values()
            old_pixels = pikepdf.PdfImage(old).as_pil_image()
            new_pixels = pikepdf.PdfImage(new).as_pil_image()
            assert old_pixels.tobytes() == new_pixels.tobytes()


@needs_ghostscript
def test_with_ghostscript_the_derivative_is_pdfa_2b(scan, layers, tmp_path):
    result = build(scan, layers, tmp_path / "searchable.pdf")
    assert result.pdfa and "PDF/A-2b" in result.message
    with pikepdf.open(result.path) as pdf:
        metadata = pdf.open_metadata()
        assert metadata["pdfaid:part"] == "2" and metadata["pdfaid:conformance"] == "B"
        assert "/OutputIntents" in pdf.Root


def test_without_ghostscript_a_plain_pdf_is_kept_with_the_reason(scan, layers, tmp_path,
                                                                 monkeypatch):
    tools = tmp_path / "bin"
    tools.mkdir()
    os.symlink(shutil.which("pdftotext"), tools / "pdftotext")
    monkeypatch.setenv("PATH", str(tools))
    result = build(scan, layers, tmp_path / "searchable.pdf")
    assert not result.pdfa
    assert result.message == ("Searchable copy made as a plain PDF (not PDF/A): "
                              "Ghostscript is not installed.")
    assert "Cần Thơ" in pdftotext(result.path, 1)


def test_a_page_without_a_layer_is_copied_as_it_is(scan, layers, tmp_path):
    result = build(scan, {1: layers[1]}, tmp_path / "searchable.pdf", pdfa=False)
    assert pdftotext(result.path, 1).strip() == ""
    assert {"Phương", "pháp"} <= words(result.path, 2)


def test_only_the_derivative_is_left_beside_it(scan, layers, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    build(scan, layers, out_dir / "searchable.pdf")
    assert [p.name for p in out_dir.iterdir()] == ["searchable.pdf"]


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_a_layer_lands_where_its_words_are_on_a_rotated_page(tmp_path, rotate):
    # A typed A4 page stands in for the layer: the page shown is A4 portrait at any rotation.
    page = rotated_scan(tmp_path / "rotated.pdf", rotate)
    layer = write_pdf(tmp_path / "layer.pdf", ["Trường Đại học Cần Thơ"])
    result = build(page, {0: layer}, tmp_path / "searchable.pdf", pdfa=False)
    expected = word_boxes(layer)
    found = word_boxes(result.path)
    for word, (x, y) in expected.items():
        assert abs(found[word][0] - x) <= 2 and abs(found[word][1] - y) <= 2, word


def test_a_rotated_scan_becomes_searchable_end_to_end(tesseract_vie, tmp_path):
    page = rotated_scan(tmp_path / "rotated.pdf", 90)
    layer = recognise_page(page, 0, tmp_path, timeout=120).pdf_page
    result = build(page, {0: layer}, tmp_path / "searchable.pdf", pdfa=False)
    boxes = word_boxes(result.path)
    assert boxes["Trường"][1] < 100 < boxes["Kinh"][1]  # the title at the top, as shown


def test_a_layer_for_a_page_that_does_not_exist_is_refused(scan, tmp_path):
    layer = write_pdf(tmp_path / "layer.pdf", ["chữ"])
    with pytest.raises(DerivativeFailed, match="no page 3"):
        build(scan, {2: layer}, tmp_path / "searchable.pdf")
    assert not (tmp_path / "searchable.pdf").exists()


def test_the_original_cannot_be_the_output(scan, tmp_path):
    with pytest.raises(DerivativeFailed):
        build(scan, {}, scan)


def test_an_original_that_is_not_a_pdf_is_refused(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf")
    with pytest.raises(DerivativeFailed, match="cannot be opened"):
        build(fake, {}, tmp_path / "searchable.pdf")



def big_scan(path: Path, pages: int, megabytes: int) -> Path:
    """A PDF of ``pages`` grey images of incompressible noise, ``megabytes`` each."""
    side = int((megabytes * 1024 * 1024) ** 0.5)
    with pikepdf.new() as pdf:
        for _ in range(pages):
            pdf.add_blank_page(page_size=(595, 842))
            image = pikepdf.Stream(pdf, os.urandom(side * side), Type=pikepdf.Name.XObject,
                                   Subtype=pikepdf.Name.Image, Width=side, Height=side,
                                   ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8)
            page = pdf.pages[-1]
            name = page.add_resource(image, pikepdf.Name.XObject)
            page.contents_add(b"q 595 0 0 842 0 0 cm %s Do Q" % str(name).encode())
        pdf.save(path)
    return path


@pytest.mark.slow
def test_a_huge_scan_is_never_held_in_memory(tmp_path):
    scan = big_scan(tmp_path / "huge.pdf", pages=6, megabytes=25)
    layer = write_pdf(tmp_path / "layer.pdf", ["Trường Đại học Cần Thơ"])
    # The peak resident size of a fresh process (VmHWM starts anew at exec; ru_maxrss does not).
    program = textwrap.dedent(f"""
        import re
        from pathlib import Path
        from ingest.searchable_pdf import build
        build(Path({str(scan)!r}), {{0: Path({str(layer)!r})}},
              Path({str(tmp_path / "searchable.pdf")!r}), pdfa=False)
        status = Path("/proc/self/status").read_text()
        print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) * 1024)
    """)
    peak = int(subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                              check=True, cwd=Path(__file__).parents[2]).stdout)
    assert scan.stat().st_size > 150 * 1024 * 1024
    assert peak < 100 * 1024 * 1024  # the interpreter and pikepdf, not the images
    assert "Cần" in pdftotext(tmp_path / "searchable.pdf", 1)
