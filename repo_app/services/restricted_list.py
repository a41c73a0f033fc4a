"""The library's published list of restricted resources (Library Law 2019, Art. 7).

Every library must publish the list of the documents whose use it
restricts. Listed here: published works whose metadata anyone may see and
whose content is restricted today — ``onsite`` (read only in the reading
room, by permit), ``restricted`` (read online only, never downloaded) and
``embargoed`` (closed until a date). Confidential works are not listed:
their very existence is not public, and ``access.decide`` hides them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from repo_app import resources
from repo_app.access import ANONYMOUS, Action, decide, effective_level
from repo_app.models import Work
from repo_app.spreadsheet import safe_cell
from repo_app.vocab import AccessLevel, WorkStatus

LISTED_LEVELS = (AccessLevel.ONSITE, AccessLevel.RESTRICTED, AccessLevel.EMBARGOED)
CSV_COLUMNS = ("work_id", "identifier", "title", "creators", "year", "type", "faculty",
               "restriction", "until")


@dataclass(frozen=True)
class Entry:
    work_id: int
    identifier: str
    title: str
    creators: tuple[str, ...]
    year: int | None
    type: str
    faculty: str
    level: str
    until: date | None


def entries(db: Session, today: date | None = None) -> list[Entry]:
    """The restricted works anyone may know of, by level (on-site first), then title."""
    today = today or date.today()
    policy = resources.policy()
    query = select(Work).where(Work.status == WorkStatus.PUBLISHED,
                               Work.access_level.in_([str(level) for level in LISTED_LEVELS]))
    found = []
    for work in db.scalars(query.options(selectinload(Work.collection))):
        level = effective_level(work, today=today)
        if level not in LISTED_LEVELS:
            continue  # an embargo over today: no longer restricted
        if not decide(ANONYMOUS, Action.VIEW_METADATA, work, policy=policy, today=today):
            continue
        found.append(Entry(work.id, work.identifier or "", work.title, tuple(work.creators),
                           work.year, work.type, work.faculty_name, level,
                           work.embargo_until if level == AccessLevel.EMBARGOED else None))
    order = {level: i for i, level in enumerate(LISTED_LEVELS)}
    return sorted(found, key=lambda e: (order[e.level], e.title.casefold()))


def as_csv(rows: list[Entry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in rows:
        writer.writerow([safe_cell(v) for v in (
            e.work_id, e.identifier, e.title, "; ".join(e.creators), e.year or "", e.type,
            e.faculty, e.level, e.until.isoformat() if e.until else "")])
    return out.getvalue()
