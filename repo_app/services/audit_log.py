"""Librarians' access administration: the audit log (page and CSV) and bulk access changes.

A bulk change is many single changes: each work goes through
``works.set_access``, so each one is checked, audited with its own before
and after, and re-indexed exactly as if it had been changed alone.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from repo_app import access
from repo_app.access import Action, Actor
from repo_app.errors import UserError
from repo_app.models import AuditEvent, User, Work
from repo_app.services import document_ids, searching, works
from search.results import SearchRequest, SearchResults

CSV_COLUMNS = ("at", "actor", "action", "work_id", "before", "after", "reason")
PAGE_SIZE = 50
MAX_BULK = 2000
# Spreadsheet programs run a cell that starts with these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AuditFilter:
    """What the librarian narrowed the log to; empty fields do not filter."""

    work_id: int | None = None
    actor: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    work_id: int | None
    work_title: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str


@dataclass
class AuditPage:
    rows: list[AuditRow]
    total: int
    page: int
    pages: int
    actions: list[str] = field(default_factory=list)


def _filtered(query: Select, flt: AuditFilter) -> Select:
    if flt.work_id is not None:
        query = query.where(AuditEvent.work_id == flt.work_id)
    if flt.actor:
        pattern = f"%{flt.actor.strip()}%"
        who = select(User.id).where(or_(User.email.ilike(pattern), User.name.ilike(pattern)))
        query = query.where(AuditEvent.actor_id.in_(who))
    if flt.action:
        query = query.where(AuditEvent.action.startswith(flt.action.strip(), autoescape=True))
    if flt.date_from is not None:
        query = query.where(AuditEvent.at >= datetime.combine(flt.date_from, time(), UTC))
    if flt.date_to is not None:
        end = datetime.combine(flt.date_to + timedelta(days=1), time(), UTC)
        query = query.where(AuditEvent.at < end)
    return query


def _rows(db: Session, query: Select) -> Iterator[AuditRow]:
    users = aliased(User)
    query = query.add_columns(users.email, users.name, Work.title).outerjoin(
        users, AuditEvent.actor_id == users.id).outerjoin(Work, AuditEvent.work_id == Work.id)
    for event, email, name, title in db.execute(query):
        who = f"{name} <{email}>" if email else "system"
        yield AuditRow(event.at, who, event.action, event.work_id, title or "", event.before,
                       event.after, event.reason or "")


def events(db: Session, actor: Actor, flt: AuditFilter, page: int = 1) -> AuditPage:
    """One page of the log, newest first (librarians only, like everything here)."""
    access.require(actor, Action.CHANGE_ACCESS)
    base = _filtered(select(AuditEvent), flt)
    total = db.scalar(select(func.count()).select_from(base.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    query = base.order_by(AuditEvent.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    actions = list(db.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
    return AuditPage(list(_rows(db, query)), total, page, pages, actions)


def export_csv(db: Session, actor: Actor, flt: AuditFilter) -> Iterator[str]:
    """The filtered log as CSV (oldest first), streamed line by line."""
    access.require(actor, Action.CHANGE_ACCESS)
    query = _filtered(select(AuditEvent), flt).order_by(AuditEvent.id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(list(CSV_COLUMNS))
    for row in _rows(db, query.execution_options(yield_per=500)):
        yield line([row.at.isoformat(), _cell(row.actor), row.action,
                    "" if row.work_id is None else str(row.work_id),
                    _json(row.before), _json(row.after), _cell(row.reason)])


def _json(value: dict[str, Any] | None) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _cell(value: str) -> str:
    """Text a person typed, made inert for spreadsheets (a leading quote, as OWASP advises)."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


@dataclass(frozen=True)
class BulkPreview:
    """What the bulk page shows before a change: the works it would touch, or why none."""

    targets: list[int]
    results: SearchResults | None
    problem: UserError | None = None


def bulk_preview(db: Session, actor: Actor, request: SearchRequest) -> BulkPreview:
    """The works a bulk change would touch (librarians only); a search too wide says so."""
    access.require(actor, Action.CHANGE_ACCESS)
    if not (request.q.strip() or request.filters):
        return BulkPreview([], None)
    try:
        targets = bulk_targets(db, actor, request)
    except UserError as exc:
        return BulkPreview([], None, exc)
    return BulkPreview(targets, searching.search(db, actor, request) if targets else None)


@dataclass(frozen=True)
class BulkResult:
    changed: list[int]
    unchanged: list[int]


def bulk_targets(db: Session, actor: Actor, request: SearchRequest) -> list[int]:
    """The ids of every work the search finds for this librarian (all pages)."""
    access.require(actor, Action.CHANGE_ACCESS)
    if not request.q.strip() and not request.filters:
        raise UserError("bulk_needs_search",
                        "Narrow the works down with a search or a filter first.", field="q")
    ids: list[int] = []
    page = 1
    while True:
        results = searching.search(db, actor, replace(request, page=page, per_page=100))
        ids += [i for hit in results.hits if (i := document_ids.local_work_id(hit.id))]
        if len(ids) > MAX_BULK:
            raise UserError("bulk_too_large",
                            "The search finds more than %(max)s works; narrow it down.",
                            field="q", max=MAX_BULK)
        if page * results.per_page >= results.total or not results.hits:
            return ids
        page += 1


def bulk_set_access(db: Session, actor: Actor, request: SearchRequest,
                    settings: works.AccessSettings, expected: int) -> BulkResult:
    """Apply ``settings`` to every work the search finds, one audited change at a time.

    ``expected`` is the count the librarian saw and confirmed; if the search
    now finds a different number, nothing is changed and they look again.
    """
    access.require(actor, Action.CHANGE_ACCESS)
    if not settings.reason.strip():
        raise UserError("reason_required", "Give a reason for the change.", field="reason")
    works.validate_access(settings)
    ids = bulk_targets(db, actor, request)
    if len(ids) != expected:
        raise UserError("bulk_changed",
                        "The search now finds %(found)s works instead of %(expected)s. "
                        "Check the list again before applying.",
                        found=len(ids), expected=expected)
    changed, unchanged = [], []
    for work_id in ids:
        work = db.get(Work, work_id)
        if work is None:
            continue
        before = works.access_snapshot(work)
        works.set_access(db, actor, work, settings)
        (changed if works.access_snapshot(work) != before else unchanged).append(work_id)
    return BulkResult(changed, unchanged)
