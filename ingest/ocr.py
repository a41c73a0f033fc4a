"""Optical character recognition of one scanned page with tesseract.

A long scan is recognised a page at a time so that whoever drives it (a
background job) can record each page as it is done and resume after a
crash without recognising a page twice. For one page this module renders
the page once (poppler's ``pdftoppm``, 300 dpi, grey) and runs one
tesseract that writes, in the same pass, the text, a TSV of words with
their confidences and a text-only PDF page to lay over the scan.

Tesseract is started with ``OMP_THREAD_LIMIT=1``: its OpenMP threads
fight over the cores (15 s a page with the defaults on a 2-core machine,
2.5 s single-threaded), so the caller runs one single-threaded tesseract
per core instead. Both programs run under the caller's time limit in
their own process group, and the whole group is killed when time runs
out or the caller dies, so no tesseract outlives its page.

Tesseract is optional: without it :func:`available_languages` is empty
and :func:`recognise_page` raises :class:`OcrUnavailable`, and the file
stays marked as needing OCR.
"""

from __future__ import annotations

import csv
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pypdfium2

from ingest.normalize import normalize_text
from ingest.syllables import valid_ratio

RENDER_DPI = 300
# A page larger than this at 300 dpi (about A2) is rendered at a lower
# resolution: an absurd MediaBox must not cost gigabytes of pixels.
MAX_PAGE_PIXELS = 40_000_000
MIN_DPI = 72
DEFAULT_LANGUAGES = "vie+eng"
DEFAULT_TIMEOUT = 120.0
# Below these a page goes to the review list. Measured: clean 300 dpi
# pages of Vietnamese text score about 0.95 valid syllables and 90+
# confidence; a blurred half-resolution page read as syllable-shaped
# debris scored 0.74.
REVIEW_BELOW_CONFIDENCE = 70.0
REVIEW_BELOW_SYLLABLE_RATIO = 0.8
TSV_WORD_LEVEL = "5"
_PR_SET_PDEATHSIG = 1


class OcrFailed(Exception):
    """A page could not be recognised; the message says why (for the log and the job)."""


class OcrUnavailable(OcrFailed):
    """Tesseract, or data for any of the requested languages, is not installed."""


class OcrTimeout(OcrFailed):
    """Rendering and recognising the page took longer than allowed; the programs were killed."""


@dataclass(frozen=True)
class PageOcr:
    """What tesseract made of one page (0-based ``index``) and how far to trust it."""

    index: int
    text: str
    mean_confidence: float | None  # 0-100 over recognised words; None when no word was found
    words: int
    valid_syllable_ratio: float
    pdf_page: Path | None  # a one-page PDF of invisible text, the size of the rendered page

    @property
    def needs_review(self) -> bool:
        """Whether a librarian should look at this page (low confidence or few real syllables)."""
        if self.words == 0:
            return False
        return (self.mean_confidence or 0.0) < REVIEW_BELOW_CONFIDENCE \
            or self.valid_syllable_ratio < REVIEW_BELOW_SYLLABLE_RATIO


def tesseract_path() -> str | None:
    """The tesseract program, if installed."""
    return shutil.which("tesseract")


@lru_cache(maxsize=1)
def available_languages() -> frozenset[str]:
    """The languages tesseract has data for; empty without tesseract. Asked once a process."""
    program = tesseract_path()
    if program is None:
        return frozenset()
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True,
                                timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    # The first line is "List of available languages in ... :".
    return frozenset(line.strip() for line in listed.splitlines()[1:] if line.strip())


def usable_languages(requested: str = DEFAULT_LANGUAGES) -> str:
    """The requested ``a+b`` languages that are installed, in order; raises if none is."""
    installed = available_languages()
    usable = [lang for lang in requested.split("+") if lang in installed]
    if not usable:
        raise OcrUnavailable(f"tesseract with {requested} data is not installed")
    return "+".join(usable)


def page_count(pdf: Path) -> int:
    """How many pages ``pdf`` has (pdfium reads only the page tree)."""
    try:
        document = pypdfium2.PdfDocument(str(pdf))
    except (pypdfium2.PdfiumError, OSError) as exc:
        raise OcrFailed(f"cannot open {pdf.name}: {exc}") from exc
    try:
        return len(document)
    finally:
        document.close()


def recognise_page(pdf: Path, index: int, workdir: Path, *, languages: str = DEFAULT_LANGUAGES,
                   timeout: float = DEFAULT_TIMEOUT) -> PageOcr:
    """Render page ``index`` (0-based) of ``pdf`` once and recognise it with one tesseract.

    Files go to ``workdir`` only: ``page-NNNNN.pdf`` (kept, the text layer
    for the searchable derivative) and temporaries that are removed. Running
    it twice for a page gives the same result. Raises :class:`OcrFailed`
    (or its :class:`OcrUnavailable`, :class:`OcrTimeout`) and never leaves
    a program running.
    """
    program = tesseract_path()
    if program is None:
        raise OcrUnavailable("tesseract is not installed")
    chosen = usable_languages(languages)
    deadline = time.monotonic() + timeout
    Path(workdir).mkdir(parents=True, exist_ok=True)
    base = Path(workdir) / f"page-{index:05d}"
    image = base.with_suffix(".pgm")
    _remove(base, (".pgm", ".txt", ".tsv", ".pdf"))
    try:
        dpi = _render(Path(pdf), index, image, deadline)
        _run([program, str(image), str(base), "-l", chosen, "--dpi", str(dpi),
              "-c", "textonly_pdf=1", "txt", "tsv", "pdf"], deadline, "tesseract")
        return _read_outputs(index, base)
    except BaseException:
        _remove(base, (".pdf",))  # a killed tesseract leaves half a PDF
        raise
    finally:
        _remove(base, (".pgm", ".txt", ".tsv"))


def _render(pdf: Path, index: int, image: Path, deadline: float) -> int:
    """Render the page to a grey PGM at 300 dpi (less for huge pages); return the dpi used."""
    dpi = _dpi_for(pdf, index)
    _run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(index + 1), "-l", str(index + 1),
          "-singlefile", str(pdf), str(image.with_suffix(""))], deadline, "pdftoppm")
    if not image.is_file():
        raise OcrFailed(f"pdftoppm rendered nothing for page {index + 1}")
    return dpi


def _dpi_for(pdf: Path, index: int) -> int:
    """300 dpi, or what keeps the page under :data:`MAX_PAGE_PIXELS`."""
    try:
        document = pypdfium2.PdfDocument(str(pdf))
    except (pypdfium2.PdfiumError, OSError) as exc:
        raise OcrFailed(f"cannot open {pdf.name}: {exc}") from exc
    try:
        if not 0 <= index < len(document):
            raise OcrFailed(f"{pdf.name} has no page {index + 1}")
        width, height = document[index].get_size()  # in points, 72 a inch
    finally:
        document.close()
    pixels = (width * RENDER_DPI / 72) * (height * RENDER_DPI / 72)
    if pixels <= MAX_PAGE_PIXELS:
        return RENDER_DPI
    return max(MIN_DPI, int(RENDER_DPI * (MAX_PAGE_PIXELS / pixels) ** 0.5))


def _run(command: list[str], deadline: float, name: str) -> None:
    """Run a program single-threaded in its own process group; kill the group at the deadline."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise OcrTimeout(f"no time left to run {name}")
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=environment, start_new_session=True,
                               preexec_fn=_die_with_parent)
    try:
        _, errors = process.communicate(timeout=remaining)
    except subprocess.TimeoutExpired:
        raise OcrTimeout(f"{name} took longer than the time allowed and was stopped") from None
    finally:
        _kill_group(process)
    if process.returncode != 0:
        detail = errors.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise OcrFailed(f"{name} failed (exit {process.returncode}): {detail[0]}")


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the program and anything it started, and reap it."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()


def _die_with_parent() -> None:
    """In the child, before exec: on Linux, be killed when the process that started us dies.

    A job worker killed with ``kill -9`` mid-page would otherwise leave its
    tesseract running to the end of the page, competing with the worker
    that picks the page up again.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _read_outputs(index: int, base: Path) -> PageOcr:
    text = normalize_text(_read(base.with_suffix(".txt")))
    confidences = _word_confidences(base.with_suffix(".tsv"))
    pdf_page = base.with_suffix(".pdf")
    return PageOcr(
        index=index,
        text=text,
        mean_confidence=sum(confidences) / len(confidences) if confidences else None,
        words=len(confidences),
        valid_syllable_ratio=valid_ratio(text),
        pdf_page=pdf_page if pdf_page.is_file() and pdf_page.stat().st_size else None,
    )


def _word_confidences(tsv: Path) -> list[float]:
    """Confidence of every recognised word (TSV level 5 with text; -1 marks non-words)."""
    rows = csv.DictReader(_read(tsv).splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [float(row["conf"]) for row in rows
            if row.get("level") == TSV_WORD_LEVEL and (row.get("text") or "").strip()
            and float(row["conf"]) >= 0]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError as exc:
        raise OcrFailed(f"tesseract wrote no {path.suffix[1:]} output") from exc


def _remove(base: Path, suffixes: tuple[str, ...]) -> None:
    for suffix in suffixes:
        base.with_suffix(suffix).unlink(missing_ok=True)
