"""The librarians' usage report: top works, per faculty, per month, and its CSV.

Figures are sums of ``UsageDaily`` over whole months (``Period``); each row
holds every metric's total and unique count. The report is for staff
(``VIEW_REPORTS``); the counts themselves never hold personal data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from repo_app.access import Action, Actor, require
from repo_app.errors import UserError
from repo_app.models import Collection, UsageDaily, Work
from repo_app.services.usage import METRICS
from repo_app.spreadsheet import csv_text

TOP_WORKS = 20
FIGURES = tuple(f"{kind}{metric}s" for metric in METRICS for kind in ("", "unique_"))
CSV_COLUMNS = ("period_start", "period_end", "breakdown", "group", "work_id", "title",
               "faculty", *FIGURES)


@dataclass(frozen=True)
class Period:
    """Whole months, from the first day of ``start``'s month to the last of ``end``'s."""

    start: date
    end: date

    @classmethod
    def months(cls, first: str, last: str, today: date) -> Period:
        """From ``YYYY-MM`` strings; blanks mean the twelve months up to ``today``'s."""
        end = _month(last, "end") if last else today.replace(day=1)
        start = _month(first, "start") if first else _add_months(end, -11)
        if start > end:
            raise UserError("bad_period", "The first month comes after the last.")
        return cls(start, _add_months(end, 1) - timedelta(days=1))

    def month_starts(self) -> list[date]:
        months, month = [], self.start
        while month <= self.end:
            months.append(month)
            month = _add_months(month, 1)
        return months


def _month(text: str, field_name: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise UserError("bad_month", "Month %(value)s is not written as YYYY-MM.",
                        field=field_name, value=text) from None


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class Row:
    """One group's figures: ``views``, ``unique_views``, ``downloads`` … ``unique_reads``."""

    group: object
    label: str = ""
    work_id: int | None = None
    faculty: str = ""
    figures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))

    def add(self, metric: str, total: int, uniques: int) -> None:
        self.figures[f"{metric}s"] += int(total or 0)
        self.figures[f"unique_{metric}s"] += int(uniques or 0)

    @property
    def weight(self) -> tuple[int, int]:
        """Top works are ordered by files used (downloads and reads), then page views."""
        return (self.figures["downloads"] + self.figures["reads"], self.figures["views"])


@dataclass(frozen=True)
class UsageReport:
    period: Period
    overall: Row
    months: list[Row]
    faculties: list[Row]
    works: list[Row]  # every work used in the period, most used first

    @property
    def top_works(self) -> list[Row]:
        return self.works[:TOP_WORKS]


def report(db: Session, actor: Actor, period: Period) -> UsageReport:
    require(actor, Action.VIEW_REPORTS)
    in_period = (UsageDaily.day >= period.start, UsageDaily.day <= period.end)
    sums = (func.sum(UsageDaily.total), func.sum(UsageDaily.uniques))
    overall = Row("all")
    months = {m: Row(m, m.strftime("%Y-%m")) for m in period.month_starts()}
    for day, metric, total, uniques in db.execute(
            select(UsageDaily.day, UsageDaily.metric, *sums).where(*in_period)
            .group_by(UsageDaily.day, UsageDaily.metric)):
        months[day.replace(day=1)].add(metric, total, uniques)
        overall.add(metric, total, uniques)
    works: dict[int, Row] = {}
    faculties: dict[str, Row] = {}
    for work_id, title, faculty, metric, total, uniques in db.execute(
            select(Work.id, Work.title, Collection.name, UsageDaily.metric, *sums)
            .join(Work, Work.id == UsageDaily.work_id)
            .outerjoin(Collection, Collection.id == Work.collection_id)
            .where(*in_period).group_by(Work.id, Work.title, Collection.name, UsageDaily.metric)):
        row = works.setdefault(work_id, Row(work_id, title, work_id, faculty or ""))
        row.add(metric, total, uniques)
        name = faculty or ""
        faculties.setdefault(name, Row(name, name, faculty=name)).add(metric, total, uniques)
    return UsageReport(period, overall, list(months.values()),
                       sorted(faculties.values(), key=lambda r: (r.label == "", r.label)),
                       sorted(works.values(), key=lambda r: (-r.weight[0], -r.weight[1],
                                                              r.work_id)))


def _csv_rows(rep: UsageReport) -> Iterable[list[object]]:
    head = [rep.period.start.isoformat(), rep.period.end.isoformat()]
    sections = [("overall", [rep.overall]), ("month", rep.months), ("faculty", rep.faculties),
                ("work", rep.works)]
    for breakdown, rows in sections:
        for row in rows:
            group = {"overall": "all", "work": row.work_id}.get(breakdown, row.label)
            yield [*head, breakdown, group, row.work_id or "",
                   row.label if breakdown == "work" else "", row.faculty,
                   *(row.figures[k] for k in FIGURES)]


def as_csv(rep: UsageReport) -> str:
    """Every table of the report in one CSV; ``breakdown`` and ``group`` name each row."""
    return csv_text(CSV_COLUMNS, _csv_rows(rep))
