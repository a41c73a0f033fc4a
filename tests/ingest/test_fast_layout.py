"""The cheaper layout gives pdfminer's text, and fails loudly when pdfminer moves under it.

``ingest.fast_layout`` rebuilds three steps of pdfminer's page layout with
pdfminer's internals; ``read_pdf`` with ``layout=PDFPageAggregator`` is the
extraction as it was before, with pdfminer's own steps. Both must read the
same text page by page (and the same failed pages, pictures and legacy
runs) from every PDF of the shared corpus and from generated Vietnamese
theses, legacy-encoded, unmapped, rotated and scanned pages.
"""

from __future__ import annotations

import configparser
import inspect
from importlib.metadata import version
from pathlib import Path

import pytest
from fpdf import FPDF
from pdfminer.converter import PDFLayoutAnalyzer, PDFPageAggregator
from pdfminer.layout import (
    LAParams,
    LTAnno,
    LTChar,
    LTContainer,
    LTTextBox,
    LTTextLineHorizontal,
)
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from ingest import fast_layout
from ingest.fast_layout import PRIVATE_NAMES, TextAggregator
from ingest.fonts import find_font
from ingest.pdftext import PdfText, read_pdf
from ingest.sample_pdf import (
    write_image_pdf,
    write_long_pdf,
    write_pdf,
    write_unmapped_pdf,
)

from .conftest import PROJECT
from .test_corpus import corpus_dir

THESIS = ("Luận văn thạc sĩ: Nghiên cứu phát triển kinh tế nông thôn vùng đồng bằng sông Cửu "
          "Long trong giai đoạn hội nhập quốc tế, những thách thức và giải pháp. ") * 30
TCVN3 = "Tr\u00adêng §¹i häc CÇn Th¬ - LuËn v¨n th¹c sÜ kinh tÕ n«ng nghiÖp. " * 40
# What render_string_horizontal is called with, by pdfminer's PDFTextDevice.render_string.
RENDER_STRING_HORIZONTAL = ["self", "seq", "matrix", "pos", "font", "fontsize", "scaling",
                            "charspace", "wordspace", "rise", "dxscale", "ncs", "graphicstate"]


def _both(path: Path) -> tuple[PdfText | str, PdfText | str]:
    """read_pdf with the cheap layout and with pdfminer's; an exception stands as its repr."""
    results = []
    for layout in (TextAggregator, PDFPageAggregator):
        try:
            results.append(read_pdf(path, layout=layout))
        except Exception as error:  # a file neither can open must fail alike
            results.append(repr(error))
    return results[0], results[1]


def _assert_same(path: Path) -> None:
    fast, stock = _both(path)
    if isinstance(stock, str) or isinstance(fast, str):
        assert fast == stock
        return
    assert len(fast.pages) == len(stock.pages)
    for number, (ours, theirs) in enumerate(zip(fast.pages, stock.pages, strict=True), 1):
        assert ours == theirs, f"page {number} of {path.name}"
    assert fast == stock


def _corpus_files() -> list[Path]:
    return sorted(corpus_dir().glob("*.pdf"))


@pytest.mark.parametrize("path", _corpus_files() or [None], ids=lambda p: p.name if p else "none")
def test_the_shared_corpus_reads_as_pdfminer_lays_it_out(path):
    if path is None:
        pytest.skip(f"shared corpus not found at {corpus_dir()} (set REPO_TEST_CORPUS)")
    _assert_same(path)


def _rotated_and_skewed(path: Path) -> Path:
    """Upright text with rotated and skewed words on the same pages: both paths in one line."""
    pdf = FPDF()
    pdf.add_font("Body", fname=str(find_font()))
    pdf.set_font("Body", size=12)
    for page in range(2):
        pdf.add_page()
        pdf.text(20, 30, f"Trang {page + 1}: chữ thẳng đứng ở đầu trang")
        with pdf.rotation(90, x=100, y=150):
            pdf.text(100, 150, "Chữ xoay chín mươi độ")
        with pdf.rotation(30, x=60, y=200):
            pdf.text(60, 200, "Chữ nghiêng ba mươi độ")
        with pdf.skew(ax=15, ay=0, x=40, y=240):
            pdf.text(40, 240, "Chữ xiên trên cùng dòng")
        pdf.text(120, 240, "tiếp theo chữ thẳng")
    pdf.output(str(path))
    return path


GENERATED = {
    "thesis": lambda p: write_pdf(p, [THESIS, THESIS[:900], "Tóm tắt\n\nMục lục"]),
    "tcvn3": lambda p: write_pdf(p, [TCVN3], font_name=".VnTime"),
    "tcvn3-capitals": lambda p: write_pdf(p, ["Tr\u00adêng §¹i häc"] * 3, font_name=".VnTimeH"),
    "unmapped": lambda p: write_unmapped_pdf(p, [THESIS[:1500]]),
    "scan": lambda p: write_image_pdf(p, ["Trang quét không có lớp chữ"]),
    "standard-font": lambda p: write_long_pdf(p, 3),
    "rotated": _rotated_and_skewed,
}


@pytest.mark.parametrize("kind", GENERATED)
def test_generated_vietnamese_pdfs_read_as_pdfminer_lays_them_out(tmp_path, kind):
    _assert_same(GENERATED[kind](tmp_path / f"{kind}.pdf"))


def test_the_bench_corpus_reads_as_pdfminer_lays_it_out(tmp_path, viwiki_texts):
    """Real Vietnamese prose, as bench/extract_bench.py measures it."""
    texts = [" ".join(viwiki_texts[i:i + 3])[:2400] for i in range(0, 42, 3)]
    _assert_same(write_pdf(tmp_path / "viwiki.pdf", texts))


def _layout(path: Path, device: PDFPageAggregator) -> PDFPageAggregator:
    with path.open("rb") as stream:
        interpreter = PDFPageInterpreter(device.rsrcmgr, device)
        for page in PDFPage.create_pages(PDFDocument(PDFParser(stream))):
            interpreter.process_page(page)
    return device


def test_upright_text_takes_the_cheap_path(tmp_path):
    path = write_pdf(tmp_path / "thesis.pdf", [THESIS])
    layout = _layout(path, TextAggregator(PDFResourceManager(), LAParams(boxes_flow=None)))
    lines = [line for box in layout.get_result() if isinstance(box, LTTextBox) for line in box]
    chars = [obj for line in lines for obj in line if isinstance(obj, LTChar)]
    assert lines and all(type(line) is fast_layout._Line for line in lines)
    assert chars and all(type(char) is fast_layout._Char for char in chars)


def test_pdfminer_is_the_version_setup_cfg_pins():
    config = configparser.ConfigParser()
    config.read(PROJECT / "setup.cfg")
    pins = [line.split("==")[1] for line in config["options"]["install_requires"].splitlines()
            if line.startswith("pdfminer.six")]
    assert pins == [version("pdfminer.six")], "ingest/fast_layout.py is tested on the pin only"


def test_every_private_name_fast_layout_uses_is_still_there(tmp_path):
    """Methods on the classes; attributes on the live objects of a laid-out page."""
    path = write_pdf(tmp_path / "thesis.pdf", [THESIS])
    device = _layout(path, PDFPageAggregator(PDFResourceManager(), laparams=LAParams()))
    page = device.get_result()
    line = next(line for box in page if isinstance(box, LTTextBox) for line in box)
    live = {PDFLayoutAnalyzer: device, LTContainer: page, LTTextLineHorizontal: line,
            LTChar: next(obj for obj in line if isinstance(obj, LTChar)),
            LTAnno: next(obj for obj in line if isinstance(obj, LTAnno))}
    for owner, names in PRIVATE_NAMES.items():
        for name in names:
            assert hasattr(owner, name) or hasattr(live.get(owner), name), \
                f"pdfminer's {owner.__name__} has no {name} any more"


def test_pdfminer_still_calls_render_string_horizontal_as_fast_layout_expects():
    parameters = inspect.signature(PDFTextDevice.render_string_horizontal).parameters
    assert list(parameters) == RENDER_STRING_HORIZONTAL
    assert "self.render_string_horizontal(" in inspect.getsource(PDFTextDevice.render_string)
