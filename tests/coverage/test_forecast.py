"""The coverage report forecasts when each target is reached at the pace of the last 30 days.

A holding became digitized when the first file of its work was stored; the
tests move ``File.created_at`` back in time in the real database to say
when that was. Dates are relative to today, as the report's are.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from helpers import login
from repo_app.db import standalone_session
from repo_app.models import File, Holding
from repo_app.services.coverage_forecast import forecast

TODAY = date(2026, 3, 1)
FAR = date(2027, 12, 31)


@pytest.mark.parametrize(("figures", "status", "expected"), [
    # 4 missing, 3 digitized in 30 days: ceil(4 × 30 / 3) = 40 days.
    ({"missing": 4, "digitized_in_window": 3, "due": FAR}, "on_track", date(2026, 4, 10)),
    ({"missing": 4, "digitized_in_window": 3, "due": date(2026, 4, 9)}, "late", date(2026, 4, 10)),
    ({"missing": 4, "digitized_in_window": 3, "due": date(2026, 4, 10)}, "on_track",
     date(2026, 4, 10)),
    ({"missing": 4, "digitized_in_window": 3, "due": date(2026, 2, 28)}, "overdue",
     date(2026, 4, 10)),
    ({"missing": 1, "digitized_in_window": 60, "due": FAR}, "on_track", date(2026, 3, 2)),
    ({"missing": 4, "digitized_in_window": 0, "due": FAR}, "stalled", None),
    ({"missing": 4, "digitized_in_window": 0, "due": date(2025, 12, 31)}, "stalled", None),
    ({"missing": 0, "digitized_in_window": 0, "due": date(2025, 12, 31)}, "reached", TODAY),
    ({"missing": 0, "digitized_in_window": 0, "due": FAR, "holdings": 0}, "no_holdings", None),
])
def test_the_forecast_of_one_target(figures, status, expected):
    result = forecast(**{"holdings": 10, **figures}, today=TODAY)
    assert (result.status, result.expected) == (status, expected)
    assert result.deadline_passed == (figures["due"] < TODAY)


def age_files(app, holding_ids: list[str], days: int) -> None:
    """Say the files of these holdings' works were stored ``days`` ago."""
    with standalone_session(app) as db:
        work_ids = db.scalars(select(Holding.work_id).where(Holding.holding_id.in_(holding_ids)))
        moment = datetime.now().astimezone() - timedelta(days=days)
        for file in db.scalars(select(File).where(File.work_id.in_(list(work_ids)))):
            file.created_at = moment
        db.commit()


@pytest.fixture
def register(app, load_holdings, deposit, reg):
    """10 endogenous holdings, 3 of them digitized today; the target 70% in a year (4 missing)."""
    app.config["COVERAGE_TARGETS"] = (
        f"endogenous:70:{(date.today() + timedelta(days=365)).isoformat()},"
        f"rare:100:{(date.today() - timedelta(days=1)).isoformat()}")
    load_holdings([reg.holding(n) for n in range(1, 11)] + [reg.holding(11, category="rare")])
    for n in (1, 2, 3):
        deposit(f"Tác phẩm H{n:02d}", holding_id=f"H{n:02d}")


def targets_json(client) -> dict[str, dict]:
    login(client, "librarian@test.vn")
    response = client.get("/reports/coverage.json")
    assert response.status_code == 200
    return {t["category"]: t for t in response.get_json()["targets"]}


def test_the_json_export_gives_each_target_a_forecast(client, accounts, register):
    targets = targets_json(client)
    endogenous = targets["endogenous"]
    assert {"category", "target_pct", "due"} <= set(endogenous)  # the keys it always had
    assert endogenous["forecast"] == {
        "status": "on_track", "missing": 4, "window_days": 30, "digitized_in_window": 3,
        "pace_per_day": 0.1, "expected": (date.today() + timedelta(days=40)).isoformat(),
        "deadline_passed": False,
    }
    rare = targets["rare"]["forecast"]
    assert (rare["status"], rare["expected"], rare["deadline_passed"]) == ("stalled", None, True)


def test_files_stored_before_the_window_do_not_count_toward_the_pace(app, client, accounts,
                                                                       register):
    age_files(app, ["H01"], days=45)
    forecast_ = targets_json(client)["endogenous"]["forecast"]
    assert forecast_["digitized_in_window"] == 2
    assert forecast_["expected"] == (date.today() + timedelta(days=60)).isoformat()


def test_with_nothing_digitized_in_30_days_the_target_is_not_reached(app, client, accounts,
                                                                      register):
    age_files(app, ["H01", "H02", "H03"], days=31)
    forecast_ = targets_json(client)["endogenous"]["forecast"]
    assert (forecast_["status"], forecast_["expected"], forecast_["pace_per_day"]) == (
        "stalled", None, 0.0)


def test_a_deadline_the_pace_misses_is_late(app, client, accounts, register):
    app.config["COVERAGE_TARGETS"] = (
        f"endogenous:70:{(date.today() + timedelta(days=10)).isoformat()}")
    assert targets_json(client)["endogenous"]["forecast"]["status"] == "late"


def test_the_command_line_json_has_the_forecast(runner, register):
    result = runner.invoke(args=["coverage", "--format", "json"])
    assert result.exit_code == 0, result.output
    targets = {t["category"]: t for t in json.loads(result.stdout)["targets"]}
    assert targets["endogenous"]["forecast"]["status"] == "on_track"
    assert targets["endogenous"]["forecast"]["expected"] == (
        date.today() + timedelta(days=40)).isoformat()


def test_the_command_line_table_names_the_forecast(runner, register):
    result = runner.invoke(args=["coverage"])
    expected = (date.today() + timedelta(days=40)).isoformat()
    assert (f"forecast on_track, reached {expected} (3 digitized in the last 30 days)"
            in result.stdout)


def test_the_report_page_says_when_the_target_is_reached_in_english(client, accounts, register):
    login(client, "librarian@test.vn")
    body = client.get("/reports/coverage?lang=en").get_data(as_text=True)
    expected = (date.today() + timedelta(days=40)).isoformat()
    assert ("3 holdings digitized in the last 30 days. At this pace the target is reached on "
            f"{expected}, before the deadline.") in body
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert (f"The deadline ({yesterday}) has passed and no holding was digitized in the last "
            "30 days: at this pace the target will not be reached.") in body


def test_the_report_page_gives_vietnamese_dates_in_vietnamese(client, accounts, register):
    login(client, "librarian@test.vn")
    body = client.get("/reports/coverage?lang=vi").get_data(as_text=True)
    expected = (date.today() + timedelta(days=40)).strftime("%d/%m/%Y")
    yesterday = (date.today() - timedelta(days=1)).strftime("%d/%m/%Y")
    assert ("3 tài liệu được số hóa trong 30 ngày qua. Với tốc độ này, chỉ tiêu sẽ đạt vào ngày "
            f"{expected}, trước hạn.") in body
    assert f"Hạn chót ({yesterday}) đã qua" in body
    assert "At this pace" not in body
