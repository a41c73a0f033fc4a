"""Reading a PDF's text layer with pdfminer.six, page by page.

Pages are interpreted one at a time so a file with a few broken pages
still gives the text of the others; :mod:`ingest.fast_layout` lays each
out as pdfminer does, at a fraction of its cost per character. Text is
taken in runs of characters that share a font, because the font name is
the only reliable sign that a run is in a Vietnamese legacy encoding (see
:mod:`ingest.legacy_fonts`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pdfminer import settings as pdfminer_settings
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTAnno, LTChar, LTContainer, LTImage, LTText, LTTextBox
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfexceptions import PDFException
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1

from ingest import legacy_fonts
from ingest.fast_layout import TextAggregator
from ingest.reading_order import in_reading_order

# pdfminer writes "(cid:N)" for a byte its encoding table lacks; in a legacy
# font that byte is a Vietnamese letter (0xAD is "ư" in TCVN3).
_BYTE_PLACEHOLDER = re.compile(r"\(cid:(\d{1,3})\)")

Kind = tuple[str, bool] | None  # (legacy encoding, capitals only), or None for Unicode fonts


@dataclass
class PdfText:
    """The text layer of a PDF: one string per interpreted page, in page order.

    A damaged page's string is empty and its index is in ``failed``;
    ``with_images`` holds the indexes of pages that show a picture (where a
    scanned page's text would be).
    """

    pages: list[str]
    page_count: int
    failed: list[int] = field(default_factory=list)
    with_images: set[int] = field(default_factory=set)
    legacy_chars: Counter[str] = field(default_factory=Counter)


class TooManyPages(Exception):
    """The PDF has more pages than allowed; raised before any page is interpreted."""

    def __init__(self, page_count: int) -> None:
        super().__init__(f"{page_count} pages")
        self.page_count = page_count


# pdfminer's own layout, which ``ingest.fast_layout`` reproduces: for comparisons (tests,
# bench/extract_bench.py) without importing pdfminer outside ingest.
STOCK_LAYOUT: type[PDFPageAggregator] = PDFPageAggregator


def read_pdf(path: Path, max_pages: int | None = None, page_limit: int | None = None, *,
             layout: type[PDFPageAggregator] = TextAggregator) -> PdfText:
    """Interpret every page (or the first ``max_pages``) and count them all.

    ``layout`` lays the pages out: pdfminer's own ``PDFPageAggregator`` gives
    the same text as the default at more cost (the tests compare the two).

    Raises :class:`TooManyPages` when there are more than ``page_limit``,
    pdfminer's ``PDFPasswordIncorrect`` when the empty password does not
    open the file, and ``PSException``s when not even the page tree can be
    read; a failure on one page only counts that page as failed.
    """
    with Path(path).open("rb") as stream:
        document = PDFDocument(PDFParser(stream), password="")
        resources = PDFResourceManager(caching=True)
        # boxes_flow=None: pdfminer does not order the text boxes; ingest.reading_order does.
        device = layout(resources, laparams=LAParams(boxes_flow=None))
        interpreter = PDFPageInterpreter(resources, device)
        pages = _pages_while_readable(document)
        if page_limit is not None and len(pages) > page_limit:
            raise TooManyPages(len(pages))
        result = PdfText(pages=[], page_count=len(pages))
        for page in pages[:max_pages]:
            _interpret(page, interpreter, device, result)
        return result


def _pages_while_readable(document: PDFDocument) -> list[PDFPage]:
    """The document's pages (not yet interpreted); a broken page tree ends the list once
    some pages were found."""
    found: list[PDFPage] = []
    pages = PDFPage.create_pages(document)
    while True:
        try:
            found.append(next(pages))
        except StopIteration:
            return found
        except MemoryError:
            raise
        except Exception:
            if not found:
                raise
            return found


def _interpret(page: PDFPage, interpreter: PDFPageInterpreter,
               device: PDFPageAggregator, result: PdfText) -> None:
    # pdfminer raises many exception types on damaged content streams;
    # one damaged page must not cost the text of the others.
    try:
        layout = _page_layout(page, interpreter, device)
    except MemoryError:
        raise
    except Exception:
        layout = None
    index = len(result.pages)
    if layout is None:
        result.failed.append(index)
        result.pages.append("")
        return
    if _shows_image(layout):
        result.with_images.add(index)
    result.pages.append(_join_runs(_page_pieces(layout), result.legacy_chars))


def _page_layout(page: PDFPage, interpreter: PDFPageInterpreter,
                 device: PDFPageAggregator) -> LTContainer | None:
    """The page's layout, or None when its content is damaged."""
    if not _contents_readable(page):
        return None
    interpreter.process_page(page)
    return device.get_result()


def _shows_image(item: LTContainer) -> bool:
    """Whether the layout holds a picture anywhere (images sit inside figures)."""
    return any(isinstance(child, LTImage)
               or (isinstance(child, LTContainer) and not isinstance(child, LTTextBox)
                   and _shows_image(child))
               for child in item)


def _contents_readable(page: PDFPage) -> bool:
    """Whether every content stream of the page is a stream whose bytes decode.

    pdfminer reads a content stream that is not a stream, or whose bytes do
    not decompress, as an empty one: the page would pass for a blank page
    and the file for complete. Such a page counts as failed instead.
    """
    return all(_stream_readable(resolve1(item)) for item in page.contents)


def _stream_readable(stream: object) -> bool:
    """Decode strictly; if that fails, a lenient decode that recovers some bytes still reads."""
    if not isinstance(stream, PDFStream):
        return False
    try:
        with _strict_pdfminer():
            stream.get_data()
    except PDFException:
        return bool(stream.get_data())
    return True


@contextmanager
def _strict_pdfminer() -> Iterator[None]:
    """pdfminer's global strict mode, for this thread's next calls only (workers have one thread)."""
    lenient = pdfminer_settings.STRICT
    pdfminer_settings.STRICT = True
    try:
        yield
    finally:
        pdfminer_settings.STRICT = lenient


def _page_pieces(layout: LTContainer) -> list[tuple[str, str | None]]:
    """The page's pieces: its text boxes in reading order, then text in figures."""
    pieces: list[tuple[str, str | None]] = []
    boxes = [child for child in layout if isinstance(child, LTTextBox)]
    for child in in_reading_order(boxes):
        _add_pieces(child, pieces)
    for child in layout:
        if not isinstance(child, LTTextBox):
            _add_pieces(child, pieces)
    return pieces


def _add_pieces(item: LTText | LTContainer, pieces: list[tuple[str, str | None]]) -> None:
    """Append (text, font name) in reading order; spaces and newlines pdfminer adds have no
    font. A container's characters are taken in its own loop: a call each would cost more."""
    if isinstance(item, LTChar):
        pieces.append((item.get_text(), item.fontname))
    elif isinstance(item, LTAnno):
        pieces.append((item.get_text(), None))
    elif isinstance(item, LTContainer):
        for child in item:
            if isinstance(child, LTChar):
                pieces.append((child.get_text(), child.fontname))
            elif isinstance(child, LTAnno):
                pieces.append((child.get_text(), None))
            else:
                _add_pieces(child, pieces)
        if isinstance(item, LTTextBox):
            pieces.append(("\n", None))


def _join_runs(pieces: list[tuple[str, str | None]], legacy_chars: Counter[str]) -> str:
    """Join the page's text, converting each run set in a legacy font."""
    out: list[str] = []
    run: list[str] = []
    run_kind: Kind = None
    for text, fontname in pieces:
        kind = run_kind if fontname is None else _font_kind(fontname)
        if kind != run_kind:
            out.append(_convert_run(run, run_kind, legacy_chars))
            run, run_kind = [], kind
        run.append(text)
    out.append(_convert_run(run, run_kind, legacy_chars))
    return "".join(out)


def _convert_run(run: list[str], kind: Kind, legacy_chars: Counter[str]) -> str:
    text = "".join(run)
    if kind is None or not text:
        return text
    encoding, uppercase = kind
    text = _BYTE_PLACEHOLDER.sub(_byte_char, text)
    legacy_chars[encoding] += len(text)
    return legacy_fonts.convert(text, encoding, uppercase=uppercase)


def _byte_char(match: re.Match[str]) -> str:
    code = int(match.group(1))
    return chr(code) if code < 256 else match.group(0)


@lru_cache(maxsize=256)
def _font_kind(fontname: str) -> Kind:
    encoding = legacy_fonts.is_legacy_font(fontname)
    return None if encoding is None else (encoding, legacy_fonts.is_uppercase_font(fontname))
