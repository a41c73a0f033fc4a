"""The restricted reader: one page at a time, rendered on the server as a watermarked PNG.

Restricted reading means "read, don't take away": the browser only ever
receives page images, each stamped with who is reading and when, never the
PDF or its text. A per-viewer page budget (pages per minute, counted in
``reader_page_views``, so it holds across server processes) keeps a script
from harvesting a whole thesis quickly.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from datetime import timedelta, timezone
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
from flask import current_app
from flask_babel import gettext
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ingest.fonts import find_font
from repo_app import resources
from repo_app.access import Action, Actor, decide
from repo_app.errors import Forbidden, NotFound, UserError
from repo_app.models import File, ReaderPageView, Work
from repo_app.models.types import utcnow
from repo_app.services import files, works

PAGE_WIDTH_PX = 1100
MAX_PAGE_HEIGHT_PX = 4000
# Vietnam has one time zone and no daylight saving: the watermark shows the reader's clock.
LOCAL_TIME = timezone(timedelta(hours=7), "ICT")
# PDFium is not thread-safe: one render at a time per process.
_PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True)
class Viewer:
    """Who is reading, for the watermark and the rate limit: an account, or a guest's address."""

    key: str
    label: str

    @classmethod
    def of(cls, actor: Actor, address: str | None) -> Viewer:
        if actor.user_id is not None:
            return cls(f"user:{actor.user_id}", actor.name or f"#{actor.user_id}")
        address = address or "?"
        return cls(f"ip:{address}", f"{gettext('Guest')} {address}")


@dataclass(frozen=True)
class ReadableFile:
    """A file the actor may read online, with its page count."""

    work: Work
    file: File
    pages: int


def pages_per_minute() -> int:
    """``REPO_READER_PAGES_PER_MINUTE``: pages one reader may turn in a minute."""
    return int(current_app.config["READER_PAGES_PER_MINUTE"])


def readable_files(db: Session, actor: Actor, work_id: int) -> tuple[Work, list[File]]:
    """The work (404 when hidden) and the files the actor may read online, in order."""
    work = works.get_visible(db, actor, work_id)
    policy = resources.policy()
    readable = [f for f in work.files if decide(actor, Action.READ_ONLINE, work, f, policy=policy)]
    return work, readable


def first_readable(db: Session, actor: Actor, work_id: int) -> File:
    """Where the reader opens: the first file the actor may read (404 with no files, else 403)."""
    work, readable = readable_files(db, actor, work_id)
    if not work.files:
        raise NotFound()
    if not readable:
        raise Forbidden("nothing readable")
    return readable[0]


def open_for_reading(db: Session, actor: Actor, work_id: int, file_id: int) -> ReadableFile:
    """A file of that work the actor may read online (404 if hidden or another work's; else 403)."""
    work, file = files.file_of_work(db, actor, work_id, file_id, Action.READ_ONLINE)
    return ReadableFile(work, file, file.pages or _count_pages(_pdf_path(file)))


def render_page(db: Session, actor: Actor, viewer: Viewer, work_id: int, file_id: int,
                page: int) -> bytes:
    """The PNG of one page, watermarked for ``viewer``; counted against their page budget."""
    readable = open_for_reading(db, actor, work_id, file_id)
    if not 1 <= page <= readable.pages:
        raise NotFound()
    _spend_page(db, viewer, readable.file, page)
    image = _rasterize(_pdf_path(readable.file), page)
    stamp = f"{viewer.label} · {utcnow().astimezone(LOCAL_TIME):%Y-%m-%d %H:%M} ICT"
    return _png(_watermark(image, stamp))


def pages_left(db: Session, viewer: Viewer) -> int:
    """How many more pages the viewer may see this minute (the reader page warns at 0)."""
    recent = db.scalar(select(func.count()).select_from(ReaderPageView).where(
        ReaderPageView.viewer == viewer.key,
        ReaderPageView.at > utcnow() - timedelta(minutes=1)))
    return max(0, pages_per_minute() - (recent or 0))


def rate_limited() -> UserError:
    limit = pages_per_minute()
    return UserError("reader_rate_limited",
                     "You have read %(limit)s pages in the last minute. "
                     "Please wait a minute before turning the page.",
                     status=429, limit=limit)


def _spend_page(db: Session, viewer: Viewer, file: File, page: int) -> None:
    """Refuse (429) a viewer past their pages-per-minute budget; otherwise log the page."""
    now = utcnow()
    db.execute(delete(ReaderPageView).where(ReaderPageView.viewer == viewer.key,
                                            ReaderPageView.at < now - timedelta(hours=1)))
    if pages_left(db, viewer) <= 0:
        db.commit()
        raise rate_limited()
    db.add(ReaderPageView(viewer=viewer.key, file_id=file.id, page=page, at=now))
    db.commit()


def _pdf_path(file: File) -> Path:
    return resources.store().path(file.sha256)


def _open_pdf(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        raise UserError("unreadable_file",
                        "This file cannot be shown in the reader (it is damaged or protected).",
                        status=422) from None


def _count_pages(path: Path) -> int:
    with _PDFIUM_LOCK:
        pdf = _open_pdf(path)
        try:
            return len(pdf)
        finally:
            pdf.close()


def _rasterize(path: Path, page: int) -> Image.Image:
    """One page at reading width; an absurdly tall page is scaled down, not rendered huge."""
    with _PDFIUM_LOCK:
        pdf = _open_pdf(path)
        try:
            pdf_page = pdf[page - 1]
            width, height = pdf_page.get_size()
            scale = min(PAGE_WIDTH_PX / max(width, 1), MAX_PAGE_HEIGHT_PX / max(height, 1))
            bitmap = pdf_page.render(scale=scale)
            image = bitmap.to_pil().convert("RGB")
            bitmap.close()
            pdf_page.close()
            return image
        finally:
            pdf.close()


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans (covers Vietnamese); Pillow's own font if it is not installed."""
    try:
        return ImageFont.truetype(str(find_font()), size)
    except (FileNotFoundError, OSError):
        return ImageFont.load_default(size)


def _watermark(image: Image.Image, stamp: str) -> Image.Image:
    """Stamp the viewer and time across the page (faint, diagonal) and along the foot (legible).

    The diagonal copies survive cropping the footer off a screenshot.
    """
    width, height = image.size
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    tile = Image.new("RGBA", (width, max(60, width // 12)), (0, 0, 0, 0))
    ImageDraw.Draw(tile).text((10, 10), stamp, font=_font(max(18, width // 40)),
                              fill=(120, 120, 120, 70))
    tile = tile.rotate(30, expand=True)
    step = max(tile.height // 2, 200)
    for row, y in enumerate(range(0, height, step)):
        layer.alpha_composite(tile, ((row % 2) * width // 2, y))
    draw = ImageDraw.Draw(layer)
    font = _font(max(14, width // 60))
    box = draw.textbbox((0, 0), stamp, font=font)
    foot = height - (box[3] - box[1]) - 16
    draw.rectangle((0, foot - 8, width, height), fill=(255, 255, 255, 200))
    draw.text((12, foot), stamp, font=font, fill=(60, 60, 60, 255))
    return Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
