"""Bulk access changes by a search's results, and the audit log page and CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

import pytest
from access.world import OFF_CAMPUS, client_from
from sqlalchemy import select

from repo_app.db import standalone_session
from repo_app.models import AuditEvent, Work

TOPIC = "thuyloi"


def _bulk_form(client, query: str) -> tuple[str, str, str]:
    page = client.get(f"/access/bulk?q={query}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)
    expected = re.search(r'name="expected"[^>]*value="([^"]*)"', body).group(1)
    return body, token, expected


def _levels(app, ids: list[int]) -> list[str]:
    with app.app_context(), standalone_session(app) as db:
        return [db.get(Work, i).access_level for i in ids]


@pytest.fixture
def three(publish) -> list[int]:
    ids = [publish(f"Công trình {TOPIC} số {n}", "open", text=f"Văn bản {n}.") for n in "abc"]
    publish("Một luận văn khác", "open", text="Văn bản khác.")
    return ids


def test_bulk_change_applies_to_every_hit_one_audited_change_each(app, accounts, three):
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    body, token, expected = _bulk_form(librarian, TOPIC)
    assert expected == "3"
    assert all(f'href="/works/{i}"' in body for i in three)
    response = librarian.post(f"/access/bulk?q={TOPIC}", data={
        "access_level": "campus", "access_after_embargo": "open", "reason": "Theo quyết định 12",
        "expected": expected, "csrf_token": token})
    assert response.status_code == 302
    assert _levels(app, three) == ["campus"] * 3
    with app.app_context(), standalone_session(app) as db:
        changes = db.scalars(select(AuditEvent).where(AuditEvent.action == "access.change")
                             .where(AuditEvent.reason == "Theo quyết định 12")).all()
        assert sorted(e.work_id for e in changes) == sorted(three)
        assert all(e.before["access_level"] == "open" and e.after["access_level"] == "campus"
                   for e in changes)
    guest = client_from(app, OFF_CAMPUS)
    assert guest.get(f"/api/v1/search?q={TOPIC}").get_json()["hits"][0]["access"] == "campus"


def test_bulk_change_refuses_when_the_results_changed(app, accounts, three, publish):
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    _, token, expected = _bulk_form(librarian, TOPIC)
    publish(f"Công trình {TOPIC} mới", "open", text="Văn bản mới.")
    response = librarian.post(f"/access/bulk?q={TOPIC}", data={
        "access_level": "restricted", "access_after_embargo": "open", "reason": "Lý do",
        "expected": expected, "csrf_token": token})
    assert response.status_code == 400
    assert _levels(app, three) == ["open"] * 3


def test_bulk_change_needs_a_search_and_a_reason(app, accounts, three):
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    _, token, expected = _bulk_form(librarian, TOPIC)
    no_reason = librarian.post(f"/access/bulk?q={TOPIC}", data={
        "access_level": "restricted", "access_after_embargo": "open", "reason": "",
        "expected": expected, "csrf_token": token})
    assert no_reason.status_code == 400
    everything = librarian.post("/access/bulk", data={
        "access_level": "restricted", "access_after_embargo": "open", "reason": "Lý do",
        "expected": "4", "csrf_token": token})
    assert everything.status_code == 400
    assert _levels(app, three) == ["open"] * 3


@pytest.mark.parametrize("email", [None, "reader@test.vn", "depositor@test.vn"])
def test_only_librarians_see_the_log_and_change_in_bulk(app, accounts, publish, email):
    publish(f"Công trình {TOPIC}", "open")
    client = client_from(app, OFF_CAMPUS, email)
    for path in ("/audit", "/audit.csv", f"/access/bulk?q={TOPIC}"):
        response = client.get(path)
        assert response.status_code == (302 if email is None else 403), path
        assert "Công trình" not in response.get_data(as_text=True)
        assert "work.published" not in response.get_data(as_text=True)


@pytest.mark.parametrize("email", ["librarian@test.vn", "admin@test.vn"])
def test_librarians_and_admins_see_the_log(app, accounts, publish, email):
    publish("Luận văn", "open")
    response = client_from(app, OFF_CAMPUS, email).get("/audit")
    assert response.status_code == 200
    assert 'data-action="work.published"' in response.get_data(as_text=True)


def test_log_filters_by_work_actor_action_and_date(app, accounts, three):
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    body = librarian.get(f"/audit?work={three[0]}&action=work.published").get_data(as_text=True)
    assert body.count('data-action="work.published"') == 1
    by_actor = librarian.get("/audit?actor=depositor@test").get_data(as_text=True)
    assert 'data-action="work.create"' in by_actor
    assert 'data-action="work.published"' not in by_actor
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    later = librarian.get(f"/audit?from={tomorrow}").get_data(as_text=True)
    assert 'data-action="work.published"' not in later


def test_csv_export_has_the_contract_columns_and_inert_cells(app, accounts, publish):
    work_id = publish("Luận văn", "open")
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      librarian.get(f"/works/{work_id}/access").get_data(as_text=True)).group(1)
    librarian.post(f"/works/{work_id}/access", data={
        "access_level": "restricted", "access_after_embargo": "open",
        "reason": "=HYPERLINK(\"http://evil\")", "csrf_token": token})
    response = librarian.get(f"/audit.csv?work={work_id}&action=access.change")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["at", "actor", "action", "work_id", "before", "after", "reason"]
    assert len(rows) == 2
    at, actor, action, work, before, after, reason = rows[1]
    assert (action, work) == ("access.change", str(work_id))
    assert "librarian@test.vn" in actor
    assert '"access_level": "open"' in before and '"access_level": "restricted"' in after
    assert reason == "'=HYPERLINK(\"http://evil\")"


def test_the_log_names_actions_and_shows_only_changed_fields_in_vietnam_time(app, accounts,
                                                                           publish):
    work_id = publish("Luận văn", "open")
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      librarian.get(f"/works/{work_id}/access").get_data(as_text=True)).group(1)
    librarian.post(f"/works/{work_id}/access", data={
        "access_level": "restricted", "access_after_embargo": "open", "reason": "Bản quyền",
        "csrf_token": token})
    page = librarian.get(f"/audit?work={work_id}&action=access.change").get_data(as_text=True)
    row = page.split('data-action="access.change">')[1].split("</tr>")[0]
    assert row.startswith("Đổi mức truy cập<")
    assert "Mức truy cập: Truy cập mở → Đọc hạn chế" in row
    assert "embargo" not in row and "None" not in row and "cấm truy cập" not in row
    assert "access.change" not in page.split("<table")[1].replace('data-action="access.change"', "")
    assert "Thời gian (giờ Việt Nam)" in page
    with app.app_context(), standalone_session(app) as db:
        at = db.scalar(select(AuditEvent.at).where(AuditEvent.action == "access.change"))
    vietnam = at.replace(tzinfo=at.tzinfo or UTC).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert f">{vietnam:%d/%m/%Y %H:%M}</time>" in page
    option = re.search(r'<option value="work.published"[^>]*>([^<]*)<', page)
    assert option and option.group(1) == "Công bố tài liệu"
