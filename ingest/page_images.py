"""Page images for the restricted reader, rendered by PDFium in a limited worker process.

A PDF is a program: a 1.5 MB file can hold a content stream that inflates
to gigabytes, or draw a 60,000 × 60,000 image eight times. Rendering it in
the web process would let one page view take the server's memory and hold
every other reader behind it. So each render runs in its own short-lived
process with a memory ceiling (``RLIMIT_AS``), a CPU-time ceiling and a
wall-clock deadline, after which it is killed; before drawing, the worker
adds up the pixels of every image the page paints and refuses a page whose
images exceed the limit. Whatever happens, the caller gets a
:class:`Rendered` with an image path or a refusal (``status`` and an English
``message``), never an exception from the PDF.

Renders run side by side (one process each), so another reader's page never
waits behind a heavy one beyond the caller's own concurrency limit.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

OK = "ok"
TOO_LARGE = "too_large"  # memory, or more image pixels than allowed
TIMEOUT = "timeout"
UNREADABLE = "unreadable"  # damaged, protected, or the worker died
NO_SUCH_PAGE = "no_such_page"

MESSAGES = {
    TOO_LARGE: ("This page cannot be drawn within the reader's limits ({limit} of memory, "
                "{pixels} million image pixels); it cannot be shown."),
    TIMEOUT: "This page takes longer than {seconds} seconds to draw; it cannot be shown.",
    UNREADABLE: "This file cannot be shown in the reader (it is damaged or protected).",
    NO_SUCH_PAGE: "The file has no such page.",
}
STARTUP_SECONDS = 30.0


@dataclass(frozen=True)
class RenderLimits:
    """What one render may spend, and the size of what it makes."""

    width_px: int = 1000
    max_height_px: int = 3000
    memory_mb: int = 768
    timeout: float = 20.0
    # Pixels of source images the page paints, summed over every time each is drawn.
    max_image_pixels: int = 150_000_000


@dataclass(frozen=True)
class Rendered:
    """A page drawn into ``path`` (status ``ok``), or why not; ``pages`` when it was learnt."""

    status: str
    path: Path | None = None
    pages: int | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == OK


def refusal(status: str, limits: RenderLimits, pages: int | None = None) -> Rendered:
    """A refusal with its English message (the app translates the template)."""
    message = MESSAGES[status].format(limit=f"{limits.memory_mb} MB", seconds=int(limits.timeout),
                                      pixels=limits.max_image_pixels // 1_000_000)
    return Rendered(status, None, pages, message)


def render(pdf: Path, page: int, out: Path, limits: RenderLimits) -> Rendered:
    """Draw page ``page`` (1-based) of ``pdf`` into the PNG ``out``, within ``limits``.

    ``page`` 0 only counts the pages (nothing is drawn).
    """
    context = _context()
    parent_end, child_end = context.Pipe(duplex=False)
    worker = context.Process(target=_worker_main, args=(child_end, str(pdf), page, str(out), limits),
                             daemon=True, name="reader-render")
    worker.start()
    child_end.close()
    try:
        result = _await(worker, parent_end, limits)
        return Rendered(OK, out, result.pages) if result.ok and page else result
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join(timeout=5)
        parent_end.close()


def _await(worker: multiprocessing.process.BaseProcess, conn: Connection,
           limits: RenderLimits) -> Rendered:
    """The worker's answer, or a refusal when it overruns its time or dies."""
    deadline = time.monotonic() + STARTUP_SECONDS
    started = False
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return refusal(TIMEOUT if started else UNREADABLE, limits)
        if not conn.poll(remaining):
            continue
        try:
            kind, payload = conn.recv()
        except (EOFError, OSError):
            # Ended by its CPU ceiling, or by PDFium failing at the memory ceiling (or crashing).
            return refusal(_cause_of_death(worker), limits)
        if kind == "started":
            started = True
            deadline = time.monotonic() + limits.timeout
            continue
        status, pages = payload
        if status == OK:
            return Rendered(OK, None, pages)
        return refusal(status, limits, pages)


def _cause_of_death(worker: multiprocessing.process.BaseProcess) -> str:
    """A worker that ran out of CPU time timed out; any other death is a page too large to
    draw within the limits (PDFium aborts when an allocation fails at the memory ceiling)."""
    worker.join(timeout=5)
    return TIMEOUT if worker.exitcode == -signal.SIGXCPU else TOO_LARGE


def _context() -> multiprocessing.context.BaseContext:
    """``forkserver`` with PDFium and Pillow preloaded: a render starts in milliseconds and
    inherits no threads or open files of the web process."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, "pypdfium2", "PIL.Image"])
    return context


# --- the worker process ------------------------------------------------------------------


def _worker_main(conn: Connection, pdf: str, page: int, out: str, limits: RenderLimits) -> None:
    _set_ceilings(limits)
    conn.send(("started", None))
    try:
        answer = _draw(Path(pdf), page, Path(out), limits)
    except MemoryError:
        answer = (TOO_LARGE, None)
    conn.send(("done", answer))
    conn.close()


def _set_ceilings(limits: RenderLimits) -> None:
    size = limits.memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (size if hard == resource.RLIM_INFINITY
                                            else min(size, hard), hard))
    seconds = int(limits.timeout) + 2
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (seconds if hard == resource.RLIM_INFINITY
                                             else min(seconds, hard), hard))


def _draw(pdf: Path, page: int, out: Path, limits: RenderLimits) -> tuple[str, int | None]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        document = pdfium.PdfDocument(str(pdf))
    except pdfium.PdfiumError:
        return UNREADABLE, None
    pages = len(document)
    if page == 0:
        return OK, pages
    if not 1 <= page <= pages:
        return NO_SUCH_PAGE, pages
    try:
        pdf_page = document[page - 1]
    except pdfium.PdfiumError:
        return UNREADABLE, pages
    painted = sum(w * h for w, h in (image.get_px_size() for image in pdf_page.get_objects(
        filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))))
    if painted > limits.max_image_pixels:
        return TOO_LARGE, pages
    width, height = pdf_page.get_size()
    scale = min(limits.width_px / max(width, 1), limits.max_height_px / max(height, 1))
    image = pdf_page.render(scale=scale).to_pil().convert("L")
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    image.save(tmp, format="PNG")
    os.replace(tmp, out)
    return OK, pages
