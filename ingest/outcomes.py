"""What an extraction can end in: statuses, messages, the result and the limits.

Statuses are the ones the public interface names (CONTRACT.md); messages
are short English sentences a librarian can act on (the app shows its own
translated explanation of the status beside them). They change when the
interface or the wording changes, not when the way files are read does.
"""

from __future__ import annotations

from dataclasses import dataclass

OK, EMPTY, OCR, GARBLED = "ok", "empty", "ocr", "garbled"
ENCRYPTED, CORRUPT, TIMEOUT, TOO_LARGE, UNSUPPORTED = (
    "encrypted", "corrupt", "timeout", "too_large", "unsupported")
STATUSES = (OK, EMPTY, OCR, GARBLED, ENCRYPTED, CORRUPT, TIMEOUT, TOO_LARGE, UNSUPPORTED)

# A 2,000-page PDF is no thesis: more likely a whole journal run or a bad
# scan job, and extracting or recognising it would hold a worker for hours.
DEFAULT_PAGE_LIMIT = 1500

MSG_OK = "Text extracted from {pages} page(s)."
MSG_PARTIAL = ("Text extracted from {read} of {pages} pages; "
               "{failed} damaged page(s) could not be read.")
MSG_FIRST_PAGES = "Text extracted from the first {read} of {pages} pages."
MSG_NEEDS_OCR = "Text extracted from {read} of {pages} pages; {count} page(s) need OCR."
MSG_MIXED = "Text extracted from {read} page(s) and recognised by OCR on {ocr} page(s)."
MSG_EMPTY = "No text layer found (scanned or image-only PDF): OCR is needed to make it searchable."
MSG_OCR = "Text recognised by OCR from {pages} page(s); it may contain errors."
MSG_OCR_NOTHING = "No text layer found and OCR recognised no text."
MSG_OCR_FAILED = "No text layer found and OCR failed on this file."
MSG_GARBLED = ("Most characters could not be decoded (unusual font encoding); "
               "search may miss this file.")
MSG_GARBLED_NEEDS_OCR = ("Most characters could not be decoded (unusual font encoding): "
                         "OCR is needed to make it searchable.")
MSG_ENCRYPTED = "The PDF is password-protected. Please provide a copy without a password."
MSG_CORRUPT = "The PDF is damaged and no page could be read."
MSG_ZERO_BYTES = "The file is empty (0 bytes)."
MSG_MISSING = "The file could not be opened."
MSG_CRASHED = "The extraction process stopped unexpectedly; the PDF may be damaged."
MSG_NO_START = "The extraction process could not be started."
MSG_TIMEOUT = "Text extraction took longer than {seconds:g} seconds and was stopped."
MSG_TOO_LARGE = "Text extraction needed more than the {memory_mb} MB of memory allowed."
MSG_TOO_MANY_PAGES = "The PDF has {pages} pages; at most {limit} pages are accepted."
MSG_UNSUPPORTED = "The file is not a PDF, so no text was extracted."


@dataclass
class Extraction:
    """The outcome of extracting one file: a status from ``STATUSES`` and the text.

    ``text`` keeps one entry per interpreted page, separated by form feeds
    (``PAGE_BREAK``), so page ``i`` is ``text.split("\\f")[i]``; a page
    listed in ``needs_ocr`` (0-based) is empty until OCR text is spliced in
    (:func:`ingest.classify.complete_with_ocr`).
    """

    status: str
    message: str
    pages: int | None
    chars: int
    text: str
    ocr: bool = False
    legacy_encoding: str | None = None
    needs_ocr: tuple[int, ...] = ()


@dataclass(frozen=True)
class Limits:
    """What one extraction may use; the same for every file of a run."""

    timeout: float = 120.0
    memory_mb: int = 2048
    max_pages: int | None = None  # interpret only the first pages (the rest are counted)
    ocr: bool = True  # recognise pages without usable text inside the worker, within ``timeout``
    page_limit: int | None = DEFAULT_PAGE_LIMIT  # refuse longer files as too_large


def outcome(status: str, message: str, *, pages: int | None = None, text: str = "",
            ocr: bool = False, legacy_encoding: str | None = None,
            needs_ocr: tuple[int, ...] = ()) -> Extraction:
    """An :class:`Extraction` whose ``chars`` always matches its text."""
    return Extraction(status, message, pages, len(text), text, ocr, legacy_encoding, needs_ocr)
