"""Optical character recognition of scanned PDFs with the tesseract program.

Tesseract is optional: the repository works without it and marks scans
as needing OCR. When it is installed, pages are rendered with pdfium and
read as Vietnamese plus English (English alone if the Vietnamese data is
not installed).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from pathlib import Path

import pypdfium2

RENDER_DPI = 300
PREFERRED_LANGUAGES = ("vie", "eng")


class OcrFailed(Exception):
    """Rendering or recognition failed; the file stays marked as needing OCR."""


def tesseract_path() -> str | None:
    """The tesseract program, if installed."""
    return shutil.which("tesseract")


def ocr_pdf(path: Path, *, deadline: float, max_pages: int | None = None) -> str | None:
    """Recognised text, pages separated by form feeds; None when tesseract is absent.

    ``deadline`` (a ``time.monotonic()`` value) bounds every tesseract call,
    so the program never outlives the worker that started it by much.
    """
    program = tesseract_path()
    if program is None:
        return None
    try:
        languages = _languages(program)
        document = pypdfium2.PdfDocument(str(path))
    except (OSError, subprocess.SubprocessError, pypdfium2.PdfiumError) as exc:
        raise OcrFailed(str(exc)) from exc
    try:
        count = len(document) if max_pages is None else min(len(document), max_pages)
        return "\f".join(_ocr_page(program, languages, document[i], deadline)
                         for i in range(count))
    except (OSError, subprocess.SubprocessError, pypdfium2.PdfiumError) as exc:
        raise OcrFailed(str(exc)) from exc
    finally:
        document.close()


def _ocr_page(program: str, languages: str, page: pypdfium2.PdfPage, deadline: float) -> str:
    image = page.render(scale=RENDER_DPI / 72).to_pil()
    png = io.BytesIO()
    image.save(png, format="PNG")
    completed = subprocess.run(
        [program, "-", "-", "-l", languages],
        input=png.getvalue(), capture_output=True, check=True,
        timeout=max(deadline - time.monotonic(), 1.0),
    )
    return completed.stdout.decode("utf-8", errors="replace")


def _languages(program: str) -> str:
    listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True,
                            check=False).stdout.split()
    wanted = [lang for lang in PREFERRED_LANGUAGES if lang in listed]
    return "+".join(wanted) if wanted else "eng"
