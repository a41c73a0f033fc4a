"""Linking holdings to works: by holding id, or by an accent-insensitive suggestion."""

from __future__ import annotations

from sqlalchemy import select

from repo_app.db import standalone_session
from repo_app.models import Holding, Work
from repo_app.services import coverage, holdings


def stored(app, holding_id: str) -> Holding:
    with standalone_session(app) as db:
        return db.scalar(select(Holding).where(Holding.holding_id == holding_id))


def test_link_work_by_holding_id(app, load_holdings, deposit, reg):
    load_holdings([reg.holding(1)])
    work_id = deposit("Nhập theo lô, tên khác hẳn")
    with app.test_request_context(), standalone_session(app) as db:
        work = db.get(Work, work_id)
        assert holdings.link_work(db, " H01 ", work) is True
        assert holdings.link_work(db, "H99", work) is False
        db.commit()
    assert (stored(app, "H01").work_id, stored(app, "H01").link_status) == (work_id, "linked")


def test_matching_ignores_accents_case_punctuation_and_d_stroke():
    ours = holdings.match_key("Đánh giá: chất lượng nước!", ["Đỗ Thị Hoà"], 2018)
    theirs = holdings.match_key("DANH GIA CHAT LUONG NUOC", ["do thi hoa"], 2018)
    assert ours == theirs
    assert holdings.match_key("Đánh giá", ["Đỗ"], 2019) != holdings.match_key("Đánh giá", ["Đỗ"],
                                                                             2018)


def test_an_ambiguous_match_is_not_suggested(app, load_holdings, deposit, reg):
    deposit("Luận văn số 1")
    deposit("Luận Văn Số 1.")
    result = load_holdings([reg.holding(1)])
    assert result.suggested == 0
    assert stored(app, "H01").link_status == "none"


def test_one_work_is_suggested_to_one_holding_only(app, load_holdings, deposit, reg):
    deposit("Luận văn số 1")
    result = load_holdings([reg.holding(1), {**reg.holding(2), "title": "Luận văn số 1"}])
    assert result.suggested == 1
    assert sorted(stored(app, h).link_status for h in ("H01", "H02")) == ["none", "suggested"]


def test_a_suggestion_does_not_count_as_digitized_until_confirmed(app, load_holdings, deposit,
                                                                  reg):
    deposit("Luận văn số 1")
    load_holdings([reg.holding(1)])
    with app.test_request_context(), standalone_session(app) as db:
        data = coverage.compute(db).as_json()
    assert (data["overall"]["digitized"], data["born_digital_deposits"]) == (0, 1)
