"""Why a background job failed, in words a librarian can act on.

A job that raises records its reason as the exception's name and text
(``services.jobs``: ``OcrTimeout: tesseract took longer…``,
``FileNotFoundError: [Errno 2]…``), and the sweep records that the worker
stopped. That text is for whoever runs the server; the librarian on
/digitization/jobs needs to know what happened and whether retrying will
help. ``explain`` names the known kinds of failure in the page's language;
the page keeps the recorded text beside it, folded, for the staff who
debug. The recorded message itself is never changed (the command line and
the JSON report show it as it is).
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

# What each kind of failure means to the librarian, and what to do about it.
LABELS = {
    "timeout": _l("It took longer than the time allowed and was stopped. Retrying may help "
                  "when the server is less busy."),
    "worker_lost": _l("The worker running it stopped before it finished (the server restarted "
                      "or the process was killed). Retry it."),
    "file_missing": _l("A file it needs is missing on the server."),
    "ocr_unavailable": _l("OCR is not available on the server (Tesseract or its language data "
                          "is not installed)."),
    "ocr_failed": _l("OCR could not read this page."),
    "too_large": _l("The file is too large to process (too many pages or pixels, or too much "
                    "memory needed)."),
    "disk_full": _l("The server's disk is full."),
    "damaged": _l("The PDF could not be read; it may be damaged."),
    "scan_rejected": _l("The scanned images could not be made into a PDF."),
    "database_busy": _l("The database was busy. Retry it."),
    "unknown": _l("An unexpected error stopped it."),
}

# The exception names ``services.jobs`` records, by the kind of failure they are.
NAMES = {
    "OcrTimeout": "timeout", "TimeoutExpired": "timeout", "TimeoutError": "timeout",
    "FileNotFoundError": "file_missing",
    "OcrUnavailable": "ocr_unavailable",
    "OcrFailed": "ocr_failed",
    "MemoryError": "too_large", "TooManyPages": "too_large", "TooLarge": "too_large",
    "DecompressionBombError": "too_large",
    "StoreFull": "disk_full",
    "PdfiumError": "damaged", "PdfError": "damaged", "PDFSyntaxError": "damaged",
    "DerivativeFailed": "damaged",
    "ImageRejected": "scan_rejected", "UnidentifiedImageError": "scan_rejected",
    "BrokenProcessPool": "worker_lost",
}
# Recorded texts that say what happened without an exception's name (the sweep's), or whose
# name is too general (an OSError that is a full disk).
PHRASES = (
    (re.compile(r"worker stopped|worker lost|killed", re.I), "worker_lost"),
    (re.compile(r"no space left|disk quota", re.I), "disk_full"),
    (re.compile(r"database is locked", re.I), "database_busy"),
    (re.compile(r"timed? ?out|took longer than", re.I), "timeout"),
    (re.compile(r"no such file", re.I), "file_missing"),
)
_NAME = re.compile(r"^(?:[\w]+\.)*(\w+)(?::|$)")


def kind(message: str) -> str:
    """The kind of failure a recorded reason is: a key of ``LABELS``."""
    name = _NAME.match(message.strip())
    if name and name.group(1) in NAMES:
        return NAMES[name.group(1)]
    return next((found for phrase, found in PHRASES if phrase.search(message)), "unknown")


def explain(message: str) -> str:
    """A recorded reason in plain words, in the page's language."""
    return str(LABELS[kind(message)])
