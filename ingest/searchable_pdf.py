"""A searchable copy of a scan: the original pages with an invisible OCR text layer.

The original file is the preservation master and is never changed; the
derivative is what readers download and search engines read. Each
recognised page's text-only PDF (tesseract's ``textonly_pdf`` output, see
:mod:`ingest.ocr`) is turned into a Form XObject and drawn over the
original page, scaled to its MediaBox and turned back by the page's
``/Rotate`` (the page was rendered the way it is shown). pikepdf copies the
image streams through without decoding them, so a 500 MB scan costs no
500 MB of memory.

The result is then converted to PDF/A-2b with Ghostscript where it is
installed (lossless image settings, an sRGB output intent); when that is
impossible or its result fails the checks, the plain PDF is kept and the
reason recorded. Either way the result must open, have the original's page
count and give back, through poppler's ``pdftotext``, the words that were
recognised.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Matrix, Name

GHOSTSCRIPT_TIMEOUT = 900.0
# Read with seeks, not mapped: a mapped 500 MB scan counts against the worker's memory.
STREAMED = pikepdf.AccessMode.stream
CHECK_TIMEOUT = 60.0
PAGES_CHECKED = 3
MIN_WORD_LETTERS = 3
MSG_PDFA = "Searchable copy made as PDF/A-2b."
MSG_PLAIN = "Searchable copy made as a plain PDF (not PDF/A): {reason}."
# Ghostscript's pdfwrite re-encodes what it copies; these keep every image
# lossless and at its own resolution.
LOSSLESS_IMAGES = [
    "-dPassThroughJPEGImages=true", "-dPassThroughJPXImages=true",
    "-dAutoFilterColorImages=false", "-dColorImageFilter=/FlateEncode",
    "-dAutoFilterGrayImages=false", "-dGrayImageFilter=/FlateEncode",
    "-dDownsampleColorImages=false", "-dDownsampleGrayImages=false",
    "-dDownsampleMonoImages=false", "-dMonoImageFilter=/CCITTFaxEncode",
]
PDFA_DEFINITION = """%!
/ICCProfile ({icc}) def
[/_objdef {{icc_PDFA}} /type /stream /OBJ pdfmark
[{{icc_PDFA}} <</N 3>> /PUT pdfmark
[{{icc_PDFA}} ICCProfile (r) file /PUT pdfmark
[/_objdef {{OutputIntent_PDFA}} /type /dict /OBJ pdfmark
[{{OutputIntent_PDFA}} <<
  /Type /OutputIntent /S /GTS_PDFA1 /DestOutputProfile {{icc_PDFA}}
  /OutputConditionIdentifier (sRGB) /Info (sRGB IEC61966-2.1)
>> /PUT pdfmark
[{{Catalog}} <</OutputIntents [ {{OutputIntent_PDFA}} ]>> /PUT pdfmark
"""
PDFA_PART = re.compile(rb"pdfaid:part(?:>|=\W?)\W?2")


class DerivativeFailed(Exception):
    """No searchable copy could be made (the original cannot be opened or the result is wrong)."""


@dataclass(frozen=True)
class Derivative:
    """The searchable copy written, whether it is PDF/A-2b, and what to tell a librarian."""

    path: Path
    pdfa: bool
    message: str


def build(original: Path, text_pages: dict[int, Path], out: Path, *,
          pdfa: bool = True, timeout: float = GHOSTSCRIPT_TIMEOUT) -> Derivative:
    """Write ``out``: ``original`` with each page ``index``'s text layer from ``text_pages``.

    Pages missing from ``text_pages`` are copied as they are. Temporary
    files go next to ``out`` and ``out`` appears only when it is complete.
    Raises :class:`DerivativeFailed` when even the plain copy fails its checks.
    """
    out = Path(out)
    if Path(original).resolve() == out.resolve():
        raise DerivativeFailed("the derivative must not overwrite the original")
    with tempfile.TemporaryDirectory(prefix=".derivative-", dir=out.parent) as work:
        plain = Path(work) / "plain.pdf"
        pages = _graft(Path(original), text_pages, plain)
        expected = _expected_words(text_pages)
        problem = _problem(plain, pages, expected)
        if problem:
            raise DerivativeFailed(f"the searchable copy is wrong: {problem}")
        archival = Path(work) / "pdfa.pdf"
        reason = _make_pdfa(plain, archival, Path(work), timeout) if pdfa else "not requested"
        if reason is None:
            reason = _problem(archival, pages, expected, pdfa=True)
        chosen = plain if reason else archival
        os.replace(chosen, out)
    if reason:
        return Derivative(out, False, MSG_PLAIN.format(reason=reason))
    return Derivative(out, True, MSG_PDFA)


# --- grafting -------------------------------------------------------------------------


def _graft(original: Path, text_pages: dict[int, Path], out: Path) -> int:
    """Draw each text layer over its page and save; return the page count."""
    try:
        pdf = pikepdf.open(original, access_mode=STREAMED)
    except (pikepdf.PdfError, OSError) as exc:
        raise DerivativeFailed(f"the original cannot be opened: {exc}") from exc
    with pdf:
        count = len(pdf.pages)
        for index, layer in sorted(text_pages.items()):
            if not 0 <= index < count:
                raise DerivativeFailed(f"there is no page {index + 1} to put text on")
            _graft_page(pdf, pdf.pages[index], Path(layer))
        pdf.save(out)
    return count


def _graft_page(pdf: pikepdf.Pdf, page: pikepdf.Page, layer: Path) -> None:
    with pikepdf.open(layer) as text:
        text_page = text.pages[0]
        form = pdf.copy_foreign(text_page.as_form_xobject())
        width, height = _size(text_page.mediabox)
    name = page.add_resource(form, Name.XObject, prefix="OCR")
    matrix = _placement(page, width, height)
    # The page's own drawing is put inside q/Q so a page that leaves its
    # graphics state changed cannot move the text layer.
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"\nQ\nq %s cm %s Do Q\n" % (matrix.encode(), str(name).encode()))


def _placement(page: pikepdf.Page, width: float, height: float) -> Matrix:
    """The matrix that puts a ``width`` x ``height`` layer, rendered as shown, onto ``page``.

    Centre the layer on the origin, turn it back by the page's rotation,
    scale it to the MediaBox (dpi rounding makes it differ by a fraction of
    a percent) and move it to the MediaBox's centre.
    """
    left, bottom, right, top = (float(v) for v in page.mediabox)
    page_width, page_height = right - left, top - bottom
    turn = int(page.obj.get(Name.Rotate, 0)) % 360
    turned_width, turned_height = (height, width) if turn in (90, 270) else (width, height)
    steps = [Matrix().translated(-width / 2, -height / 2), Matrix().rotated(turn),
             Matrix().scaled(page_width / turned_width, page_height / turned_height),
             Matrix().translated(left + page_width / 2, bottom + page_height / 2)]
    placement = Matrix()
    for step in steps:
        placement = placement @ step  # row vectors: the leftmost step applies first
    return placement


def _size(box: pikepdf.Array) -> tuple[float, float]:
    left, bottom, right, top = (float(v) for v in box)
    return right - left, top - bottom


# --- PDF/A ------------------------------------------------------------------------------


def _make_pdfa(source: Path, out: Path, work: Path, timeout: float) -> str | None:
    """Convert with Ghostscript; None when it worked, else why not."""
    program = shutil.which("gs")
    if program is None:
        return "Ghostscript is not installed"
    icc = _srgb_profile(program)
    if icc is None:
        return "Ghostscript's sRGB colour profile was not found"
    definition = work / "PDFA_def.ps"
    definition.write_text(PDFA_DEFINITION.format(icc=icc), encoding="ascii")
    command = [program, "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", f"--permit-file-read={icc}",
               "-sDEVICE=pdfwrite", "-dPDFA=2", "-dPDFACompatibilityPolicy=1",
               "-sColorConversionStrategy=RGB", *LOSSLESS_IMAGES,
               f"-sOutputFile={out}", str(definition), str(source)]
    try:
        completed = subprocess.run(command, capture_output=True, timeout=timeout, check=False,
                                   start_new_session=True)
    except subprocess.TimeoutExpired:
        return f"Ghostscript took longer than {timeout:g} seconds"
    if completed.returncode != 0 or not out.is_file():
        return f"Ghostscript failed (exit {completed.returncode})"
    return None


def _srgb_profile(program: str) -> Path | None:
    """Ghostscript's own sRGB profile, which it is allowed to read."""
    root = Path(program).resolve().parent.parent / "share" / "ghostscript"
    return next(iter(sorted(root.glob("*/iccprofiles/srgb.icc"), reverse=True)), None)


# --- checks -------------------------------------------------------------------------------


def _problem(path: Path, pages: int, expected: dict[int, set[str]], *,
             pdfa: bool = False) -> str | None:
    """What is wrong with ``path`` as a derivative, or None."""
    try:
        with pikepdf.open(path, access_mode=STREAMED) as pdf:
            if len(pdf.pages) != pages:
                return f"it has {len(pdf.pages)} pages instead of {pages}"
            if pdfa and not PDFA_PART.search(_xmp(pdf)):
                return "Ghostscript's result does not declare PDF/A-2"
    except (pikepdf.PdfError, OSError) as exc:
        return f"it does not open ({exc})"
    for index in _sample(sorted(expected)):
        found = set(_pdftotext(path, index).split())
        if expected[index] and not expected[index] & found:
            return f"the recognised words of page {index + 1} cannot be extracted from it"
    return None


def _xmp(pdf: pikepdf.Pdf) -> bytes:
    metadata = pdf.Root.get(Name.Metadata)
    return metadata.read_bytes() if isinstance(metadata, pikepdf.Stream) else b""


def _expected_words(text_pages: dict[int, Path]) -> dict[int, set[str]]:
    """For a few pages, the longer words their text layers hold."""
    return {index: {word for word in _pdftotext(Path(text_pages[index]), 0).split()
                    if sum(c.isalpha() for c in word) >= MIN_WORD_LETTERS}
            for index in _sample(sorted(text_pages))}


def _sample(indexes: list[int]) -> list[int]:
    """The first, middle and last of the indexes: enough to catch a misplaced layer."""
    if len(indexes) <= PAGES_CHECKED:
        return indexes
    return sorted({indexes[0], indexes[len(indexes) // 2], indexes[-1]})


def _pdftotext(path: Path, index: int) -> str:
    number = str(index + 1)
    try:
        return subprocess.run(["pdftotext", "-f", number, "-l", number, str(path), "-"],
                              capture_output=True, text=True, timeout=CHECK_TIMEOUT,
                              check=False).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise DerivativeFailed(f"pdftotext could not check the copy: {exc}") from exc
