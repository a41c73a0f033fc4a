"""Reading one PDF and judging, page by page, what its text is worth.

Runs inside an extraction worker (:mod:`ingest.workers`). Every page is
judged on its own: a 23-page paper whose first page reads cleanly and whose
other pages come out as ``(cid:N)`` keeps its first page and has the others
read again, instead of the whole file being written off.

For each page pdfminer's text is used when it is readable. A page that is
mostly undecodable, or that shows a picture but has no text, is read again
with poppler's ``pdftotext``; what neither reader gets is listed in
``Extraction.needs_ocr``. With OCR allowed in the worker (the importer
without a job queue) those pages are then recognised here within the
file's time limit; a job queue instead passes ``ocr=False`` and recognises
them a page at a time, splicing the text in with :func:`complete_with_ocr`.
Only a file that OCR cannot fix ends as ``garbled``.
"""

from __future__ import annotations

import tempfile
import time
import unicodedata
from enum import Enum
from itertools import islice
from pathlib import Path

from pdfminer.pdfdocument import PDFEncryptionError

from ingest import legacy_fonts, poppler_text
from ingest.normalize import (
    PAGE_BREAK,
    garbled_ratio,
    gibberish_ratio,
    noise_ratio,
    normalize_text,
    splice_pages,
)
from ingest.ocr import OcrFailed, OcrTimeout, OcrUnavailable, recognise_page
from ingest.outcomes import (
    CORRUPT,
    EMPTY,
    ENCRYPTED,
    GARBLED,
    MSG_CORRUPT,
    MSG_EMPTY,
    MSG_ENCRYPTED,
    MSG_FIRST_PAGES,
    MSG_GARBLED,
    MSG_GARBLED_NEEDS_OCR,
    MSG_MISSING,
    MSG_MIXED,
    MSG_NEEDS_OCR,
    MSG_OCR,
    MSG_OCR_FAILED,
    MSG_OCR_NOTHING,
    MSG_OK,
    MSG_PARTIAL,
    MSG_TOO_MANY_PAGES,
    MSG_UNSUPPORTED,
    MSG_ZERO_BYTES,
    OCR,
    OK,
    TOO_LARGE,
    UNSUPPORTED,
    Extraction,
    Limits,
    outcome,
)
from ingest.pdftext import PdfText, TooManyPages, read_pdf
from ingest.sniffing import SNIFF_BYTES, sniff_media_type

GARBLED_THRESHOLD = 0.5
MIN_WORD_CHARS_PER_PAGE = 2
# A wrong character map garbles a page throughout: its first characters
# tell, at a quarter of the cost of a typical page.
GIBBERISH_SAMPLE = 600
# The worker stops starting OCR this long before its deadline, so it can
# still send its result before the scheduler kills it.
OCR_MARGIN = 2.0


class Page(Enum):
    """What pdfminer gave for one page."""

    TEXT = "text"          # readable (or blank with nothing to read)
    DAMAGED = "damaged"    # its content stream is broken
    GARBLED = "garbled"    # mostly undecodable characters
    PICTURE = "picture"    # no text, but something to recognise


def precheck(path: Path) -> Extraction | None:
    """Answer at once for files no worker needs to see: missing, empty, not a PDF."""
    try:
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError:
        return outcome(CORRUPT, MSG_MISSING)
    if not head:
        return outcome(CORRUPT, MSG_ZERO_BYTES)
    if sniff_media_type(head) is None:
        return outcome(UNSUPPORTED, MSG_UNSUPPORTED)
    return None


def extract_file(path: Path, limits: Limits) -> Extraction:
    """Read, convert, normalise and classify one PDF (runs inside the worker)."""
    deadline = time.monotonic() + limits.timeout
    try:
        layer = read_pdf(path, limits.max_pages, limits.page_limit)
    except TooManyPages as exc:
        return outcome(TOO_LARGE, MSG_TOO_MANY_PAGES.format(pages=exc.page_count,
                                                            limit=limits.page_limit),
                       pages=exc.page_count)
    except PDFEncryptionError:
        return outcome(ENCRYPTED, MSG_ENCRYPTED)
    except MemoryError:
        raise
    except Exception:  # pdfminer fails in many ways on damaged files
        return outcome(CORRUPT, MSG_CORRUPT)
    if layer.page_count == 0 or len(layer.failed) == len(layer.pages):
        return outcome(CORRUPT, MSG_CORRUPT, pages=layer.page_count or None)
    extraction = classify(path, layer, deadline)
    if limits.ocr and extraction.needs_ocr:
        return _recognise_here(path, extraction, deadline - OCR_MARGIN)
    return extraction


def classify(path: Path, layer: PdfText, deadline: float) -> Extraction:
    """Judge every page, read the doubtful ones again with pdftotext, list what needs OCR."""
    raws, encoding = _decode_legacy(layer)
    kinds = _judge_pages(raws, layer)
    doubtful = [i for i, kind in enumerate(kinds) if kind in (Page.GARBLED, Page.PICTURE)]
    if doubtful:
        rescued = poppler_text.page_texts(path, doubtful[0], doubtful[-1],
                                          timeout=deadline - time.monotonic())
        for index in doubtful:
            again = _convert(rescued.get(index, ""), encoding)
            raws[index] = again if _readable(again) else ""
            kinds[index] = Page.TEXT if _readable(again) else kinds[index]
    needs = tuple(i for i in doubtful if kinds[i] is not Page.TEXT)
    text = normalize_text(PAGE_BREAK.join(raws), drop_repeated_lines=True, keep_pages=True)
    read = kinds.count(Page.TEXT)
    if read == 0:
        garbled = any(kinds[i] is Page.GARBLED for i in needs)
        return outcome(GARBLED if garbled else EMPTY,
                       MSG_GARBLED_NEEDS_OCR if garbled else MSG_EMPTY,
                       pages=layer.page_count, text=_or_nothing(text),
                       legacy_encoding=encoding, needs_ocr=needs)
    return outcome(OK, _text_message(layer, read, needs), pages=layer.page_count, text=text,
                   legacy_encoding=encoding, needs_ocr=needs)


def complete_with_ocr(extraction: Extraction, recognised: dict[int, str], *,
                      failed: bool = False) -> Extraction:
    """``extraction`` with OCR text for some of its ``needs_ocr`` pages spliced in.

    ``recognised`` maps a page index to its OCR text (empty when OCR found
    nothing there); pages not in it stay in ``needs_ocr``. ``failed`` says
    OCR broke down on some page. A file whose OCR found nothing anywhere
    keeps its status: ``garbled`` is then final.
    """
    pages = {i: normalize_text(text) for i, text in recognised.items()}
    useful = [i for i, text in pages.items() if _has_word_chars(text, 1)]
    text = splice_pages(extraction.text, pages)
    remaining = tuple(i for i in extraction.needs_ocr if i not in recognised)
    read = sum(1 for i, page in enumerate(text.split(PAGE_BREAK)) if page and i not in pages)
    total = extraction.pages or 0
    if not useful:
        status, message = _nothing_recognised(extraction, failed, remaining, read)
    elif remaining:
        status = OK if read else OCR
        message = MSG_NEEDS_OCR.format(read=read + len(useful), pages=total, count=len(remaining))
    elif read:
        status, message = OK, MSG_MIXED.format(read=read, ocr=len(useful))
    else:
        status, message = OCR, MSG_OCR.format(pages=len(useful))
    return outcome(status, message, pages=extraction.pages, text=_or_nothing(text),
                   ocr=extraction.ocr or bool(useful), legacy_encoding=extraction.legacy_encoding,
                   needs_ocr=remaining)


def _nothing_recognised(extraction: Extraction, failed: bool, remaining: tuple[int, ...],
                        read: int) -> tuple[str, str]:
    if extraction.status == OK or remaining:
        return extraction.status, extraction.message
    if extraction.status == GARBLED:
        return GARBLED, MSG_GARBLED
    return EMPTY, MSG_OCR_FAILED if failed else MSG_OCR_NOTHING


def _recognise_here(path: Path, extraction: Extraction, deadline: float) -> Extraction:
    """OCR the pages that need it in this worker, as far as the deadline allows."""
    recognised: dict[int, str] = {}
    failed = False
    with tempfile.TemporaryDirectory(prefix="ocr-") as work:
        for index in extraction.needs_ocr:
            try:
                recognised[index] = recognise_page(path, index, Path(work),
                                                   timeout=deadline - time.monotonic()).text
            except (OcrUnavailable, OcrTimeout):
                break
            except OcrFailed:
                recognised[index], failed = "", True
    if not recognised:
        return extraction
    return complete_with_ocr(extraction, recognised, failed=failed)


def _decode_legacy(layer: PdfText) -> tuple[list[str], str | None]:
    """Runs in legacy fonts are already converted; otherwise judge the text as a whole."""
    if layer.legacy_chars:
        return list(layer.pages), layer.legacy_chars.most_common(1)[0][0]
    guessed = legacy_fonts.guess_legacy_encoding(PAGE_BREAK.join(layer.pages))
    return [_convert(page, guessed) for page in layer.pages], guessed


def _convert(text: str, encoding: str | None) -> str:
    return text if encoding is None or not text else legacy_fonts.convert(text, encoding)


def _judge_pages(raws: list[str], layer: PdfText) -> list[Page]:
    kinds = [_judge(i, raw, layer) for i, raw in enumerate(raws)]
    if not any(kind is Page.TEXT and _has_word_chars(raw, MIN_WORD_CHARS_PER_PAGE)
               for raw, kind in zip(raws, kinds, strict=True)):
        # No text anywhere: a scan pdfminer sees no image in, or text drawn as outlines.
        return [Page.PICTURE if kind is Page.TEXT else kind for kind in kinds]
    return kinds


def _judge(index: int, raw: str, layer: PdfText) -> Page:
    if index in layer.failed:
        return Page.DAMAGED
    if _garbled(raw):
        return Page.GARBLED
    if not _has_word_chars(raw, MIN_WORD_CHARS_PER_PAGE) and index in layer.with_images:
        return Page.PICTURE
    return Page.TEXT


def _garbled(text: str) -> bool:
    """Mostly undecodable characters, symbols where letters should be, or letters that spell
    nothing (a wrong character map)."""
    return garbled_ratio(text) > GARBLED_THRESHOLD \
        or noise_ratio(text) > GARBLED_THRESHOLD \
        or gibberish_ratio(text[:GIBBERISH_SAMPLE]) > GARBLED_THRESHOLD


def _readable(text: str) -> bool:
    return not _garbled(text) and _has_word_chars(text, MIN_WORD_CHARS_PER_PAGE)


def _text_message(layer: PdfText, read: int, needs: tuple[int, ...]) -> str:
    if layer.failed:
        return MSG_PARTIAL.format(read=len(layer.pages) - len(layer.failed),
                                  pages=layer.page_count, failed=len(layer.failed))
    if needs:
        return MSG_NEEDS_OCR.format(read=read, pages=layer.page_count, count=len(needs))
    if len(layer.pages) < layer.page_count:
        return MSG_FIRST_PAGES.format(read=len(layer.pages), pages=layer.page_count)
    return MSG_OK.format(pages=layer.page_count)


def _or_nothing(text: str) -> str:
    """No text at all rather than a row of empty pages."""
    return text if text.strip(PAGE_BREAK) else ""


def _has_word_chars(text: str, needed: int) -> bool:
    """Whether ``text`` has ``needed`` letters or digits: what makes a text worth indexing.

    Stops at the ``needed``-th, so a thesis is not walked to its end to learn
    that it has two letters a page.
    """
    found = (c for c in text if unicodedata.category(c)[0] in "LN")
    return sum(1 for _ in islice(found, needed)) == needed
