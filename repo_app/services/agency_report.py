"""The managing agency's report: the plan's indicators for a quarter or a year, as of its end.

The figures are those of the period's last day, not today's, so a report
for 2026Q3 printed in December says what was true on 30 September:

- the holdings register counts holdings created by then;
- a holding is *digitized* / *searchable* when its work had a file stored by
  then (searchable: that file's text was extracted or recognised by then: the
  text job that gave the file its present text had finished);
- a work's status and access level on that day are read back from the
  audit log (every transition and access change is recorded with its before
  and after), so a work published in October, or opened in November, does
  not count; ``access.decide`` then judges the level as of that day;
- *online* and the restricted classes follow from those levels.

What is not kept historically, and so is read as it stands today (docs/coverage.md):
a holding's category and its link to a work, holdings and files deleted since,
and the access settings of the policy (``REPO_RESTRICTED_READERS``, …).

Views and downloads come from usage statistics, which the repository does
not collect yet: :func:`usage_totals` is the seam, and until it returns
figures the report shows them as absent (``None``), never as zero.

A *submitted* report is frozen: its XLSX bytes go to the file store under
their SHA-256 and a row records the period, the figures and the checksum,
so a later correction never changes what was sent.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from repo_app import access, resources
from repo_app.access import Action, Actor, decide, effective_level
from repo_app.errors import NotFound, UserError
from repo_app.models import AgencyReportSubmission, AuditEvent, File, Holding, Job, Work
from repo_app.models.jobs import DONE
from repo_app.models.types import utcnow
from repo_app.services import coverage
from repo_app.services.unit_of_work import UnitOfWork
from repo_app.vocab import SEARCHABLE_EXTRACTION, AccessLevel, WorkStatus

PERIOD = re.compile(r"(?P<year>\d{4})(Q(?P<quarter>[1-4]))?")
RESTRICTED_CLASSES = (AccessLevel.ONSITE, AccessLevel.RESTRICTED, AccessLevel.EMBARGOED,
                      AccessLevel.CONFIDENTIAL)
STATUS_EVENTS = "work."


@dataclass(frozen=True)
class Period:
    code: str
    start: date
    end: date

    @classmethod
    def parse(cls, code: str) -> Period:
        """``2026`` (a year) or ``2026Q3`` (a quarter); anything else is a clear 400."""
        match = PERIOD.fullmatch(code.strip().upper())
        if not match or not 2000 <= int(match["year"]) <= 2100:
            raise UserError("bad_period", "The period is a year (2026) or a quarter (2026Q3): "
                            "%(value)s", value=code[:20])
        year = int(match["year"])
        if match["quarter"] is None:
            return cls(str(year), date(year, 1, 1), date(year, 12, 31))
        quarter = int(match["quarter"])
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
        return cls(f"{year}Q{quarter}", start, end)


@dataclass(frozen=True)
class Usage:
    views: int
    downloads: int


def usage_totals(db: Session, start: date, end: date) -> Usage | None:
    """Views and downloads in the period, once usage statistics exist (None until then).

    The seam for the usage-statistics work: return ``Usage`` here and the
    report's columns fill in; nothing else changes.
    """
    return None


@dataclass
class Indicator:
    key: str
    value: int | None
    target_pct: float | None = None
    base: int | None = None  # the denominator of the percentage

    @property
    def pct(self) -> float | None:
        if self.value is None or not self.base:
            return None
        return round(100 * self.value / self.base, 1)


@dataclass
class AgencyReport:
    period: Period
    as_of: date
    provisional: bool
    institution: str
    indicators: list[Indicator] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period.code, "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(), "as_of": self.as_of.isoformat(),
            "provisional": self.provisional, "institution": self.institution,
            "indicators": [{**asdict(i), "pct": i.pct} for i in self.indicators],
        }

    def value(self, key: str) -> int | None:
        return next(i.value for i in self.indicators if i.key == key)


def require_reports(actor: Actor) -> None:
    access.require(actor, Action.VIEW_REPORTS)


def build(db: Session, actor: Actor, period: Period, today: date | None = None) -> AgencyReport:
    """The report for ``period`` as of its last day (or today, for a period not yet over)."""
    require_reports(actor)
    today = today or date.today()
    as_of = min(period.end, today)
    moment = datetime.combine(as_of, time.max, UTC)
    states = _work_states(db, moment)
    text_ready = _text_ready(db)
    report = AgencyReport(period, as_of, as_of < period.end,
                          current_app.config["INSTITUTION_NAME"])
    targets = coverage.targets()
    for category in ("endogenous", "rare"):
        report.indicators += _holding_indicators(db, category, moment, states, text_ready,
                                                 targets.get(category))
    report.indicators += _work_indicators(states, moment)
    usage = usage_totals(db, period.start, as_of)
    report.indicators += [Indicator("views", usage.views if usage else None),
                          Indicator("downloads", usage.downloads if usage else None)]
    return report


@dataclass
class _WorkState:
    """A work as it stood on the report's day: its status and access level then."""

    work: Work
    status: str
    access_level: str
    embargo_until: date | None
    access_after_embargo: str

    @property
    def id(self) -> int:
        return self.work.id

    @property
    def depositor_id(self) -> int | None:
        return self.work.depositor_id


def _work_states(db: Session, moment: datetime) -> dict[int, _WorkState]:
    """Every work that existed at ``moment``, with its status and access then (from the audit)."""
    events: dict[int, list[AuditEvent]] = defaultdict(list)
    query = select(AuditEvent).where(AuditEvent.work_id.is_not(None)).order_by(AuditEvent.id)
    for event in db.scalars(query):
        if event.action.startswith(STATUS_EVENTS) or event.action in ("access.change",
                                                                       "embargo.lift"):
            events[event.work_id].append(event)
    works = db.scalars(select(Work).where(Work.created_at <= moment).options(
        selectinload(Work.files)))
    return {w.id: _state_at(w, events.get(w.id, []), moment) for w in works}


def _state_at(work: Work, events: list[AuditEvent], moment: datetime) -> _WorkState:
    status = _status_at(work, [e for e in events if e.action.startswith(STATUS_EVENTS)], moment)
    access = _access_at(work, [e for e in events if not e.action.startswith(STATUS_EVENTS)],
                        moment)
    until = access.get("embargo_until")
    return _WorkState(work, status, access["access_level"],
                      date.fromisoformat(until) if until else None,
                      access.get("access_after_embargo") or AccessLevel.OPEN)


def _status_at(work: Work, events: list[AuditEvent], moment: datetime) -> str:
    changes = [e for e in events if e.after and "status" in e.after]
    before = [e for e in changes if e.at <= moment]
    if before:
        return before[-1].after["status"]
    return changes[0].before["status"] if changes and changes[0].before else work.status


def _access_at(work: Work, events: list[AuditEvent], moment: datetime) -> dict[str, Any]:
    current = {"access_level": work.access_level,
               "embargo_until": work.embargo_until.isoformat() if work.embargo_until else None,
               "access_after_embargo": work.access_after_embargo}
    before = [e for e in events if e.at <= moment and e.after]
    if before:
        return before[-1].after
    later = [e for e in events if e.at > moment and e.before]
    return later[0].before if later else current


def _text_ready(db: Session) -> dict[int, datetime]:
    """When each file got the text it has now: the last text job (extraction, or the end of
    its OCR) that finished. A file with none had its text made as it was stored."""
    query = (select(Job.file_id, Job.finished_at)
             .where(Job.kind.in_(("extract", "ocr_finish")), Job.state == DONE,
                    Job.file_id.is_not(None)))
    ready: dict[int, datetime] = {}
    for file_id, finished in db.execute(query):
        if finished is not None and (file_id not in ready or finished > ready[file_id]):
            ready[file_id] = finished
    return ready


def _searchable(file: File, moment: datetime, text_ready: dict[int, datetime]) -> bool:
    return (file.extraction_status in SEARCHABLE_EXTRACTION
            and text_ready.get(file.id, file.created_at) <= moment)


def _online(state: _WorkState, moment: datetime) -> bool:
    """Readable by someone outside the staff on that day (as ``coverage`` defines it)."""
    if state.status != WorkStatus.PUBLISHED:
        return False
    policy = resources.policy()
    stored = [f for f in state.work.files if f.created_at <= moment]
    return any(decide(coverage.OUTSIDE_READER, Action.READ_ONLINE, state, f, policy=policy,
                      today=moment.date()).allowed for f in stored)


def _holding_indicators(db: Session, category: str, moment: datetime,
                        states: dict[int, _WorkState], text_ready: dict[int, datetime],
                        target) -> list[Indicator]:
    holdings = list(db.scalars(select(Holding).where(Holding.category == category,
                                                     Holding.created_at <= moment)))
    digitized = searchable = online = 0
    for holding in holdings:
        state = states.get(holding.work_id) if holding.work_id else None
        stored = [f for f in state.work.files if f.created_at <= moment] if state else []
        digitized += bool(stored)
        searchable += any(_searchable(f, moment, text_ready) for f in stored)
        online += bool(stored) and _online(state, moment)
    goal = float(target.target_pct) if target is not None else None
    total = len(holdings)
    return [Indicator(f"{category}_held", total),
            Indicator(f"{category}_digitized", digitized, goal, total),
            Indicator(f"{category}_searchable", searchable, goal, total),
            Indicator(f"{category}_online", online, goal, total)]


def _work_indicators(states: dict[int, _WorkState], moment: datetime) -> list[Indicator]:
    published = [s for s in states.values() if s.status == WorkStatus.PUBLISHED]
    levels: dict[str, int] = defaultdict(int)
    for state in published:
        levels[effective_level(state, today=moment.date())] += 1
    return [Indicator("works_published", len(published)),
            Indicator("works_online", sum(_online(s, moment) for s in published)),
            *(Indicator(f"restricted_{level}", levels[level]) for level in RESTRICTED_CLASSES)]


# --- frozen submissions --------------------------------------------------------------------


def submit(db: Session, actor: Actor, report: AgencyReport, workbook: bytes
           ) -> AgencyReportSubmission:
    """Freeze what is sent: the workbook's bytes in the file store, the figures and checksum."""
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.VIEW_REPORTS)
        blob = resources.store().put_stream(io.BytesIO(workbook))
        row = AgencyReportSubmission(period=report.period.code, as_of=report.as_of,
                                     submitted_by_id=actor.user_id, sha256=blob.sha256,
                                     size=blob.size, figures=report.as_json(),
                                     submitted_at=utcnow())
        db.add(row)
        db.flush()
        uow.audit("agency_report.submit",
                  after={"period": row.period, "sha256": row.sha256, "submission": row.id})
    return row


def submissions(db: Session, actor: Actor) -> list[AgencyReportSubmission]:
    require_reports(actor)
    query = select(AgencyReportSubmission).order_by(AgencyReportSubmission.id.desc())
    return list(db.scalars(query))


def frozen_copy(db: Session, actor: Actor, submission_id: int) -> tuple[AgencyReportSubmission,
                                                                         bytes]:
    """The bytes that were sent, checked against their checksum on the way out."""
    require_reports(actor)
    row = db.get(AgencyReportSubmission, submission_id)
    if row is None:
        raise NotFound()
    store = resources.store()
    if store.verify(row.sha256) != "ok":
        raise UserError("frozen_copy_damaged", "The stored copy no longer matches its checksum.",
                        status=500)
    with store.open(row.sha256) as handle:
        return row, handle.read()
