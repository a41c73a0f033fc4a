"""The audit log for librarians: a filtered page, and the same as CSV."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from repo_app import access
from repo_app.access import Action, Actor
from repo_app.models import AuditEvent, User, Work
from repo_app.spreadsheet import csv_writer

CSV_COLUMNS = ("at", "actor", "action", "work_id", "before", "after", "reason")
PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    """What the librarian narrowed the log to; empty fields do not filter."""

    work_id: int | None = None
    actor: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class Change:
    """One field an event changed (or set, or cleared): ``None`` where it had no value."""

    field: str
    before: Any
    after: Any


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

    @property
    def changes(self) -> list[Change]:
        """Only what the event changed: an event records the whole access setting before and
        after, and a librarian reading the log wants the one field that moved."""
        before, after = self.before or {}, self.after or {}
        fields = dict.fromkeys([*before, *after])
        return [Change(name, before.get(name), after.get(name)) for name in fields
                if name not in before or name not in after or before[name] != after[name]]


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
    writer = csv_writer(buffer)

    def line(values: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(list(CSV_COLUMNS))
    for row in _rows(db, query.execution_options(yield_per=500)):
        yield line([row.at.isoformat(), row.actor, row.action,
                    "" if row.work_id is None else str(row.work_id),
                    _json(row.before), _json(row.after), row.reason])


def _json(value: dict[str, Any] | None) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
