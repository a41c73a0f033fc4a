"""pdfminer's page layout, built for less CPU per character: every use of its internals.

Most of extraction's time went on characters: pdfminer builds each one as an
``LTChar`` through four matrix products and a dozen calls (for attributes
nothing here reads), then groups characters into lines by calling
comparison methods on each pair and widening the line's box one character
at a time. :class:`TextAggregator` is pdfminer's ``PDFPageAggregator`` with
three of its steps done the same way in fewer operations:

* a string of upright, unskewed text (nearly all text) becomes characters
  whose box is computed inline, with each font's glyph text and width
  looked up once per file; any other string is left to pdfminer;
* characters are grouped into lines with pdfminer's rule, inlined, and a
  line's box is computed once it is complete;
* a finished line gets its closing newline without a call on each character.

The layout that comes out is pdfminer's own (``tests/ingest/test_fast_layout.py``
compares the text of both on the shared corpus and on generated Vietnamese
theses); the characters carry only what layout analysis and
:mod:`ingest.pdftext` read: their box, text and font name.

These steps override methods and read attributes pdfminer does not publish
(``PRIVATE_NAMES``). Pinned: ``pdfminer.six==20260107`` (setup.cfg);
``tests/ingest/test_fast_layout.py`` checks every name, so an upgrade that
moves one fails loudly rather than reading text differently.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pdfminer.converter import PDFLayoutAnalyzer, PDFPageAggregator
from pdfminer.layout import (
    LAParams,
    LTAnno,
    LTChar,
    LTComponent,
    LTContainer,
    LTLayoutContainer,
    LTPage,
    LTTextLine,
    LTTextLineHorizontal,
)
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.utils import Matrix, Point

# Each private (or undocumented) name this module relies on, by the class that has it.
PRIVATE_NAMES: dict[type, tuple[str, ...]] = {
    PDFTextDevice: ("render_string_horizontal",),  # its signature: see test_fast_layout.py
    PDFLayoutAnalyzer: ("cur_item", "handle_undefined_char", "begin_page"),
    LTLayoutContainer: ("group_objects",),
    LTContainer: ("_objs",),
    LTTextLineHorizontal: ("_x1", "word_margin"),
    LTAnno: ("_text",),
    LTChar: ("_text", "fontname"),
}

INF = float("inf")
Glyphs = dict[int, tuple[str, float]]  # a font's cid -> (text, width in text space / 1000)


class TextAggregator(PDFPageAggregator):
    """``PDFPageAggregator`` that lays pages out as pdfminer does, at less cost per character."""

    def __init__(self, rsrcmgr: PDFResourceManager, laparams: LAParams) -> None:
        super().__init__(rsrcmgr, laparams=laparams)
        self._glyphs: dict[PDFFont, Glyphs] = {}

    def begin_page(self, page: PDFPage, ctm: Matrix) -> None:
        super().begin_page(page, ctm)
        stock = self.cur_item
        assert isinstance(stock, LTPage)
        self.cur_item = _Page(stock.pageid, stock.bbox, stock.rotate)

    def render_string_horizontal(self, seq: Iterable[object], matrix: Matrix, pos: Point,
                                 font: PDFFont, fontsize: float, scaling: float,
                                 charspace: float, wordspace: float, rise: float,
                                 dxscale: float, *args: object) -> Point:
        """pdfminer's loop over a string's glyphs, building its characters inline.

        The arithmetic is pdfminer's (``translate_matrix``, ``LTChar``'s box through
        ``apply_matrix_rect``) with the terms a zero ``b`` and ``c`` cancel left out;
        rotated or skewed text goes pdfminer's way.
        """
        (a, b, c, d, e, f) = matrix
        if b != 0 or c != 0:
            return super().render_string_horizontal(
                seq, matrix, pos, font, fontsize, scaling, charspace, wordspace, rise,
                dxscale, *args)
        glyphs = self._glyphs.get(font)
        if glyphs is None:
            glyphs = self._glyphs[font] = {}
        bottom = font.get_descent() * fontsize + rise
        top = bottom + fontsize
        y = pos[1]
        f1 = y * d + f
        bottom1, top1 = d * bottom + f1, d * top + f1
        y0, y1 = (top1, bottom1) if top1 < bottom1 else (bottom1, top1)
        height = y1 - y0
        fontname = font.fontname
        add = self.cur_item._objs.append  # LTContainer.add, without a call
        x = pos[0]
        needcharspace = False
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    if needcharspace:
                        x += charspace
                    glyph = glyphs.get(cid)
                    if glyph is None:
                        glyph = glyphs[cid] = self._glyph(font, cid)
                    adv = glyph[1] * fontsize * scaling  # LTChar.adv, in its order
                    left = x * a + e
                    right = a * adv + left
                    if right < left:
                        left, right = right, left
                    add(_Char(left, y0, right, y1, right - left, height, glyph[0], fontname))
                    x += adv
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
            else:  # what pdfminer warns about and skips: let it do both
                super().render_string_horizontal(
                    [obj], matrix, (x, y), font, fontsize, scaling, charspace, wordspace,
                    rise, dxscale, *args)
        return (x, y)

    def _glyph(self, font: PDFFont, cid: int) -> tuple[str, float]:
        """The glyph's text and width, as pdfminer's ``render_char`` finds them."""
        try:
            text = font.to_unichr(cid)
            assert isinstance(text, str), str(type(text))
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        return text, font.char_width(cid)


class _Char(LTChar):
    """A character with what layout analysis and our text reading use of an ``LTChar``."""

    def __init__(self, x0: float, y0: float, x1: float, y1: float, width: float,
                 height: float, text: str, fontname: str) -> None:
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
        self.width = width
        self.height = height
        self._text = text
        self.fontname = fontname

    def __repr__(self) -> str:
        return f"<_Char ({self.x0:.3f},{self.y0:.3f},{self.x1:.3f},{self.y1:.3f}) {self._text!r}>"


class _Page(LTPage):
    """A page whose characters are grouped into lines by :func:`_group_chars`."""

    def group_objects(self, laparams: LAParams,
                      objs: Iterable[LTComponent]) -> Iterator[LTTextLine]:
        if laparams.detect_vertical:
            return super().group_objects(laparams, objs)
        return _group_chars(laparams, objs)


class _Line(LTTextLineHorizontal):
    """A horizontal line built whole; its characters need no analysis of their own."""

    def analyze(self, laparams: LAParams) -> None:
        self._objs.append(LTAnno("\n"))

    def get_text(self) -> str:
        return "".join([obj._text for obj in self._objs])


def _group_chars(laparams: LAParams, objs: Iterable[LTComponent]) -> Iterator[LTTextLine]:
    """``LTLayoutContainer.group_objects`` without vertical lines, its comparisons inlined.

    A character joins the line of the one before it when the two overlap
    vertically by more than ``line_overlap`` of the lower one's height and
    stand closer than ``char_margin`` of the wider one's width; the ``min``
    and ``max`` calls are written as the comparisons they make.
    """
    overlap = laparams.line_overlap
    margin = laparams.char_margin
    word_margin = laparams.word_margin
    line: list[LTComponent] | None = None
    obj0: LTComponent | None = None
    for obj1 in objs:
        if obj0 is not None:
            halign = False
            if obj1.y0 <= obj0.y1 and obj0.y0 <= obj1.y1:
                h0, h1 = obj0.height, obj1.height
                low, high = abs(obj0.y0 - obj1.y1), abs(obj0.y1 - obj1.y0)
                if (h1 if h1 < h0 else h0) * overlap < (high if high < low else low):
                    if obj1.x0 <= obj0.x1 and obj0.x0 <= obj1.x1:
                        distance = 0.0
                    else:
                        left, right = abs(obj0.x0 - obj1.x1), abs(obj0.x1 - obj1.x0)
                        distance = right if right < left else left
                    w0, w1 = obj0.width, obj1.width
                    halign = distance < (w1 if w1 > w0 else w0) * margin
            if halign and line is not None:
                line.append(obj1)
            elif line is not None:
                yield _line(line, word_margin)
                line = None
            elif halign:
                line = [obj0, obj1]
            else:
                yield _line([obj0], word_margin)
        obj0 = obj1
    assert obj0 is not None
    yield _line([obj0] if line is None else line, word_margin)


def _line(chars: list[LTComponent], word_margin: float) -> _Line:
    """The line of ``chars``, with the spaces and box ``LTTextLineHorizontal.add`` would give it."""
    line = _Line(word_margin)
    objs: list[LTComponent | LTAnno] = line._objs
    x0 = y0 = INF
    x1 = y1 = -INF
    last = INF
    for char in chars:
        if word_margin:
            w, h = char.width, char.height
            if last < char.x0 - word_margin * (h if h > w else w):
                objs.append(LTAnno(" "))
        last = char.x1
        objs.append(char)
        if char.x0 < x0:
            x0 = char.x0
        if char.y0 < y0:
            y0 = char.y0
        if char.x1 > x1:
            x1 = char.x1
        if char.y1 > y1:
            y1 = char.y1
    line._x1 = last
    line.set_bbox((x0, y0, x1, y1))
    return line

