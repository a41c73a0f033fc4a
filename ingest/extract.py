"""Text extraction with limits: every PDF is read in a worker process.

A hostile or broken PDF can make a parser loop, eat memory or crash, so
the web process never parses one itself. Each file goes to a worker
process with a memory ceiling (``RLIMIT_AS``) and a time limit; a worker
that runs over is killed and a worker that dies is replaced, and the
caller always gets an :class:`Extraction` back. :func:`extract` (one file)
and :func:`extract_many` (the batch importer) share the same scheduler.

Statuses are the ones the public interface names; messages are short
English sentences a librarian can act on.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import resource
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, TypeVar

from pdfminer.high_level import extract_text
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFEncryptionError

from ingest import legacy_fonts
from ingest.normalize import PAGE_BREAK, garbled_ratio, normalize_text
from ingest.ocr import OcrFailed, OcrUnavailable, recognise_page
from ingest.pdftext import PdfText, read_pdf

K = TypeVar("K")

PDF_MEDIA_TYPE = "application/pdf"
PDF_MAGIC = b"%PDF-"
SNIFF_BYTES = 1024
GARBLED_THRESHOLD = 0.5
MIN_WORD_CHARS_PER_PAGE = 2
STARTUP_TIMEOUT = 60.0
# pdfminer allocates millions of small layout objects per file, hardly any of
# them in reference cycles; at Python's default thresholds (700, 10, 10) the
# collector runs thousands of times a file and each older-generation pass
# re-scans every live layout object. Collecting less often saves about a
# tenth of a worker's time, for at most some megabytes of late garbage.
WORKER_GC_THRESHOLDS = (100_000, 20, 20)

OK, EMPTY, OCR, GARBLED = "ok", "empty", "ocr", "garbled"
ENCRYPTED, CORRUPT, TIMEOUT, TOO_LARGE, UNSUPPORTED = (
    "encrypted", "corrupt", "timeout", "too_large", "unsupported")
STATUSES = (OK, EMPTY, OCR, GARBLED, ENCRYPTED, CORRUPT, TIMEOUT, TOO_LARGE, UNSUPPORTED)

MSG_OK = "Text extracted from {pages} page(s)."
MSG_PARTIAL = ("Text extracted from {read} of {pages} pages; "
               "{failed} damaged page(s) could not be read.")
MSG_FIRST_PAGES = "Text extracted from the first {read} of {pages} pages."
MSG_EMPTY = "No text layer found (scanned or image-only PDF): OCR is needed to make it searchable."
MSG_OCR = "Text recognised by OCR from {pages} page(s); it may contain errors."
MSG_OCR_NOTHING = "No text layer found and OCR recognised no text."
MSG_OCR_FAILED = "No text layer found and OCR failed on this file."
MSG_GARBLED = ("Most characters could not be decoded (unusual font encoding); "
               "search may miss this file.")
MSG_ENCRYPTED = "The PDF is password-protected. Please provide a copy without a password."
MSG_CORRUPT = "The PDF is damaged and no page could be read."
MSG_ZERO_BYTES = "The file is empty (0 bytes)."
MSG_MISSING = "The file could not be opened."
MSG_CRASHED = "The extraction process stopped unexpectedly; the PDF may be damaged."
MSG_NO_START = "The extraction process could not be started."
MSG_TIMEOUT = "Text extraction took longer than {seconds:g} seconds and was stopped."
MSG_TOO_LARGE = "Text extraction needed more than the {memory_mb} MB of memory allowed."
MSG_UNSUPPORTED = "The file is not a PDF, so no text was extracted."


@dataclass
class Extraction:
    """The outcome of extracting one file: a status from ``STATUSES`` and the text."""

    status: str
    message: str
    pages: int | None
    chars: int
    text: str
    ocr: bool = False
    legacy_encoding: str | None = None


@dataclass(frozen=True)
class Limits:
    """What one extraction may use; the same for every file of a run."""

    timeout: float = 120.0
    memory_mb: int = 2048
    max_pages: int | None = None
    ocr: bool = True


def sniff_media_type(head: bytes) -> str | None:
    """``application/pdf`` if ``%PDF-`` occurs in the first 1024 bytes (as readers allow)."""
    return PDF_MEDIA_TYPE if PDF_MAGIC in head[:SNIFF_BYTES] else None


def extract(path: Path, *, timeout: float = 120.0, memory_mb: int = 2048,
            max_pages: int | None = None, ocr: bool = True) -> Extraction:
    """Extract one file's text in a worker process; never raises for a bad file."""
    limits = Limits(timeout=timeout, memory_mb=memory_mb, max_pages=max_pages, ocr=ocr)
    [(_, outcome)] = list(_run([(None, Path(path))], workers=1, limits=limits))
    return outcome


def extract_many(items: Iterable[tuple[K, Path]], *, workers: int = 1, timeout: float = 120.0,
                 memory_mb: int = 2048, max_pages: int | None = None,
                 ocr: bool = True) -> Iterator[tuple[K, Extraction]]:
    """Extract files in ``workers`` processes, yielding ``(key, result)`` as each finishes.

    ``items`` is read only as workers become free, so it may be a generator
    that prepares each file just before it is needed.
    """
    limits = Limits(timeout=timeout, memory_mb=memory_mb, max_pages=max_pages, ocr=ocr)
    yield from _run(items, workers=workers, limits=limits)


def raw_extract_text(path: Path) -> str:
    """pdfminer's plain ``extract_text`` in this process, without limits: a benchmark baseline."""
    return extract_text(str(path), laparams=LAParams())


def _outcome(status: str, message: str, *, pages: int | None = None, text: str = "",
             ocr: bool = False, legacy_encoding: str | None = None) -> Extraction:
    """An :class:`Extraction` whose ``chars`` always matches its text."""
    return Extraction(status, message, pages, len(text), text, ocr, legacy_encoding)


# --- the scheduler (parent side) -------------------------------------------------------


def _run(items: Iterable[tuple[K, Path]], *, workers: int,
         limits: Limits) -> Iterator[tuple[K, Extraction]]:
    """Feed files to worker processes, enforcing the limits; yield results as they come.

    An item is drawn from ``items`` only when a worker is free for it, so a
    caller that prepares files lazily (the importer stores each one first)
    does that work while the others are extracted. A worker that finishes
    gets its next file before its result is yielded, so it extracts while
    the caller handles the result.
    """
    source = iter(items)
    pool: list[_Worker] = []
    try:
        answered = _assign(pool, source, workers, limits)
        while answered or any(w.busy for w in pool):
            yield from answered
            answered = _collect(pool, limits) + _assign(pool, source, workers, limits)
    finally:
        for worker in pool:
            worker.stop()


def _precheck(path: Path) -> Extraction | None:
    """Answer at once for files no worker needs to see: missing, empty, not a PDF."""
    try:
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError:
        return _outcome(CORRUPT, MSG_MISSING)
    if not head:
        return _outcome(CORRUPT, MSG_ZERO_BYTES)
    if sniff_media_type(head) is None:
        return _outcome(UNSUPPORTED, MSG_UNSUPPORTED)
    return None


def _assign(pool: list[_Worker], source: Iterator[tuple[Any, Path]], workers: int,
            limits: Limits) -> list[tuple[Any, Extraction]]:
    """Give every free worker slot a file; return the answers no worker was needed for."""
    pool[:] = [w for w in pool if w.busy or w.alive()]
    answered = []
    while _has_room(pool, workers) and (item := next(source, None)) is not None:
        key, path = item
        early = _precheck(Path(path))
        if early is None:
            _idle_worker(pool, limits).submit(key, Path(path))
        else:
            answered.append((key, early))
    return answered


def _has_room(pool: list[_Worker], workers: int) -> bool:
    return len(pool) < max(workers, 1) or not all(w.busy for w in pool)


def _idle_worker(pool: list[_Worker], limits: Limits) -> _Worker:
    """A worker with nothing to do, started if every one in the pool is busy."""
    idle = next((w for w in pool if not w.busy), None)
    if idle is None:
        idle = _Worker(limits)
        pool.append(idle)
    return idle


def _collect(pool: list[_Worker], limits: Limits) -> list[tuple[Any, Extraction]]:
    """Wait for the next message or deadline of a busy worker; return what finished."""
    busy = [w for w in pool if w.busy]
    if not busy:
        return []
    now = time.monotonic()
    wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
         timeout=max(min(w.deadline for w in busy) - now, 0))
    return [done for done in (w.poll(limits) for w in busy) if done is not None]


class _Worker:
    """One worker process and the file it is working on."""

    def __init__(self, limits: Limits) -> None:
        context = _context()
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child_end, limits),
                                       daemon=True, name="ingest-extract")
        self.process.start()
        child_end.close()
        self.busy = False
        self.started = False
        self.key: Any = None
        self.deadline = 0.0

    def alive(self) -> bool:
        return self.process.is_alive()

    def submit(self, key: Any, path: Path) -> None:
        """Hand over a file; its clock starts when the worker says it has begun."""
        self.key, self.busy, self.started = key, True, False
        self.deadline = time.monotonic() + STARTUP_TIMEOUT
        try:
            self.conn.send(str(path))
        except OSError:
            pass  # the worker died while idle; poll() reports it for this file

    def poll(self, limits: Limits) -> tuple[Any, Extraction] | None:
        """The finished (key, result), if any: a result, a crash, or a missed deadline."""
        try:
            while self.conn.poll():
                kind, payload = self.conn.recv()
                if kind == "started":
                    self.started = True
                    self.deadline = time.monotonic() + limits.timeout
                else:
                    return self._finish(payload)
        except (EOFError, OSError):
            return self._fail(_outcome(CORRUPT, MSG_CRASHED))
        if not self.process.is_alive():
            return self._fail(_outcome(CORRUPT, MSG_CRASHED))
        if time.monotonic() < self.deadline:
            return None
        if not self.started:
            return self._fail(_outcome(CORRUPT, MSG_NO_START))
        return self._fail(_outcome(TIMEOUT, MSG_TIMEOUT.format(seconds=limits.timeout)))

    def stop(self) -> None:
        """Let an idle worker exit; kill a busy one."""
        if self.busy or not self.process.is_alive():
            self._kill()
            return
        try:
            self.conn.send(None)
        except OSError:
            self._kill()
            return
        self.process.join(timeout=5)
        self._kill()

    def _finish(self, extraction: Extraction) -> tuple[Any, Extraction]:
        self.busy = False
        if extraction.status == TOO_LARGE:
            self._kill()  # the worker exits after running out of memory; never reuse it
        return self.key, extraction

    def _fail(self, extraction: Extraction) -> tuple[Any, Extraction]:
        self._kill()
        return self._finish(extraction)

    def _kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


def _context() -> multiprocessing.context.BaseContext:
    """``forkserver`` where available (fast, no inherited state), else ``spawn``.

    The fork server imports this module (and so pdfminer) once, besides the
    main module it always loads, so a worker forked from it starts at once
    instead of spending a tenth of a second on imports.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", __name__])
    return context


# --- the worker process ------------------------------------------------------------------


def _worker_main(conn: Connection, limits: Limits) -> None:
    """Extract the files sent down ``conn`` until told to stop (``None``)."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    gc.set_threshold(*WORKER_GC_THRESHOLDS)
    _limit_memory(limits.memory_mb)
    while (path := conn.recv()) is not None:
        conn.send(("started", None))
        try:
            extraction = _extract_file(Path(path), limits)
        except MemoryError:
            extraction = _outcome(TOO_LARGE, MSG_TOO_LARGE.format(memory_mb=limits.memory_mb))
        conn.send(("done", extraction))
        if extraction.status == TOO_LARGE:
            return  # a process that ran out of memory is not trusted with the next file


def _limit_memory(memory_mb: int) -> None:
    size = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        size = min(size, hard)
    resource.setrlimit(resource.RLIMIT_AS, (size, hard))


def _extract_file(path: Path, limits: Limits) -> Extraction:
    """Read, convert, normalise and classify one PDF (runs inside the worker)."""
    deadline = time.monotonic() + limits.timeout
    try:
        layer = read_pdf(path, limits.max_pages)
    except PDFEncryptionError:
        return _outcome(ENCRYPTED, MSG_ENCRYPTED)
    except MemoryError:
        raise
    except Exception:  # pdfminer fails in many ways on damaged files
        return _outcome(CORRUPT, MSG_CORRUPT)
    if layer.page_count == 0 or not layer.pages:
        return _outcome(CORRUPT, MSG_CORRUPT, pages=layer.page_count or None)
    return _classify(path, layer, limits, deadline)


def _classify(path: Path, layer: PdfText, limits: Limits, deadline: float) -> Extraction:
    raw, encoding = _decode_legacy(PAGE_BREAK.join(layer.pages), layer)
    text = normalize_text(raw, drop_repeated_lines=True)
    pages = layer.page_count
    if garbled_ratio(raw) > GARBLED_THRESHOLD:
        return _outcome(GARBLED, MSG_GARBLED, pages=pages, text=text, legacy_encoding=encoding)
    if not _has_word_chars(text, MIN_WORD_CHARS_PER_PAGE * len(layer.pages)):
        return _ocr_or_empty(path, pages, limits, deadline)
    return _outcome(OK, _ok_message(layer), pages=pages, text=text, legacy_encoding=encoding)


def _decode_legacy(raw: str, layer: PdfText) -> tuple[str, str | None]:
    """Runs in legacy fonts are already converted; otherwise look at the text as a whole."""
    if layer.legacy_chars:
        return raw, layer.legacy_chars.most_common(1)[0][0]
    guessed = legacy_fonts.guess_legacy_encoding(raw)
    return (raw, None) if guessed is None else (legacy_fonts.convert(raw, guessed), guessed)


def _ok_message(layer: PdfText) -> str:
    read = len(layer.pages)
    if layer.failed_pages:
        return MSG_PARTIAL.format(read=read, pages=layer.page_count, failed=layer.failed_pages)
    if read < layer.page_count:
        return MSG_FIRST_PAGES.format(read=read, pages=layer.page_count)
    return MSG_OK.format(pages=layer.page_count)


def _ocr_or_empty(path: Path, pages: int, limits: Limits, deadline: float) -> Extraction:
    try:
        recognised = _ocr_pages(path, pages, limits, deadline) if limits.ocr else None
    except OcrUnavailable:
        recognised = None
    except OcrFailed:
        return _outcome(EMPTY, MSG_OCR_FAILED, pages=pages)
    if recognised is None:
        return _outcome(EMPTY, MSG_EMPTY, pages=pages)
    text = normalize_text(recognised)
    if not _has_word_chars(text, 1):
        return _outcome(EMPTY, MSG_OCR_NOTHING, pages=pages)
    return _outcome(OCR, MSG_OCR.format(pages=pages), pages=pages, text=text, ocr=True)


def _ocr_pages(path: Path, pages: int, limits: Limits, deadline: float) -> str:
    """Every page's OCR text, pages separated by form feeds, within the file's deadline."""
    count = pages if limits.max_pages is None else min(pages, limits.max_pages)
    with tempfile.TemporaryDirectory(prefix="ocr-") as work:
        return PAGE_BREAK.join(
            recognise_page(path, index, Path(work), timeout=deadline - time.monotonic()).text
            for index in range(count))


def _has_word_chars(text: str, needed: int) -> bool:
    """Whether ``text`` has ``needed`` letters or digits: what makes a text worth indexing.

    Stops at the ``needed``-th, so a thesis is not walked to its end to learn
    that it has two letters a page.
    """
    found = (c for c in text if unicodedata.category(c)[0] in "LN")
    return sum(1 for _ in islice(found, needed)) == needed
