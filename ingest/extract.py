"""Text extraction with limits: the entry points the app calls.

:func:`extract` (one file) and :func:`extract_many` (the batch importer)
read every PDF in a worker process with a time and memory limit
(:mod:`ingest.workers`); what a worker makes of a file is decided page by
page in :mod:`ingest.classify`; the statuses and messages a result can
carry are in :mod:`ingest.outcomes`. They are re-exported here so callers
need only this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from pdfminer.high_level import extract_text
from pdfminer.layout import LAParams

from ingest.classify import SNIFF_BYTES, complete_with_ocr, sniff_media_type
from ingest.normalize import PAGE_BREAK, splice_pages
from ingest.outcomes import (
    CORRUPT,
    DEFAULT_PAGE_LIMIT,
    EMPTY,
    ENCRYPTED,
    GARBLED,
    OCR,
    OK,
    STATUSES,
    TIMEOUT,
    TOO_LARGE,
    UNSUPPORTED,
    Extraction,
    Limits,
)
from ingest.workers import Extractor, run

__all__ = [
    "CORRUPT", "DEFAULT_PAGE_LIMIT", "EMPTY", "ENCRYPTED", "GARBLED", "OCR", "OK", "PAGE_BREAK",
    "SNIFF_BYTES",
    "STATUSES", "TIMEOUT", "TOO_LARGE", "UNSUPPORTED", "Extraction", "Extractor", "Limits",
    "complete_with_ocr", "extract", "extract_many", "raw_extract_text", "sniff_media_type",
    "splice_pages",
]

K = TypeVar("K")


def extract(path: Path, *, timeout: float = 120.0, memory_mb: int = 2048,
            max_pages: int | None = None, ocr: bool = True,
            page_limit: int | None = DEFAULT_PAGE_LIMIT,
            extractor: Extractor | None = None) -> Extraction:
    """Extract one file's text in a worker process; never raises for a bad file.

    With ``ocr=False`` pages without usable text are listed in the result's
    ``needs_ocr`` for the caller to recognise; a PDF of more than
    ``page_limit`` pages is refused as ``too_large``. An ``extractor`` keeps
    its worker process from one file to the next (a job worker's thread).
    """
    limits = Limits(timeout=timeout, memory_mb=memory_mb, max_pages=max_pages, ocr=ocr,
                    page_limit=page_limit)
    if extractor is not None:
        return extractor.extract(Path(path), limits)
    [(_, outcome)] = list(run([(None, Path(path))], workers=1, limits=limits))
    return outcome


def extract_many(items: Iterable[tuple[K, Path]], *, workers: int = 1, timeout: float = 120.0,
                 memory_mb: int = 2048, max_pages: int | None = None, ocr: bool = True,
                 page_limit: int | None = DEFAULT_PAGE_LIMIT) -> Iterator[tuple[K, Extraction]]:
    """Extract files in ``workers`` processes, yielding ``(key, result)`` as each finishes.

    ``items`` is read only as workers become free, so it may be a generator
    that prepares each file just before it is needed.
    """
    limits = Limits(timeout=timeout, memory_mb=memory_mb, max_pages=max_pages, ocr=ocr,
                    page_limit=page_limit)
    yield from run(items, workers=workers, limits=limits)


def raw_extract_text(path: Path) -> str:
    """pdfminer's plain ``extract_text`` in this process, without limits: a benchmark baseline."""
    return extract_text(str(path), laparams=LAParams())
