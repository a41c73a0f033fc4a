"""The restricted reader: one page at a time, rendered on the server as a watermarked PNG.

Restricted reading means "read, don't take away": the browser only ever
receives page images, never the PDF or its text. It is a deterrent made as
strong as we can make it (docs/reader.md), not a lock:

- **Pages are drawn by a limited worker process** (``ingest.page_images``:
  memory, time and image pixels), once per page and width, and kept in the
  page cache; a page that cannot be drawn within the limits is refused with a
  message (and the refusal is remembered). The web process never parses a PDF.
- **Every image carries the reader**: name (or address), time in Vietnam's
  time zone and a per-request code, as a mid-tone tiled watermark that
  survives thresholding and cropping (``ingest.watermark``); the code is kept
  with the page view, so a leaked image names its request.
- **A budget**: pages per minute for everyone but staff (counted in
  ``reader_page_views``, so it holds across server processes), and, for a
  reader who may not download the work, distinct pages per work per
  Vietnamese day; reaching it is audited and the librarians are told.
  Staff pages are still logged with their mark: a leaked image names them too.
- **Reading size, not scanning size**: pages are about 1,000 pixels wide
  (about 120 dpi for A4), enough to read on a screen, too coarse for clean OCR.
  Zoom offers a few sizes only (``ZOOM_FACTORS``), the largest 1.5 times that.
- **Text only to those who may take the file**: a page's text is shown beside
  its image (for screen readers) only when the reader may download the file.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ingest import page_images
from ingest.fonts import find_font
from ingest.normalize import PAGE_BREAK
from ingest.page_cache import Refusal
from repo_app import resources
from repo_app.access import STAFF_ROLES, Action, Actor, decide
from repo_app.errors import Forbidden, NotFound, UserError
from repo_app.models import AuditEvent, File, ReaderPageView, User, Work
from repo_app.models.types import utcnow
from repo_app.services import files, mail, works
from repo_app.services.unit_of_work import UnitOfWork

# Vietnam has one time zone and no daylight saving: the watermark shows the reader's clock,
# and a reading day starts at midnight there.
KEEP_PAGE_VIEWS = timedelta(days=2)
MARK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
DAILY_LIMIT_EVENT = "reader.daily_limit"
# Zoom levels: 1 fits the screen, 2 shows the reading size unscaled (a phone scrolls across
# it), 3 draws it half as large again. Few sizes keep the page cache small and the largest
# still too coarse for clean OCR.
ZOOM_FACTORS = {1: 1.0, 2: 1.0, 3: 1.5}


@dataclass(frozen=True)
class Viewer:
    """Who is reading, for the watermark and the budgets: an account, or a guest's address."""

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


def pages_per_day() -> int:
    """``REPO_READER_PAGES_PER_DAY``: distinct pages of one work a metered reader sees a day."""
    return int(current_app.config["READER_PAGES_PER_DAY"])


def page_width(zoom: int = 1) -> int:
    """The drawn width of a page at a zoom level (``READER_PAGE_WIDTH`` times its factor)."""
    return round(int(current_app.config["READER_PAGE_WIDTH"]) * ZOOM_FACTORS[zoom])


def zoom_level(value: str | None) -> int:
    """A zoom level from a query string; anything but a known level is 1 (fit the screen)."""
    try:
        level = int(value or 1)
    except ValueError:
        return 1
    return level if level in ZOOM_FACTORS else 1


def is_budgeted(actor: Actor) -> bool:
    """Whether the pages-per-minute budget applies: not to librarians and administrators,
    who read whole works while reviewing and cataloguing them."""
    return not actor.is_staff


def page_text(readable: ReadableFile, actor: Actor, page: int) -> str | None:
    """The text of ``page`` for those who may download the file (who could take it anyway);
    None for restricted reading, whose point is that no text leaves the server."""
    if is_metered(actor, readable):
        return None
    pages = resources.store().get_text(readable.file.sha256).split(PAGE_BREAK)
    return pages[page - 1].strip() if page <= len(pages) else ""


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
        raise Forbidden("nothing readable", work_id=work.id)
    return readable[0]


def open_for_reading(db: Session, actor: Actor, work_id: int, file_id: int) -> ReadableFile:
    """A file of that work the actor may read online (404 if hidden or another work's; else 403)."""
    work, file = files.file_of_work(db, actor, work_id, file_id, Action.READ_ONLINE)
    return ReadableFile(work, file, file.pages or _count_pages(file))


def render_page(db: Session, actor: Actor, viewer: Viewer, work_id: int, file_id: int,
                page: int, zoom: int = 1) -> bytes:
    """The PNG of one page at a zoom level, watermarked for ``viewer``; counted against
    their budgets."""
    readable = open_for_reading(db, actor, work_id, file_id)
    if not 1 <= page <= readable.pages:
        raise NotFound()
    mark = "".join(secrets.choice(MARK_ALPHABET) for _ in range(6))
    _spend_page(db, actor, viewer, readable, page, mark)
    clean = _clean_page(readable.file, page, page_width(zoom))
    now = utcnow().astimezone(_local_zone())
    return _watermarked_png(clean, f"{viewer.label} · {now:%Y-%m-%d %H:%M} {now:%Z} · #{mark}")


def _watermarked_png(clean: Path, stamp: str) -> bytes:
    """The page image ``clean`` with ``stamp`` tiled over it, as PNG.

    Pillow and numpy load here, with the first page drawn, not with the app:
    most processes never draw one.
    """
    from PIL import Image

    from ingest.watermark import stamp_page

    with Image.open(clean) as image:
        marked = stamp_page(image, stamp, font_path=_font_path())
    buffer = io.BytesIO()
    marked.save(buffer, format="PNG")
    return buffer.getvalue()


def pages_left(db: Session, viewer: Viewer) -> int:
    """How many more pages the viewer may see this minute (the reader page warns at 0)."""
    recent = db.scalar(select(func.count()).select_from(ReaderPageView).where(
        ReaderPageView.viewer == viewer.key,
        ReaderPageView.at > utcnow() - timedelta(minutes=1)))
    return max(0, pages_per_minute() - (recent or 0))


def budget_left(db: Session, actor: Actor, viewer: Viewer, readable: ReadableFile,
                page: int) -> UserError | None:
    """Why the viewer may not see ``page`` now (a budget spent), or None: for the reader page,
    which says so instead of showing a broken image."""
    if is_budgeted(actor) and pages_left(db, viewer) <= 0:
        return rate_limited()
    if is_metered(actor, readable) and _over_daily_budget(db, viewer, readable, page, utcnow()):
        return daily_limit_reached()
    return None


def rate_limited() -> UserError:
    limit = pages_per_minute()
    return UserError("reader_rate_limited",
                     "You have read %(limit)s pages in the last minute. "
                     "Please wait a minute before turning the page.",
                     status=429, limit=limit)


def daily_limit_reached() -> UserError:
    return UserError("reader_daily_limit",
                     "You have read %(limit)s pages of this work today, the most one reader may "
                     "read online in a day. Reading resumes tomorrow; the library can also help "
                     "you ask for a copy.", status=429, limit=pages_per_day())


def is_metered(actor: Actor, readable: ReadableFile) -> bool:
    """Whether the daily budget applies: only to readers who may not download the file."""
    return not decide(actor, Action.DOWNLOAD, readable.work, readable.file,
                      policy=resources.policy())


def _spend_page(db: Session, actor: Actor, viewer: Viewer, readable: ReadableFile, page: int,
                mark: str) -> None:
    """Refuse (429) a viewer past a budget; otherwise log the page view with its mark."""
    now = utcnow()
    db.execute(delete(ReaderPageView).where(ReaderPageView.at < now - KEEP_PAGE_VIEWS))
    db.commit()
    if is_budgeted(actor) and pages_left(db, viewer) <= 0:
        raise rate_limited()
    if is_metered(actor, readable) and _over_daily_budget(db, viewer, readable, page, now):
        _tell_librarians_once(db, actor, viewer, readable.work, now)
        raise daily_limit_reached()
    db.add(ReaderPageView(viewer=viewer.key, file_id=readable.file.id, page=page, at=now,
                          mark=mark))
    db.commit()


def _local_zone() -> ZoneInfo:
    """The site's time zone (``REPO_TIMEZONE``): the watermark's clock and the reading day."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _day_start(now: datetime) -> datetime:
    local = now.astimezone(_local_zone())
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(now.tzinfo)


def _over_daily_budget(db: Session, viewer: Viewer, readable: ReadableFile, page: int,
                       now: datetime) -> bool:
    """Whether one more page (one not seen today) would pass the day's budget for this work."""
    file_ids = [f.id for f in readable.work.files]
    today = (ReaderPageView.viewer == viewer.key, ReaderPageView.file_id.in_(file_ids),
             ReaderPageView.at >= _day_start(now))
    seen = db.scalar(select(func.count()).select_from(ReaderPageView).where(
        *today, ReaderPageView.file_id == readable.file.id, ReaderPageView.page == page))
    if seen:
        return False  # turning back to a page already read today costs nothing
    distinct_pages = db.scalar(select(func.count()).select_from(
        select(ReaderPageView.file_id, ReaderPageView.page).where(*today).distinct().subquery()))
    return distinct_pages >= pages_per_day()


def _tell_librarians_once(db: Session, actor: Actor, viewer: Viewer, work: Work,
                          now: datetime) -> None:
    """The first time a viewer reaches a work's daily budget: an audit event and a message."""
    earlier = db.scalars(select(AuditEvent.after).where(
        AuditEvent.action == DAILY_LIMIT_EVENT, AuditEvent.work_id == work.id,
        AuditEvent.at >= _day_start(now)))
    if any((after or {}).get("viewer") == viewer.key for after in earlier):
        return
    with UnitOfWork(db, actor) as uow:
        uow.audit(DAILY_LIMIT_EVENT, work, after={"viewer": viewer.key, "label": viewer.label,
                                                  "pages": pages_per_day()})
        staff = db.scalars(select(User).where(User.role.in_([str(r) for r in STAFF_ROLES]),
                                              User.active))
        for librarian in staff:
            mail.queue(db, librarian, _l("Bulk reading of “%(title)s”", title=work.title),
                       _l("%(reader)s has read %(pages)s pages of “%(title)s” online today, "
                          "the daily limit.", reader=viewer.label, pages=pages_per_day(),
                          title=work.title))
        uow.on_commit(lambda: mail.deliver_quietly(db))


def render_limits(width_px: int) -> page_images.RenderLimits:
    """What one page render may use (the reader's settings), at ``width_px`` pixels wide."""
    config = current_app.config
    return page_images.RenderLimits(
        width_px=width_px, memory_mb=int(config["READER_RENDER_MEMORY_MB"]),
        timeout=float(config["READER_RENDER_TIMEOUT"]),
        max_image_pixels=int(config["READER_MAX_IMAGE_MEGAPIXELS"]) * 1_000_000)


def _served_sha(file: File) -> str:
    return file.served_sha256


def _count_pages(file: File) -> int:
    cache = resources.page_cache()
    sha = _served_sha(file)
    pages = cache.page_count(sha)
    if pages is None:
        result = render_in_slot(sha, 0, cache.folder(sha) / "count.png", page_width())
        if not result.ok:
            raise _refused(Refusal(result.status, result.message))
        pages = result.pages or 0
        cache.remember_page_count(sha, pages)
    return pages


def _clean_page(file: File, page: int, width: int) -> Path:
    """The page drawn ``width`` pixels wide without a watermark: from the cache, or rendered
    now and kept."""
    cache = resources.page_cache()
    sha = _served_sha(file)
    cached = cache.get(sha, width, page)
    if isinstance(cached, Path):
        return cached
    if isinstance(cached, Refusal):
        raise _refused(cached)
    target = cache.image(sha, width, page)
    result = render_in_slot(sha, page, target, width)
    if not result.ok:
        refusal = Refusal(result.status, result.message)
        cache.refuse(sha, width, page, refusal)
        raise _refused(refusal)
    return target


def render_in_slot(sha256: str, page: int, target: Path, width_px: int) -> page_images.Rendered:
    """One render of a stored PDF's page in a limited worker process, when this process has a
    free slot for it (503 when none frees up in time)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    limits = render_limits(width_px)
    slots = resources.render_slots()
    if not slots.acquire(timeout=limits.timeout):
        raise UserError("reader_busy", "The reader is busy; please try again in a moment.",
                        status=503)
    try:
        return page_images.render(resources.store().path(sha256), page, target, limits)
    finally:
        slots.release()


# What a reader is told when a page cannot be drawn (the worker's status → a msgid).
REFUSALS = {
    page_images.TOO_LARGE: "This page cannot be drawn within the reader's limits (%(limit)s of "
                           "memory, %(pixels)s million image pixels), so it cannot be shown.",
    page_images.TIMEOUT: "This page takes longer than %(seconds)s seconds to draw, so it cannot "
                         "be shown.",
    page_images.UNREADABLE: "This file cannot be shown in the reader (it is damaged or "
                            "protected).",
}


def _refused(refusal: Refusal) -> UserError:
    """The refusal as the reader's error (422), in their language; a missing page is a 404."""
    if refusal.status not in REFUSALS:
        return NotFound()
    limits = render_limits(page_width())
    return UserError(f"reader_{refusal.status}", REFUSALS[refusal.status], status=422,
                     limit=f"{limits.memory_mb} MB", seconds=int(limits.timeout),
                     pixels=limits.max_image_pixels // 1_000_000)


def _font_path() -> Path | None:
    try:
        return find_font()
    except FileNotFoundError:
        return None

