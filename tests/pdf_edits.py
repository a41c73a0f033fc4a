"""Real PDFs edited with pikepdf into what tests need: joined, stripped of a character map,
drawn invisibly."""

from __future__ import annotations

from pathlib import Path

import pikepdf


def join(out: Path, *parts: Path) -> Path:
    with pikepdf.new() as joined:
        opened = [pikepdf.open(part) for part in parts]
        for part in opened:
            joined.pages.extend(part.pages)
        joined.save(out)
        for part in opened:
            part.close()
    return out


def without_unicode_map(path: Path, first: int) -> Path:
    """Give pages from ``first`` on a copy of the font without its ToUnicode map.

    What many real PDFs look like: the glyphs show, but the codes map to
    the wrong letters (pdfminer reads "mnopDetrst2nu2tDen4vD").
    """
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[first]
        font = page.Resources.Font.F1
        copy = pdf.make_indirect(pikepdf.Dictionary(
            {key: value for key, value in font.items() if key != "/ToUnicode"}))
        resources = pikepdf.Dictionary(dict(page.Resources.items()))
        resources.Font = pikepdf.Dictionary(F1=copy)
        resources = pdf.make_indirect(resources)
        for later in pdf.pages[first:]:
            later.Resources = resources
        pdf.save(path)
    return path


def invisible(path: Path) -> Path:
    """Draw every page's text invisibly (render mode 3): OCR has nothing to see."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            page.contents_add(b"3 Tr\n", prepend=True)
        pdf.save(path)
    return path
