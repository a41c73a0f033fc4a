"""Which works crawlers are told about: those an anonymous visitor may see, nothing else.

A sitemap page holds at most 50,000 URLs (the protocol's limit); the index
lists the pages. The page size is configurable (``SITEMAP_PAGE_SIZE``) so
tests can exercise several pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_app.errors import NotFound
from repo_app.models import Work
from repo_app.services.public_works import ACCESS_COLUMNS, visible_to_anyone
from repo_app.vocab import WorkStatus

MAX_URLS = 50_000


@dataclass(frozen=True)
class Entry:
    work_id: int
    lastmod: datetime


def page_size() -> int:
    return min(int(current_app.config["SITEMAP_PAGE_SIZE"]), MAX_URLS)


def public_entries(db: Session) -> list[Entry]:
    stmt = select(*ACCESS_COLUMNS, Work.datestamp).where(
        Work.status == WorkStatus.PUBLISHED).order_by(Work.id)
    return [Entry(r.id, r.datestamp) for r in db.execute(stmt) if visible_to_anyone(r)]


def page_count(db: Session) -> int:
    """How many sitemap pages there are (at least one, possibly empty)."""
    return _pages(len(public_entries(db)))


def _pages(entries: int) -> int:
    return max(1, -(-entries // page_size()))


def page(db: Session, number: int) -> list[Entry]:
    """Entries of page ``number`` (1-based); a page past the end is a 404."""
    entries = public_entries(db)  # one query, not one to count and another to slice
    if number < 1 or number > _pages(len(entries)):
        raise NotFound()
    size = page_size()
    return entries[(number - 1) * size:number * size]
