"""An invisible text layer made from typed text: a corrected OCR page's words in the PDF.

When a librarian corrects a page's recognised text, tesseract's layer for
that page still holds the words it misread, so a reader searching the
downloaded PDF would find the errors and miss the corrections. Typed text
has no positions, so its lines are laid out evenly down the page in
invisible text (render mode 3): a PDF viewer then finds the corrected words
on the right page, with highlights only roughly where the words are.
``ingest.searchable_pdf`` scales the layer onto the page like tesseract's.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode

from ingest.fonts import find_font

FAMILY = "Layer"
PAGE = (595.0, 842.0)  # A4 in points; the graft scales it to the real page
MARGIN = 36.0
LARGEST_FONT = 12.0
WRAP_AT = 100  # characters: a typed paragraph becomes lines of a page's width


def write_text_layer(text: str, out: Path) -> Path:
    """One A4 page with ``text``'s lines in invisible text, as large as fits; return ``out``."""
    pdf = FPDF(unit="pt", format=PAGE)
    pdf.set_margins(MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.add_font(FAMILY, fname=str(find_font()))
    pdf.add_page()
    pdf.text_mode = TextMode.INVISIBLE
    lines = [part for line in text.splitlines() for part in textwrap.wrap(line, WRAP_AT)] or [""]
    pitch = min(LARGEST_FONT * 1.25, (PAGE[1] - 2 * MARGIN) / len(lines))
    pdf.set_font(FAMILY, size=_fitting_size(pdf, lines, pitch / 1.25))
    for n, line in enumerate(lines):
        pdf.text(MARGIN, MARGIN + pitch * (n + 1), line)
    pdf.output(str(out))
    return out


def _fitting_size(pdf: FPDF, lines: list[str], size: float) -> float:
    """``size``, or smaller so that the longest line fits between the margins."""
    pdf.set_font(FAMILY, size=size)
    widest = max(pdf.get_string_width(line) for line in lines)
    room = PAGE[0] - 2 * MARGIN
    return size if widest <= room else max(1.0, size * room / widest)
