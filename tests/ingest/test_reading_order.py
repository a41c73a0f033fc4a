"""Text boxes in reading order: our cheap geometry against pdfminer's own clustering.

pdfminer's ``boxes_flow`` ordering clusters every pair of boxes (a tenth
of extraction time); ``ingest.reading_order`` reads bands and columns. On
real one- and two-column papers of the shared corpus both must give the
same text; synthetic pages pin down each rule.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import pytest
from pdfminer.high_level import extract_text
from pdfminer.layout import LAParams

from ingest.pdftext import read_pdf
from ingest.reading_order import in_reading_order

from .test_corpus import corpus  # noqa: F401 - the shared corpus fixture


@dataclass(frozen=True)
class B:
    name: str
    x0: float
    x1: float
    y1: float  # the box's top; y grows upwards, as in PDF


def names(boxes: list[B]) -> list[str]:
    return [box.name for box in in_reading_order(boxes)]


def test_a_one_column_page_is_read_top_to_bottom():
    boxes = [B("p3", 72, 520, 300), B("p1", 72, 520, 700), B("indented", 100, 520, 500),
             B("p2", 72, 500, 600)]
    assert names(boxes) == ["p1", "p2", "indented", "p3"]


def test_two_columns_are_read_column_by_column_between_full_width_boxes():
    boxes = [B("title", 72, 520, 780), B("left 1", 72, 290, 700), B("right 1", 310, 520, 700),
             B("left 2", 72, 290, 500), B("right 2", 310, 520, 480),
             B("footnote", 72, 520, 120), B("left 3", 72, 290, 100)]
    assert names(boxes) == ["title", "left 1", "left 2", "right 1", "right 2", "footnote",
                            "left 3"]


def test_boxes_side_by_side_on_a_one_column_page_are_read_left_then_right():
    boxes = [B("heading", 72, 520, 780), B("date", 330, 520, 700), B("name", 72, 250, 700),
             B("body", 72, 520, 650)]
    assert names(boxes) == ["heading", "name", "date", "body"]


def test_nothing_and_one_box_are_returned_as_they_are():
    assert in_reading_order([]) == [] and names([B("only", 0, 1, 1)]) == ["only"]


@pytest.mark.parametrize("name, pages", [("sf_multicolumn_latex.pdf", 2),
                                         ("pdfminer_naacl06_paper_8p.pdf", 6),
                                         ("pdfjs_tracemonkey_14p.pdf", 6),
                                         ("pypdf_siege_vicksburg_ocr_layer.pdf", 4)])
def test_real_papers_read_as_pdfminers_clustering_reads_them(corpus, name, pages):  # noqa: F811
    path = corpus / name
    ours = read_pdf(path, max_pages=pages).pages
    for index, text in enumerate(ours):
        theirs = extract_text(str(path), laparams=LAParams(), page_numbers=[index]).split()
        same = difflib.SequenceMatcher(None, theirs, text.split(), autojunk=False).ratio()
        assert same >= 0.96, f"page {index + 1}: {same:.3f}"
