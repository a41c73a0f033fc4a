"""Digitization coverage: how far the library is from each target, and where the gap is.

The holdings register is the denominator. A holding is *digitized* when its
linked work has at least one stored file, *searchable* when one of those
files had its text extracted (or OCR'd), and *online* when one of those files
can be read by someone outside the library staff — asked of
``access.decide`` with a logged-in reader who holds no grant, so the report
and the reader always agree. Works that no holding points to are counted
separately as born-digital deposits and stay out of the denominator.

Percentages of an empty group are ``None`` (JSON ``null``): "no holdings"
is not "0% digitized".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Any

from flask import current_app, has_request_context
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, selectinload

from repo_app import access, resources
from repo_app.access import Action, Actor, decide
from repo_app.errors import Forbidden, LoginRequired
from repo_app.models import CoverageSnapshot, File, Holding, Work
from repo_app.services.coverage_forecast import Forecast, forecasts
from repo_app.vocab import SEARCHABLE_EXTRACTION, Role, WorkStatus
from search.collation import sort_key

ALL = "all"
MEASURES = ("holdings", "digitized", "searchable", "online")
ROW_KEYS = (*MEASURES, "digitized_pct", "searchable_pct", "online_pct", "target_pct", "gap_works")
BREAKDOWNS = ("faculty", "year", "type", "category")
# Holdings on one page of the missing list: enough to scan by eye, short enough for a phone.
MISSING_PAGE_SIZE = 25

# "Someone outside the library staff": logged in (so campus and restricted-reading
# works count as online), no grant, and an id no depositor has.
OUTSIDE_READER = Actor(user_id=-1, role=Role.READER, name="coverage report")

def N_(message: str) -> str:
    """Mark a msgid for extraction; it is translated where it is shown (``definitions``)."""
    return message


DEFINITIONS = {  # English msgids; ``definitions()`` translates them for a web request
    "digitized": N_("A holding is digitized when its work in the repository has at least one "
                    "stored file."),
    "searchable": N_("A holding is full-text searchable when the text of at least one of its "
                     "files was extracted or recognised by OCR."),
    "online": N_("A holding is available online when at least one of its files can be read by "
                 "someone outside the library staff (not confidential, not under embargo)."),
    "born_digital_deposits": N_("Published works that no holding points to; counted "
                                "separately, not in the denominator."),
    "gap_works": N_("How many more holdings must be digitized to reach each category's target "
                    "(rounded up per category)."),
}


def definitions() -> dict[str, str]:
    """The definitions in the request's language; in English on the command line."""
    if has_request_context():
        return {term: gettext(text) for term, text in DEFINITIONS.items()}
    return dict(DEFINITIONS)


# Labels of the built-in categories; configured extra categories show their code.
CATEGORY_LABELS = {
    "endogenous": _l("Endogenous research works"),
    "rare": _l("Rare and special collections"),
}


@dataclass(frozen=True)
class Target:
    category: str
    target_pct: Decimal
    due: date

    def as_dict(self) -> dict[str, Any]:
        return {"category": self.category, "target_pct": float(self.target_pct),
                "due": self.due.isoformat()}


def _setting(name: str) -> str:
    """A coverage setting from the app config (``config.from_environment`` reads ``REPO_<NAME>``)."""
    return str(current_app.config[name])


def parse_targets(value: str) -> dict[str, Target]:
    """``"endogenous:70:2025-12-31,rare:100:2025-12-31"`` → category → target.

    A malformed entry stops the report with a clear message rather than
    silently reporting against no target.
    """
    targets = {}
    for part in filter(None, (p.strip() for p in value.split(","))):
        try:
            category, pct, due = (s.strip() for s in part.split(":"))
            targets[category] = Target(category, Decimal(pct), date.fromisoformat(due))
        except ValueError as exc:
            raise ValueError(f"REPO_COVERAGE_TARGETS: bad entry {part!r} "
                             "(expected category:percent:YYYY-MM-DD)") from exc
    return targets


def targets() -> dict[str, Target]:
    return parse_targets(_setting("COVERAGE_TARGETS"))


def categories() -> list[str]:
    """Holding categories: the configured list, then any category that has a target."""
    configured = [c.strip() for c in _setting("HOLDING_CATEGORIES").split(",")]
    names = [c for c in configured if c]
    return names + [c for c in targets() if c not in names]


def public_summary_enabled() -> bool:
    return _setting("PUBLIC_COVERAGE").strip().lower() in ("1", "true", "yes", "on")


@dataclass
class Tally:
    """Counts for one group, with per-category holdings and digitized counts for the targets."""

    holdings: int = 0
    digitized: int = 0
    searchable: int = 0
    online: int = 0
    per_category: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def add(self, state: HoldingState) -> None:
        self.holdings += 1
        self.digitized += state.digitized
        self.searchable += state.searchable
        self.online += state.online
        counts = self.per_category[state.holding.category]
        counts[0] += 1
        counts[1] += state.digitized

    def row(self, goals: dict[str, Target]) -> dict[str, Any]:
        """The figures every breakdown row carries (ROW_KEYS)."""
        target_pct, gap = self._target(goals)
        return {
            "holdings": self.holdings, "digitized": self.digitized,
            "searchable": self.searchable, "online": self.online,
            "digitized_pct": percent(self.digitized, self.holdings),
            "searchable_pct": percent(self.searchable, self.holdings),
            "online_pct": percent(self.online, self.holdings),
            "target_pct": target_pct, "gap_works": gap,
        }

    def _target(self, goals: dict[str, Target]) -> tuple[float | None, int]:
        """The holdings-weighted target of the group, and the works still to digitize.

        The gap is summed per category (each rounded up), so a category ahead
        of its target never hides one that is behind.
        """
        weighted, counted, gap = Decimal(0), 0, 0
        for category, (holdings, digitized) in self.per_category.items():
            goal = goals.get(category)
            if goal is None or holdings == 0:
                continue
            weighted += goal.target_pct * holdings
            counted += holdings
            needed = (goal.target_pct * holdings / 100).to_integral_value(ROUND_CEILING)
            gap += max(0, int(needed) - digitized)
        return (round(float(weighted / counted), 1) if counted else None), gap


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class HoldingState:
    holding: Holding
    digitized: bool
    searchable: bool
    online: bool

    @property
    def failed_statuses(self) -> list[str]:
        work = self.holding.work
        return sorted({f.extraction_status for f in work.files}) if work else []


@dataclass
class CoverageReport:
    date: date
    institution: str
    targets: dict[str, Target]
    overall: dict[str, Any]
    breakdowns: dict[str, list[dict[str, Any]]]
    born_digital_deposits: int
    not_searchable: list[HoldingState]
    # Per target category: when it is reached at the pace of the last 30 days.
    forecasts: dict[str, Forecast] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The export shape documented in docs/coverage.md."""
        return {
            "date": self.date.isoformat(),
            "institution": self.institution,
            "definitions": definitions(),
            "targets": [{**t.as_dict(), "forecast": self.forecasts[t.category].as_dict()}
                        if t.category in self.forecasts else t.as_dict()
                        for t in self.targets.values()],
            "overall": self.overall,
            **{f"by_{name}": rows for name, rows in self.breakdowns.items()},
            "born_digital_deposits": self.born_digital_deposits,
            "not_searchable": [
                {"holding_id": s.holding.holding_id, "work_id": s.holding.work_id,
                 "title": s.holding.title, "extraction": s.failed_statuses}
                for s in self.not_searchable
            ],
        }


def _state(holding: Holding, today: date) -> HoldingState:
    work = holding.work
    stored = list(work.files) if work is not None else []
    policy = resources.policy()
    return HoldingState(
        holding=holding,
        digitized=bool(stored),
        searchable=any(f.extraction_status in SEARCHABLE_EXTRACTION for f in stored),
        online=any(decide(OUTSIDE_READER, Action.READ_ONLINE, work, f, policy=policy,
                          today=today).allowed for f in stored),
    )


def holding_states(db: Session, today: date | None = None) -> list[HoldingState]:
    today = today or date.today()
    query = select(Holding).options(selectinload(Holding.work).selectinload(Work.files))
    return [_state(h, today) for h in db.scalars(query)]


def _group(states: Iterable[HoldingState], key: Callable[[Holding], Any]) -> dict[Any, Tally]:
    groups: dict[Any, Tally] = defaultdict(Tally)
    for state in states:
        groups[key(state.holding)].add(state)
    return groups


def _sort_key(name: str, order: list[str]) -> Callable[[Any], Any]:
    """Categories in the configured order, years in year order, and names (faculties) in
    Vietnamese alphabetical order: "Khoa Điện" after "Khoa Dược", not after "Khoa Y"."""
    if name == "category":
        return lambda v: (order.index(v) if v in order else len(order), v)
    if name == "year":
        return lambda v: (v is None, v or 0)
    return lambda v: sort_key(v or "")


def compute(db: Session, today: date | None = None) -> CoverageReport:
    """The figures as of now; pure reading (no access check, no snapshot)."""
    today = today or date.today()
    goals = targets()
    order = categories()
    states = holding_states(db, today)
    overall = Tally()
    for state in states:
        overall.add(state)
    breakdowns = {}
    for name in BREAKDOWNS:
        groups = _group(states, lambda h, name=name: getattr(h, name))
        if name == "category":
            for category in order:
                groups.setdefault(category, Tally())
        keys = sorted(groups, key=_sort_key(name, order))
        breakdowns[name] = [{name: k, **groups[k].row(goals)} for k in keys]
    return CoverageReport(
        date=today,
        institution=current_app.config["INSTITUTION_NAME"],
        targets=goals,
        overall=overall.row(goals),
        breakdowns=breakdowns,
        born_digital_deposits=born_digital_deposits(db),
        not_searchable=[s for s in states if s.digitized and not s.searchable],
        forecasts=forecasts(db, goals, breakdowns["category"], today),
    )


def born_digital_deposits(db: Session) -> int:
    linked = exists().where(Holding.work_id == Work.id)
    query = select(func.count(Work.id)).where(Work.status == WorkStatus.PUBLISHED, ~linked)
    return db.scalar(query) or 0


def record_snapshot(db: Session, report: CoverageReport) -> None:
    """Keep one snapshot a day per category (the day's latest figures); the caller commits."""
    rows = {ALL: report.overall}
    rows.update({row["category"]: row for row in report.breakdowns["category"]})
    existing = {s.category: s for s in db.scalars(
        select(CoverageSnapshot).where(CoverageSnapshot.taken_on == report.date))}
    for category, row in rows.items():
        snapshot = existing.get(category) or CoverageSnapshot(taken_on=report.date,
                                                              category=category)
        for measure in MEASURES:
            setattr(snapshot, measure, row[measure])
        db.add(snapshot)


def snapshot_now(db: Session) -> CoverageReport:
    """Compute and record today's snapshot (holdings import, ``repo-app coverage --snapshot``)."""
    report = compute(db)
    record_snapshot(db, report)
    db.commit()
    return report


def may_view(actor: Actor) -> bool:
    """Whether the actor sees the full report (the summary leaves out work lists)."""
    return decide(actor, Action.VIEW_REPORTS).allowed


def report(db: Session, actor: Actor) -> CoverageReport:
    """The full report for staff; reading it also records today's snapshot."""
    access.require(actor, Action.VIEW_REPORTS)
    return snapshot_now(db)


def public_summary(db: Session, actor: Actor) -> CoverageReport:
    """Overall and per-category figures for anyone, when the library chose to publish them.

    Staff get the full report instead; without the setting the summary is
    as closed as the report itself (a guest is asked to log in).
    """
    if may_view(actor):
        return report(db, actor)
    if not public_summary_enabled():
        raise LoginRequired() if actor.user_id is None else Forbidden("not public")
    return compute(db)


def history(db: Session, category: str = ALL) -> list[CoverageSnapshot]:
    query = select(CoverageSnapshot).where(CoverageSnapshot.category == category)
    return list(db.scalars(query.order_by(CoverageSnapshot.taken_on)))


@dataclass(frozen=True)
class MissingFilter:
    faculty: str = ""
    year: int | None = None
    type: str = ""
    category: str = ""


def _missing_query(wanted: MissingFilter) -> Select[tuple[Holding]]:
    """Holdings not yet digitized (no linked work, or a work with no stored file), filtered."""
    has_file = exists().where(File.work_id == Holding.work_id)
    query = select(Holding).where(~has_file)
    for name in ("faculty", "type", "category"):
        if getattr(wanted, name):
            query = query.where(getattr(Holding, name) == getattr(wanted, name))
    if wanted.year is not None:
        query = query.where(Holding.year == wanted.year)
    return query


_MISSING_ORDER = (Holding.faculty, Holding.year, Holding.holding_id)


def missing(db: Session, actor: Actor, wanted: MissingFilter) -> list[Holding]:
    """Every holding not yet digitized: the work list (CSV)."""
    access.require(actor, Action.VIEW_REPORTS)
    return list(db.scalars(_missing_query(wanted).order_by(*_MISSING_ORDER)))


@dataclass(frozen=True)
class MissingPage:
    """One page of the holdings not yet digitized, and how many there are in all."""

    holdings: list[Holding]
    total: int
    page: int
    pages: int


def missing_page(db: Session, actor: Actor, wanted: MissingFilter, page: int = 1) -> MissingPage:
    """A page of ``MISSING_PAGE_SIZE`` holdings not yet digitized: a register of thousands is
    a page a phone can hold, not one of 400,000 pixels (issue 15). Past the end: the last."""
    access.require(actor, Action.VIEW_REPORTS)
    query = _missing_query(wanted)
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // MISSING_PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.scalars(query.order_by(*_MISSING_ORDER)
                      .offset((page - 1) * MISSING_PAGE_SIZE).limit(MISSING_PAGE_SIZE))
    return MissingPage(list(rows), total, page, pages)


def filter_choices(db: Session) -> dict[str, list[Any]]:
    """The values each filter of the missing list can take, from the register, in the order
    of the report's breakdowns (faculties alphabetically, as a Vietnamese reader looks)."""
    order = categories()
    return {name: sorted((v for v in db.scalars(select(getattr(Holding, name)).distinct())
                          if v not in (None, "")), key=_sort_key(name, order))
            for name in BREAKDOWNS}
