"""Scanning-station uploads: the page images of one holding become one published work.

A librarian uploads the pictures of a printed thesis (TIFF, multi-page
TIFF, JPEG, PNG, or one ZIP of them). ``receive_upload`` copies them into a
fresh folder under the data directory's ``tmp`` under names made up here (a
user's file name never becomes a path), checks every image from its header
and packs them, in natural page order (``page2`` before ``page10``), into one
uncompressed ZIP staged in the uploader's staging area: only copying, so a
200-page upload answers in seconds. ``publish_scan`` then creates the work,
links it to its holding, publishes it and queues ``scan_assemble`` in one
unit of work. That job (``services.scan_jobs``) joins the images losslessly
into one PDF with ``ingest.images`` (img2pdf), attaches it to the work and
so queues its text (OCR page by page, then the searchable copy).

The batch importer uses ``stage_images`` for a manifest row whose ``file``
names an image folder, a ZIP of page images or an image; it assembles at
once, in the import's own process.

Every limit (files, bytes, pixels, pages, ZIP entries and expansion) is
refused with a ``ScanRejected``, a ``UserError`` whose message is in the
user's language; nothing is kept of a refused upload.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from repo_app import resources
from repo_app.access import Action, Actor
from repo_app.errors import UserError
from repo_app.models import Holding, Job, Work
from repo_app.services import files, holdings, jobs, works
from repo_app.services.unit_of_work import UnitOfWork
from repo_app.vocab import WorkType

if TYPE_CHECKING:
    from ingest.images import ImageLimits, ImageRejected

IMAGE_SUFFIXES = (".tif", ".tiff", ".jpg", ".jpeg", ".png")
COPY_CHUNK = 1024 * 1024
ASSEMBLE_JOB = "scan_assemble"


def N_(message: str) -> str:
    """Mark a message for translation; it is translated where it is shown."""
    return message


# ingest.images' messages (its TEMPLATES), here so pybabel finds them: the
# template is translated first, then its ``{name}`` fields are filled in.
IMAGE_MESSAGES = (
    N_("“{name}” is not a TIFF, JPEG or PNG image."),
    N_("“{name}” is an image of {megapixels} million pixels; one page may have at most "
       "{limit} million."),
    N_("“{name}” cannot be put into a PDF without changing it ({reason})."),
    N_("The ZIP file “{archive}” contains “{name}”, which is a link or a path outside the "
       "archive; nothing was taken from it."),
    N_("The ZIP file “{archive}” expands to more than {limit_mb} MB."),
    N_("The ZIP file “{archive}” holds more than {limit} files."),
    N_("“{archive}” is not a readable ZIP file."),
    N_("The images make more than {limit} pages, the most one file may have."),
    N_("No TIFF, JPEG or PNG image was found."),
)


class ScanRejected(UserError):
    """Page images ``ingest.images`` refused, with its message in the user's language."""

    def __init__(self, code: str, template: str, params: dict[str, object]) -> None:
        super().__init__(code, template, field="images")
        self.params = params
        self.args = (template.format(**params),)

    def translated(self) -> str:
        return gettext(self.template).format(**self.params)


def _rejected(exc: ImageRejected, names: dict[str, str]) -> ScanRejected:
    """The refusal, naming files as the librarian called them, not as we stored them."""
    params = {key: names.get(value, value) if isinstance(value, str) else value
              for key, value in exc.params.items()}
    return ScanRejected(exc.code, exc.template, params)


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its bytes and the name the librarian's computer gave it."""

    stream: BinaryIO
    filename: str


def limits() -> ImageLimits:
    from ingest.images import ImageLimits

    config = current_app.config
    return ImageLimits(max_pages=config["MAX_PAGES"], max_pixels=config["SCAN_MAX_PIXELS"],
                       max_archive_files=config["SCAN_MAX_FILES"],
                       max_archive_bytes=config["SCAN_MAX_EXPANDED_MB"] * 1024 * 1024)


def _scratch() -> Path:
    folder = Path(current_app.config["DATA_DIR"]) / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- assembling ---------------------------------------------------------------------------


def receive_upload(uploads: list[Upload], *, owner: int | None,
                   name: str = "scan.zip") -> tuple[files.StagedFile, int]:
    """Check uploaded page images and stage them for ``owner`` as one ZIP in page order;
    return it and its page count (``publish_scan`` queues their assembly into a PDF).

    Raises ``ScanRejected`` (or ``UserError`` for the count and size limits);
    nothing is kept then.
    """
    from ingest.images import natural_key, pack

    uploads = [u for u in uploads if u.filename]
    _check_count(uploads)
    config = current_app.config
    budget = config["MAX_UPLOAD_MB"] * 1024 * 1024
    ordered = sorted(uploads, key=lambda u: natural_key(files.safe_name(u.filename)))
    with tempfile.TemporaryDirectory(prefix="scan-", dir=_scratch()) as scratch:
        folder = Path(scratch)
        names: dict[str, str] = {}
        sources = []
        for n, upload in enumerate(ordered):
            shown = files.safe_name(upload.filename)
            target = folder / f"{n:06d}{_suffix(shown)}"
            budget -= _copy(upload.stream, target, budget)
            if budget < 0:
                raise UserError("too_large", "%(name)s is larger than the %(limit)s MB limit.",
                                field="images", name=gettext("The upload"),
                                limit=config["MAX_UPLOAD_MB"])
            names[target.name] = shown
            sources.append(target)
        return _made_and_staged(lambda out: pack(sources, out, workdir=folder, limits=limits()),
                                folder / "pages.zip", names, owner=owner, name=name,
                                pdf_only=False)


def _check_count(uploads: list[Upload]) -> None:
    if not uploads:
        raise UserError("no_images", "Choose the page images (TIFF, JPEG or PNG) or one ZIP of "
                        "them.", field="images")
    limit = current_app.config["SCAN_MAX_FILES"]
    if len(uploads) > limit:
        raise UserError("too_many_files", "%(count)s files were sent; one upload may have at most "
                        "%(limit)s (put the pages in a ZIP file).", field="images",
                        count=len(uploads), limit=limit)


def stage_images(path: Path, *, owner: int | None = None) -> tuple[files.StagedFile, int]:
    """An image folder, a ZIP of page images or one image of an import, as one staged PDF."""
    with tempfile.TemporaryDirectory(prefix="scan-", dir=_scratch()) as scratch:
        return _assemble_and_stage([path], Path(scratch), {}, owner=owner,
                                   name=f"{path.stem or 'scan'}.pdf")


def is_images(path: Path) -> bool:
    """Whether an import's path is page images: a folder, a ZIP, or an image file."""
    return path.is_dir() or path.suffix.lower() in (*IMAGE_SUFFIXES, ".zip")


def _assemble_and_stage(sources: list[Path], folder: Path, names: dict[str, str], *,
                        owner: int | None, name: str) -> tuple[files.StagedFile, int]:
    from ingest.images import assemble

    return _made_and_staged(
        lambda out: assemble(sources, out, workdir=folder, limits=limits()).pages,
        folder / "assembled.pdf", names, owner=owner, name=name)


def _made_and_staged(make: Callable[[Path], int], out: Path, names: dict[str, str], *,
                     owner: int | None, name: str,
                     pdf_only: bool = True) -> tuple[files.StagedFile, int]:
    """Have ``make`` write ``out`` (returning its pages), then stage ``out`` for ``owner``;
    ingest's refusals are raised naming files as the librarian called them."""
    from ingest.images import ImageRejected

    try:
        pages = make(out)
    except ImageRejected as exc:
        raise _rejected(exc, names) from None
    with out.open("rb") as stream:
        return files.stage(stream, name, owner=owner, pdf_only=pdf_only), pages


def assemble_package(package: Path, name: str) -> tuple[files.StagedFile, int]:
    """A ZIP that ``receive_upload`` packed, as one staged PDF (the ``scan_assemble`` job)."""
    with tempfile.TemporaryDirectory(prefix="scan-", dir=_scratch()) as scratch:
        return _assemble_and_stage([package], Path(scratch), {}, owner=None, name=name)


def _suffix(name: str) -> str:
    """The upload's kind, from a fixed list; anything else is kept as ``.bin`` and inspected."""
    suffix = Path(name).suffix.lower()
    return suffix if suffix in (*IMAGE_SUFFIXES, ".zip") else ".bin"


def _copy(stream: BinaryIO, target: Path, budget: int) -> int:
    """Copy an upload, stopping one chunk past ``budget``; return the bytes written."""
    written = 0
    with target.open("wb") as sink:
        while chunk := stream.read(COPY_CHUNK):
            written += len(chunk)
            sink.write(chunk)
            if written > budget:
                break
    return written


# --- the holding and the work ---------------------------------------------------------------


def require_scanner(actor: Actor) -> None:
    """The scanning station is for those who manage holdings (403 for anyone else)."""
    holdings.require_manager(actor)


def find_holding(db: Session, key: str) -> Holding | None:
    """The holding with this id or, failing that, this call number (shelf mark)."""
    key = key.strip()
    if not key:
        return None
    holding = db.scalar(select(Holding).where(Holding.holding_id == key))
    if holding is not None:
        return holding
    found = db.scalars(select(Holding).where(func.lower(Holding.shelf_mark) == key.lower())
                       .limit(2)).all()
    if len(found) > 1:
        raise UserError("holding_ambiguous", "Several holdings have the call number %(key)s; "
                        "give the holding id instead.", field="holding", key=key)
    return found[0] if found else None


def _holding(db: Session, key: str) -> Holding:
    holding = find_holding(db, key)
    if holding is None:
        raise UserError("holding_not_found", "No holding has the id or call number %(key)s.",
                        field="holding", key=key.strip() or "—")
    if holding.work_id is not None:
        raise UserError("holding_linked", "Holding %(holding)s is already linked to work "
                        "%(work)s.", field="holding", holding=holding.holding_id,
                        work=holding.work_id)
    return holding


def publish_scan(db: Session, actor: Actor, holding_key: str, fields: works.WorkFields,
                 settings: works.AccessSettings, package: files.StagedFile, *,
                 pages: int | None = None) -> Work:
    """Create the work of a scanned holding, link and publish it: one unit of work, audited,
    its deposit licence accepted by the library (``works.library_terms``).

    ``package`` is the page images ``receive_upload`` staged; the job
    ``scan_assemble`` makes them the work's PDF after the commit, and its
    text (OCR) follows.
    """
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.MANAGE_HOLDINGS)
        holding = _holding(db, holding_key)
        works.validate_access(settings)
        work = works.add(uow, fields, [])
        uow.require(Action.REVIEW, work)
        # The library deposits its own holding: the librarian accepts the licence for it.
        works.record_terms(uow, work, works.library_terms())
        holdings.link_work(db, holding.holding_id, work)
        resources.store().adopt(package.owner, package.sha256)
        jobs.schedule(db, ASSEMBLE_JOB, f"scan:{work.id}", payload={
            "work_id": work.id, "package": package.sha256, "pages": pages,
            "name": f"{Path(package.name).stem}.pdf"})
        uow.audit("scan.upload", work, after={"holding_id": holding.holding_id,
                                              "file": package.name, "pages": pages,
                                              "sha256": package.sha256})
        works.publish_in(uow, work, settings, "scanning station")
    return work


def pages_being_assembled(db: Session, work: Work) -> int | None:
    """The page count of the work's scan while its ``scan_assemble`` job is outstanding."""
    job = db.scalar(select(Job).where(Job.unique_key == f"scan:{work.id}"))
    return None if job is None else int(job.payload.get("pages") or 0)


def prefill(holding: Holding) -> dict[str, object]:
    """What a holding already says about its work: title, creators, year, type."""
    values: dict[str, object] = {"title": holding.title, "creators": list(holding.creators or []),
                                 "year": holding.year}
    if holding.type in {t.value for t in WorkType}:
        values["type"] = holding.type
    return {key: value for key, value in values.items() if value}

