"""When each coverage target is reached at the current pace.

The pace of a category is the number of its holdings that became digitized
in the last :data:`WINDOW_DAYS` days, as the report counts them: a holding
is digitized when its work has a stored file, so it became digitized when
the first of those files was stored (``File.created_at``). A holding
registered after its work was digitized adds nothing to the pace: the
register grew, no digitization happened.

At that pace the holdings still missing (``gap_works`` of the category)
take ``ceil(missing × window ÷ digitized in the window)`` days, counted
from the report's date. Integers throughout, so the same figures always
give the same day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from repo_app.models import File, Holding

WINDOW_DAYS = 30

# What a forecast can say, first match wins.
NO_HOLDINGS = "no_holdings"  # nothing to measure yet
REACHED = "reached"          # the target is met today
STALLED = "stalled"          # nothing digitized in the window: not reached at this pace
OVERDUE = "overdue"          # the deadline has passed and the target is not met
LATE = "late"                # reached at this pace, but after the deadline
ON_TRACK = "on_track"        # reached at this pace by the deadline
STATUSES = (NO_HOLDINGS, REACHED, STALLED, OVERDUE, LATE, ON_TRACK)


@dataclass(frozen=True)
class Forecast:
    status: str
    missing: int                 # holdings still to digitize (the category's gap_works)
    digitized_in_window: int     # holdings that became digitized in the last window_days
    window_days: int
    expected: date | None        # the day the target is reached at this pace; None if never
    deadline_passed: bool

    @property
    def pace_per_day(self) -> float:
        return round(self.digitized_in_window / self.window_days, 2)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "missing": self.missing,
            "window_days": self.window_days,
            "digitized_in_window": self.digitized_in_window,
            "pace_per_day": self.pace_per_day,
            "expected": self.expected.isoformat() if self.expected else None,
            "deadline_passed": self.deadline_passed,
        }


def forecast(*, holdings: int, missing: int, digitized_in_window: int, due: date,
             today: date, window_days: int = WINDOW_DAYS) -> Forecast:
    """The forecast for one target from its category's figures (pure)."""
    passed = today > due
    expected = None
    if holdings == 0:
        status = NO_HOLDINGS
    elif missing == 0:
        status, expected = REACHED, today
    elif digitized_in_window == 0:
        status = STALLED
    else:
        days = -(-missing * window_days // digitized_in_window)  # ceiling division
        expected = today + timedelta(days=days)
        status = OVERDUE if passed else LATE if expected > due else ON_TRACK
    return Forecast(status, missing, digitized_in_window, window_days, expected, passed)


def digitized_since(db: Session, since: date) -> dict[str, int]:
    """Per category, the holdings whose first stored file is dated after ``since``."""
    first_file = (select(Holding.category, func.min(File.created_at).label("first"))
                  .join(File, File.work_id == Holding.work_id)
                  .group_by(Holding.id, Holding.category)
                  .subquery())
    counts: dict[str, int] = defaultdict(int)
    for category, first in db.execute(select(first_file.c.category, first_file.c.first)):
        # created_at is UTC; a file stored in the window's first hours still counts by its day.
        if first is not None and first.date() > since:
            counts[category] += 1
    return counts


def forecasts(db: Session, targets: dict[str, Any], category_rows: list[dict[str, Any]],
              today: date) -> dict[str, Forecast]:
    """One forecast per target, from the report's per-category rows (``holdings``, ``gap_works``).

    ``targets`` maps a category to an object with a ``due`` date (``coverage.Target``).
    """
    recent = digitized_since(db, today - timedelta(days=WINDOW_DAYS))
    rows = {row["category"]: row for row in category_rows}
    result = {}
    for category, target in targets.items():
        row = rows.get(category, {"holdings": 0, "gap_works": 0})
        result[category] = forecast(holdings=row["holdings"], missing=row["gap_works"],
                                    digitized_in_window=recent.get(category, 0),
                                    due=target.due, today=today)
    return result
