"""Coverage figures on known registers: the numerators, the denominator and the gaps."""

from __future__ import annotations

from flask import Flask

from repo_app.access import Actor
from repo_app.db import standalone_session
from repo_app.models import Work
from repo_app.services import coverage, works
from repo_app.vocab import Role

ROW_KEYS = {"holdings", "digitized", "searchable", "online", "digitized_pct", "searchable_pct",
            "online_pct", "target_pct", "gap_works"}


def compute(app: Flask) -> dict:
    with app.test_request_context(), standalone_session(app) as db:
        return coverage.compute(db).as_json()


def targets_without_forecast(data: dict) -> list[dict]:
    """The targets as configured (each also carries a forecast: tests/coverage/test_forecast.py)."""
    return [{key: value for key, value in target.items() if key != "forecast"}
            for target in data["targets"]]


def test_known_register_gives_70_and_50_percent(app, known):
    overall = compute(app)["overall"]
    assert overall == {"holdings": 10, "digitized": 7, "searchable": 5, "online": 5,
                       "digitized_pct": 70.0, "searchable_pct": 50.0, "online_pct": 50.0,
                       "target_pct": 70.0, "gap_works": 0}


def test_gap_is_counted_per_faculty(reg, app, known):
    by_faculty = {row["faculty"]: row for row in compute(app)["by_faculty"]}
    assert by_faculty[reg.IT]["digitized"] == 6 and by_faculty[reg.IT]["gap_works"] == 0
    # 70% of 4 is 2.8, so 3 must be digitized; 1 is.
    assert by_faculty[reg.ECON]["digitized"] == 1 and by_faculty[reg.ECON]["gap_works"] == 2
    assert by_faculty[reg.ECON]["digitized_pct"] == 25.0


def test_every_breakdown_row_has_the_same_keys(app, known):
    data = compute(app)
    for name in ("faculty", "year", "type", "category"):
        for row in data[f"by_{name}"]:
            assert set(row) == ROW_KEYS | {name}, name


def test_failed_extractions_are_digitized_but_not_searchable_and_listed(app, known):
    listed = {item["holding_id"]: item for item in compute(app)["not_searchable"]}
    assert set(listed) == {"H06", "H07"}
    assert listed["H06"]["work_id"] == known["H06"]
    assert listed["H06"]["extraction"] == ["empty"]


def test_a_work_with_two_files_counts_once(reg, app, load_holdings, deposit):
    load_holdings([reg.holding(1), reg.holding(2)])
    deposit("Hai tệp", ("Chương một", "Chương hai"), holding_id="H01")
    overall = compute(app)["overall"]
    assert (overall["holdings"], overall["digitized"], overall["searchable"]) == (2, 1, 1)
    assert overall["digitized_pct"] == 50.0


def test_a_work_without_holding_is_a_born_digital_deposit(reg, app, load_holdings, deposit):
    load_holdings([reg.holding(1), reg.holding(2)])
    deposit("Có trong danh mục", holding_id="H01")
    deposit("Nộp trực tiếp, không có bản in")
    data = compute(app)
    assert data["born_digital_deposits"] == 1
    assert data["overall"]["holdings"] == 2
    assert data["overall"]["digitized"] == 1


def test_zero_holdings_gives_null_percentages_not_an_error(app):
    data = compute(app)
    assert data["overall"] == {"holdings": 0, "digitized": 0, "searchable": 0, "online": 0,
                               "digitized_pct": None, "searchable_pct": None, "online_pct": None,
                               "target_pct": None, "gap_works": 0}
    assert [row["category"] for row in data["by_category"]] == ["endogenous", "rare"]
    assert data["by_faculty"] == []


def test_rare_collections_have_their_own_100_percent_target(reg, app, load_holdings, deposit):
    load_holdings([reg.holding(1, category="rare"), reg.holding(2, category="rare"),
                   reg.holding(3)])
    deposit("Sách quý", holding_id="H01")
    data = compute(app)
    rare = next(row for row in data["by_category"] if row["category"] == "rare")
    assert (rare["target_pct"], rare["gap_works"]) == (100.0, 1)
    # Overall: rare needs 1 more, endogenous needs ceil(0.7) = 1 more; weighted target 90%.
    assert data["overall"]["gap_works"] == 2
    assert data["overall"]["target_pct"] == 90.0
    assert targets_without_forecast(data) == [
        {"category": "endogenous", "target_pct": 70.0, "due": "2025-12-31"},
        {"category": "rare", "target_pct": 100.0, "due": "2025-12-31"},
    ]


def test_targets_come_from_configuration(reg, app, load_holdings):
    app.config["COVERAGE_TARGETS"] = "endogenous:80:2026-06-30"
    load_holdings([reg.holding(n) for n in range(1, 11)])
    data = compute(app)
    assert targets_without_forecast(data) == [{"category": "endogenous", "target_pct": 80.0,
                                "due": "2026-06-30"}]
    assert data["overall"]["gap_works"] == 8


def test_a_withdrawn_work_stays_digitized_but_not_online(reg, app, load_holdings, deposit):
    load_holdings([reg.holding(1)])
    work_id = deposit("Sẽ bị rút", holding_id="H01")
    with app.test_request_context(), standalone_session(app) as db:
        works.withdraw(db, Actor(user_id=None, role=Role.LIBRARIAN), db.get(Work, work_id),
                       "bản sao lỗi")
    overall = compute(app)["overall"]
    assert (overall["digitized"], overall["searchable"], overall["online"]) == (1, 1, 0)
