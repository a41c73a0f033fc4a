"""The managing agency's report: the figures of the period's last day, an XLSX laid out for
submission (read back with openpyxl), and frozen copies that later corrections never change."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from helpers import login
from repo_app.db import standalone_session
from repo_app.models import AuditEvent, File, Holding, Job, Work


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def backdate(app, work_id: int, created: str, events: dict[str, str]) -> None:
    """Move a work, its files and its audit events into the past (action → day)."""
    with standalone_session(app) as db:
        db.execute(update(Work).where(Work.id == work_id).values(created_at=at(created)))
        db.execute(update(File).where(File.work_id == work_id).values(created_at=at(created)))
        files = select(File.id).where(File.work_id == work_id)  # their text was in that day
        db.execute(update(Job).where(Job.file_id.in_(files)).values(finished_at=at(created)))
        for action, day in events.items():
            db.execute(update(AuditEvent).where(AuditEvent.work_id == work_id,
                                                AuditEvent.action == action).values(at=at(day)))
        db.commit()


def holding(app, holding_id: str, created: str, work_id: int | None = None,
            category: str = "endogenous") -> None:
    with standalone_session(app) as db:
        db.add(Holding(holding_id=holding_id, title=f"Sách {holding_id}", creators=[], year=2020,
                       type="master_thesis", faculty="", format="print", category=category,
                       work_id=work_id, link_status="linked" if work_id else "none",
                       rejected_work_ids=[], created_at=at(created)))
        db.commit()


@pytest.fixture
def history(app, accounts, publish):
    """A: published in May, embargoed until 2030, opened on 15 October. B: published in
    November. Holdings: two by Q3 (one linked to A), a third in December."""
    a = publish("Luận văn A", "embargoed", embargo_until=date(2030, 1, 1))
    from repo_app.access import SYSTEM
    from repo_app.services import works

    with app.test_request_context(), standalone_session(app) as db:
        works.set_access(db, SYSTEM, db.get(Work, a), works.AccessSettings(
            level="open", reason="the author agreed"))
    backdate(app, a, "2025-05-01", {"work.create": "2025-05-01", "work.submitted": "2025-05-01",
                                    "work.published": "2025-05-02",
                                    "access.change": "2025-10-15"})
    with standalone_session(app) as db:  # the publish-time change (to embargoed) came first
        first = db.query(AuditEvent).filter_by(work_id=a, action="access.change").order_by(
            AuditEvent.id).first()
        first.at = at("2025-05-02")
        db.commit()
    b = publish("Luận văn B", "open")
    backdate(app, b, "2025-11-01", {"work.create": "2025-11-01", "work.submitted": "2025-11-01",
                                    "work.published": "2025-11-02",
                                    "access.change": "2025-11-02"})
    holding(app, "H1", "2025-01-10", a)
    holding(app, "H2", "2025-02-10")
    holding(app, "H3", "2025-12-10")
    holding(app, "R1", "2025-01-10", category="rare")
    return a, b


def report(runner, period: str) -> dict:
    result = runner.invoke(args=["report", "--period", period, "--format", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    return {i["indicator" if "indicator" in i else "key"]: i for i in body["indicators"]} | {
        "_": body}


def test_figures_are_those_of_the_periods_last_day(runner, history):
    q3 = report(runner, "2025Q3")
    assert q3["_"]["as_of"] == "2025-09-30" and not q3["_"]["provisional"]
    assert q3["works_published"]["value"] == 1
    assert q3["restricted_embargoed"]["value"] == 1
    assert q3["works_online"]["value"] == 0
    assert q3["endogenous_held"]["value"] == 2
    assert q3["endogenous_digitized"]["value"] == 1
    assert q3["endogenous_digitized"]["pct"] == 50.0
    assert q3["endogenous_digitized"]["target_pct"] == 70.0
    assert q3["endogenous_searchable"]["value"] == 1
    assert q3["endogenous_online"]["value"] == 0
    assert q3["rare_held"]["value"] == 1 and q3["rare_digitized"]["pct"] == 0.0
    year = report(runner, "2025")
    assert year["_"]["as_of"] == "2025-12-31"
    assert year["works_published"]["value"] == 2
    assert year["restricted_embargoed"]["value"] == 0
    assert year["works_online"]["value"] == 2
    assert year["endogenous_held"]["value"] == 3
    assert year["endogenous_online"]["value"] == 1


def test_a_file_is_searchable_from_the_day_its_text_was_in(app, runner, history):
    a, _ = history  # A's file was stored in May; its text job finishes on 20 October
    with standalone_session(app) as db:
        file_ids = select(File.id).where(File.work_id == a)
        assert db.scalar(select(Job.id).where(Job.file_id.in_(file_ids), Job.kind == "extract",
                                              Job.state == "done"))
        db.execute(update(Job).where(Job.file_id.in_(file_ids)).values(
            finished_at=at("2025-10-20")))
        db.commit()
    q3 = report(runner, "2025Q3")
    assert q3["endogenous_digitized"]["value"] == 1
    assert q3["endogenous_searchable"]["value"] == 0
    assert report(runner, "2025")["endogenous_searchable"]["value"] == 1


def test_views_and_downloads_are_absent_until_usage_is_collected(runner, history):
    q3 = report(runner, "2025Q3")
    assert q3["views"]["value"] is None and q3["downloads"]["value"] is None
    csv_text = runner.invoke(args=["report", "--period", "2025Q3", "--format", "csv"]).output
    assert "views,Views,,,,not collected yet (usage statistics)" in csv_text


@pytest.mark.parametrize("period", ["2025Q5", "Q3-2025", "25", "1999"])
def test_a_bad_period_is_refused_clearly(runner, period):
    result = runner.invoke(args=["report", "--period", period, "--format", "json"])
    assert result.exit_code == 1
    assert "2026Q3" in result.output and "Traceback" not in result.output


def test_the_workbook_is_laid_out_for_submission(runner, history, tmp_path):
    target = tmp_path / "q3.xlsx"
    result = runner.invoke(args=["report", "--period", "2025Q3", "--output", str(target)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(target).active
    assert sheet.title == "2025Q3"
    assert sheet["A1"].value == "TRƯỜNG ĐẠI HỌC MẪU"
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in cells if r[0] == "STT")
    assert header[:4] == ["STT", "Chỉ tiêu", "Đơn vị tính", "Số lượng"]
    by_label = {r[1]: r for r in cells if isinstance(r[0], int)}
    assert by_label["Tài liệu nội sinh đã số hóa"][3:6] == [1, 70, 50]
    assert by_label["Lượt xem"][3] is None
    assert any(r[1] == "Người lập biểu" for r in cells)


def test_a_submitted_report_is_frozen_with_its_checksum(app, runner, history, accounts):
    librarian = app.test_client()
    login(librarian, "librarian@test.vn")
    page = librarian.get("/reports/agency?period=2025Q3").get_data(as_text=True)
    from helpers import csrf_token

    token = csrf_token(librarian, "/reports/agency?period=2025Q3")
    assert librarian.post("/reports/agency/submit?period=2025Q3",
                          data={"csrf_token": token}).status_code == 303
    page = librarian.get("/reports/agency?period=2025Q3").get_data(as_text=True)
    frozen = librarian.get("/reports/agency/submitted/1.xlsx")
    assert frozen.status_code == 200
    digest = hashlib.sha256(frozen.data).hexdigest()
    assert digest in page and frozen.headers["Digest"] == f"sha-256={digest}"
    holding(app, "H4", "2025-03-01")  # a late correction to the register
    again = librarian.get("/reports/agency/submitted/1.xlsx")
    assert again.data == frozen.data
    fresh = load_workbook(io.BytesIO(librarian.get(
        "/reports/agency.xlsx?period=2025Q3").data)).active
    sent = load_workbook(io.BytesIO(frozen.data)).active
    held = [r for r in fresh.iter_rows(values_only=True) if r[1] == "Tài liệu nội sinh hiện có"]
    was = [r for r in sent.iter_rows(values_only=True) if r[1] == "Tài liệu nội sinh hiện có"]
    assert held[0][3] == 3 and was[0][3] == 2


def test_only_librarians_see_the_report(app, accounts):
    reader = app.test_client()
    login(reader, "reader@test.vn")
    assert reader.get("/reports/agency").status_code == 403
    assert reader.get("/reports/agency.xlsx?period=2025").status_code == 403
    assert app.test_client().get("/reports/agency").status_code == 302
