"""Page images from a scanning station, assembled losslessly into one PDF.

A librarian uploads the pictures of one holding: TIFF files (a multi-page
TIFF is a whole book), JPEG or PNG, a folder of them, or a ZIP of them.
Pages are taken in natural order (``p2`` before ``p10``) and each image is
put into the PDF by img2pdf as it is, with no re-compression: JPEG and
CCITT data are copied byte for byte, everything else is stored losslessly.
Each image becomes a one-page PDF first and pikepdf joins them, so memory
holds one image at a time, not the book. ``pack`` does every check
``assemble`` does, reading headers only, and keeps the images as they are
in one ZIP in page order: the web request's part, before a background job
assembles the ZIP.

Everything the upload could do wrong is an :class:`ImageRejected` with a
``code``, an English ``template`` (``{name}``-style fields) for the app to
translate, and its ``params``: a file named ``.tif`` that is no image, an
image of absurd dimensions (checked from the header, before any pixel is
decoded), a ZIP with a path that leaves its folder or a link, a ZIP that
expands past its limits (the declared sizes are checked first, the real
ones while extracting), and too many pages. Files are only ever written
inside the work directory, under names this module makes up.
"""

from __future__ import annotations

import re
import shutil
import stat
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import img2pdf
import pikepdf
from PIL import Image, UnidentifiedImageError

IMAGE_SUFFIXES = frozenset({".tif", ".tiff", ".jpg", ".jpeg", ".png"})
SUFFIX_OF_FORMAT = {"TIFF": ".tif", "JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png"}
IMAGE_FORMATS = frozenset(SUFFIX_OF_FORMAT)
# Files a scanning station or an operating system leaves beside the images.
IGNORED_NAMES = re.compile(r"^(\.|__MACOSX$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)
COPY_CHUNK = 1024 * 1024
MERGE_BATCH = 200  # open part files at once while joining

# What img2pdf raises for an image it cannot embed as it is.
IMG2PDF_ERRORS = (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, img2pdf.PdfTooLargeError,
                  img2pdf.UnsupportedColorspaceError, img2pdf.JpegColorspaceError,
                  img2pdf.ExifOrientationError, img2pdf.NegativeDimensionError,
                  ValueError, OSError)

NOT_AN_IMAGE = "not_an_image"
IMAGE_TOO_LARGE = "image_too_large"
UNSUPPORTED_IMAGE = "unsupported_image"
UNSAFE_ARCHIVE = "unsafe_archive"
ARCHIVE_TOO_LARGE = "archive_too_large"
ARCHIVE_TOO_MANY_FILES = "archive_too_many_files"
BAD_ARCHIVE = "bad_archive"
TOO_MANY_PAGES = "too_many_pages"
NO_IMAGES = "no_images"
# One English template per code; the app translates the template, then fills it in.
TEMPLATES = {
    NOT_AN_IMAGE: "“{name}” is not a TIFF, JPEG or PNG image.",
    IMAGE_TOO_LARGE: ("“{name}” is an image of {megapixels} million pixels; one page may "
                      "have at most {limit} million."),
    UNSUPPORTED_IMAGE: "“{name}” cannot be put into a PDF without changing it ({reason}).",
    UNSAFE_ARCHIVE: ("The ZIP file “{archive}” contains “{name}”, which is a link or a path "
                     "outside the archive; nothing was taken from it."),
    ARCHIVE_TOO_LARGE: "The ZIP file “{archive}” expands to more than {limit_mb} MB.",
    ARCHIVE_TOO_MANY_FILES: "The ZIP file “{archive}” holds more than {limit} files.",
    BAD_ARCHIVE: "“{archive}” is not a readable ZIP file.",
    TOO_MANY_PAGES: "The images make more than {limit} pages, the most one file may have.",
    NO_IMAGES: "No TIFF, JPEG or PNG image was found.",
}


class ImageRejected(Exception):
    """Bad input a librarian can fix: a ``code``, an English ``template`` and its ``params``."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.template = TEMPLATES[code]
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.template.format(**self.params)


@dataclass(frozen=True)
class ImageLimits:
    """What one upload may make us read and write."""

    max_pages: int = 1500
    # Pillow's own decompression-bomb limit (about 89 million pixels: an A0
    # sheet at 300 dpi fits); img2pdf refuses larger images anyway.
    max_pixels: int = Image.MAX_IMAGE_PIXELS or 89_478_485
    max_archive_files: int = 5000
    max_archive_bytes: int = 4 * 1024**3


@dataclass(frozen=True)
class Assembly:
    """The PDF written, its page count, and the files passed over (not images)."""

    pages: int
    path: Path
    skipped: tuple[str, ...] = field(default=())


def assemble(sources: list[Path], out: Path, *, workdir: Path | None = None,
             limits: ImageLimits | None = None) -> Assembly:
    """Join the images of ``sources`` (files, folders, ZIPs, in the order given) into ``out``.

    Temporary files go into a fresh folder inside ``workdir`` (by default
    ``out``'s folder) and are removed; ``out`` appears only when complete.
    Raises :class:`ImageRejected` for bad input.
    """
    limits = limits or ImageLimits()
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix=".images-", dir=workdir or out.parent) as scratch:
        work = Path(scratch)
        images, skipped = _gather(sources, work, limits)
        parts = [_image_pdf(image, work / f"part-{n:06d}.pdf") for n, image in enumerate(images)]
        pages = _concatenate(parts, work / "assembled.pdf", work)
        shutil.move(work / "assembled.pdf", out)
    return Assembly(pages=pages, path=out, skipped=tuple(skipped))


def pack(sources: list[Path], out: Path, *, workdir: Path,
         limits: ImageLimits | None = None) -> int:
    """Check the images of ``sources`` and put them, in page order, into one ZIP ``out``.

    Refuses what ``assemble`` would refuse, reading only headers, and stores
    the images as they are (no compression): cheap enough for a web request,
    so bad pages are named while the librarian is still on the form, and the
    slow part, ``assemble`` of the ZIP, can run as a background job. Returns
    the page count.
    """
    with tempfile.TemporaryDirectory(prefix=".pack-", dir=workdir) as scratch:
        images, _skipped = _gather(sources, Path(scratch), limits or ImageLimits())
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            for n, image in enumerate(images):
                archive.write(image.path, f"{n:06d}{SUFFIX_OF_FORMAT[image.format]}")
    return sum(image.frames for image in images)


def _gather(sources: list[Path], work: Path, limits: ImageLimits) -> tuple[list[_Image], list[str]]:
    """Every image of ``sources`` in page order, checked, and the names passed over."""
    skipped: list[str] = []
    images = [image for source in sources for image in _expand(Path(source), work, limits, skipped)]
    if not images:
        raise ImageRejected(NO_IMAGES)
    _check_pages(images, limits)
    return images, skipped


def natural_key(name: str) -> tuple[object, ...]:
    """Sort key that puts ``p2`` before ``p10`` (digits compare as numbers)."""
    return tuple(int(part) if part.isdigit() else part
                 for part in re.split(r"(\d+)", name.casefold()))


# --- finding the images ------------------------------------------------------------------


@dataclass(frozen=True)
class _Image:
    path: Path   # where its bytes are (inside the work directory for ZIP members)
    name: str    # what the librarian called it, for messages
    frames: int
    format: str  # Pillow's name of its kind, one of IMAGE_FORMATS


def _expand(source: Path, work: Path, limits: ImageLimits, skipped: list[str]) -> list[_Image]:
    """The images a source stands for, in page order."""
    if source.is_dir():
        return _from_folder(source, limits, skipped)
    if zipfile.is_zipfile(source):
        return _from_archive(source, work, limits, skipped)
    return [_inspect(source, source.name, limits)]


def _from_folder(folder: Path, limits: ImageLimits, skipped: list[str]) -> list[_Image]:
    found = []
    for path in sorted(_files_under(folder), key=lambda p: natural_key(str(p.relative_to(folder)))):
        name = str(path.relative_to(folder))
        if path.suffix.lower() in IMAGE_SUFFIXES:
            found.append(_inspect(path, name, limits))
        else:
            skipped.append(name)
    return found


def _files_under(folder: Path) -> Iterator[Path]:
    """Regular files below ``folder``, not following links, without system clutter."""
    for path in folder.iterdir():
        if IGNORED_NAMES.match(path.name) or path.is_symlink():
            continue
        if path.is_dir():
            yield from _files_under(path)
        elif path.is_file():
            yield path


def _inspect(path: Path, name: str, limits: ImageLimits) -> _Image:
    """Read the image's header only: its kind, its size and its number of frames."""
    try:
        with warnings.catch_warnings():
            # Our own limit is checked below with the real numbers.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in IMAGE_FORMATS:
                    raise ImageRejected(NOT_AN_IMAGE, name=name)
                frames, kind = getattr(image, "n_frames", 1), image.format
                for frame in range(frames):
                    image.seek(frame)
                    _check_size(image.size[0] * image.size[1], name, limits)
    except Image.DecompressionBombError as exc:  # over twice Pillow's limit: refused at open
        pixels = int(re.search(r"\d+", str(exc)).group())
        raise _too_large(name, pixels, limits) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRejected(NOT_AN_IMAGE, name=name) from exc
    return _Image(path, name, frames, kind)


def _check_size(pixels: int, name: str, limits: ImageLimits) -> None:
    if pixels > limits.max_pixels:
        raise _too_large(name, pixels, limits)


def _too_large(name: str, pixels: int, limits: ImageLimits) -> ImageRejected:
    return ImageRejected(IMAGE_TOO_LARGE, name=name, megapixels=round(pixels / 1e6),
                         limit=round(limits.max_pixels / 1e6))


def _check_pages(images: list[_Image], limits: ImageLimits) -> None:
    if sum(image.frames for image in images) > limits.max_pages:
        raise ImageRejected(TOO_MANY_PAGES, limit=limits.max_pages)


# --- ZIP archives ----------------------------------------------------------------------------


def _from_archive(archive: Path, work: Path, limits: ImageLimits,
                  skipped: list[str]) -> list[_Image]:
    """Check every member, then extract the images under made-up names and inspect them."""
    try:
        with zipfile.ZipFile(archive) as opened:
            members = _checked_members(opened, archive.name, limits)
            folder = Path(tempfile.mkdtemp(prefix="zip-", dir=work))
            images = []
            budget = [limits.max_archive_bytes]
            for n, member in enumerate(sorted(members, key=lambda m: natural_key(m.filename))):
                name = member.filename
                if PurePosixPath(name).suffix.lower() not in IMAGE_SUFFIXES:
                    skipped.append(name)
                    continue
                target = folder / f"{n:06d}{PurePosixPath(name).suffix.lower()}"
                _extract(opened, member, target, archive.name, limits, budget)
                images.append(_inspect(target, name, limits))
            return images
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise ImageRejected(BAD_ARCHIVE, archive=archive.name) from exc


def _checked_members(opened: zipfile.ZipFile, archive: str,
                     limits: ImageLimits) -> list[zipfile.ZipInfo]:
    """The archive's files, once every entry is known to be safe and the declared sizes fit."""
    entries = opened.infolist()
    if len(entries) > limits.max_archive_files:
        raise ImageRejected(ARCHIVE_TOO_MANY_FILES, archive=archive, limit=limits.max_archive_files)
    for entry in entries:
        if not _safe_entry(entry):
            raise ImageRejected(UNSAFE_ARCHIVE, archive=archive, name=entry.filename)
    members = [e for e in entries if not e.is_dir() and not _ignored(e.filename)]
    if sum(e.file_size for e in members) > limits.max_archive_bytes:
        raise ImageRejected(ARCHIVE_TOO_LARGE, archive=archive,
                            limit_mb=limits.max_archive_bytes // 1024**2)
    return members


def _safe_entry(entry: zipfile.ZipInfo) -> bool:
    """No absolute path, drive, ``..`` step or link: nothing that points outside the archive."""
    name = entry.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
        return False
    return not stat.S_ISLNK(entry.external_attr >> 16)


def _ignored(name: str) -> bool:
    return any(IGNORED_NAMES.match(part) for part in PurePosixPath(name).parts)


def _extract(opened: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, archive: str,
             limits: ImageLimits, budget: list[int]) -> None:
    """Copy one member, counting the bytes really written against its size and the archive's."""
    written = 0
    with opened.open(member) as source, target.open("wb") as sink:
        while chunk := source.read(COPY_CHUNK):
            written += len(chunk)
            budget[0] -= len(chunk)
            if written > member.file_size or budget[0] < 0:
                raise ImageRejected(ARCHIVE_TOO_LARGE, archive=archive,
                                    limit_mb=limits.max_archive_bytes // 1024**2)
            sink.write(chunk)


# --- writing the PDF ---------------------------------------------------------------------------


def _image_pdf(image: _Image, out: Path) -> Path:
    """One image (every frame of a TIFF) as a PDF, its data embedded without loss."""
    try:
        with out.open("wb") as sink:
            img2pdf.convert(str(image.path), outputstream=sink)
    except IMG2PDF_ERRORS as exc:
        raise ImageRejected(UNSUPPORTED_IMAGE, name=image.name, reason=str(exc)) from exc
    return out


def _concatenate(parts: list[Path], out: Path, work: Path) -> int:
    """Join the part PDFs in order into ``out``; return the page count.

    At most :data:`MERGE_BATCH` parts are open at once: a 1,500-page upload
    is joined in batches, and the batches then joined.
    """
    rounds = 0
    while len(parts) > MERGE_BATCH:
        rounds += 1
        batches = [parts[i:i + MERGE_BATCH] for i in range(0, len(parts), MERGE_BATCH)]
        parts = [_join(batch, work / f"batch-{rounds}-{n:04d}.pdf")
                 for n, batch in enumerate(batches)]
    _join(parts, out)
    with pikepdf.open(out) as joined:
        return len(joined.pages)


def _join(parts: list[Path], out: Path) -> Path:
    opened = [pikepdf.open(part) for part in parts]
    try:
        with pikepdf.new() as joined:
            for part in opened:
                joined.pages.extend(part.pages)
            joined.save(out)
    finally:
        for part in opened:
            part.close()
    return out
