"""One vocabulary for access levels and workflow states, in both languages.

A work awaiting review is open to no one, so it never wears the green "open
access" badge: its workflow state has a badge of its own and its level is shown
as planned. Browse and Review, embargoed and restricted, confidential and
state-secret are told apart in Vietnamese.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from conftest import actor_for
from flask import Flask

from helpers import login
from repo_app.db import standalone_session
from repo_app.services import files, works
from repo_app.vocab import ACCESS_LABELS, AccessLevel


def _submitted(app: Flask, accounts: dict[str, int], pdf: Path) -> int:
    """A work the depositor submitted and no librarian has published yet."""
    with app.test_request_context(), standalone_session(app) as db:
        with pdf.open("rb") as stream:
            staged = files.stage(stream, pdf.name)
        owner = actor_for(accounts["depositor"], "depositor")
        fields = works.WorkFields(title="Luận văn chờ duyệt", creators=["Lê Thị C"],
                                  type="master_thesis", year=2024)
        return works.create(db, owner, fields, [staged], submit=True).id


@pytest.mark.parametrize("who", ["depositor", "librarian"])
def test_a_work_awaiting_review_shows_its_state_and_no_open_access_badge(
        app, accounts, make_pdf, who):
    work_id = _submitted(app, accounts, make_pdf("Chờ duyệt"))
    client = app.test_client()
    login(client, f"{who}@test.vn")
    page = html.unescape(client.get(f"/works/{work_id}").get_data(as_text=True))
    assert "badge-open" not in page
    assert 'class="badge badge-status badge-status-submitted">Chờ duyệt<' in page
    assert "Dự kiến: Truy cập mở" in page


def test_a_published_work_wears_its_access_badge(app, accounts, publish):
    work_id = publish("Luận văn mở", "open")
    page = app.test_client().get(f"/works/{work_id}").get_data(as_text=True)
    assert 'class="badge badge-open">Truy cập mở<' in page
    assert "badge-status" not in page


def test_my_works_shows_a_submitted_work_as_planned(app, accounts, make_pdf):
    _submitted(app, accounts, make_pdf("Của tôi"))
    client = app.test_client()
    login(client, "depositor@test.vn")
    page = client.get("/my/works").get_data(as_text=True)
    assert "badge-open" not in page and "badge-planned" in page


def test_browse_and_review_have_distinct_vietnamese_names(app, accounts):
    client = app.test_client()
    login(client, "librarian@test.vn")
    page = client.get("/").get_data(as_text=True)
    assert ">Xem theo danh mục<" in page and ">Xét duyệt<" in page
    assert ">Duyệt<" not in page


def test_level_names_do_not_collide_in_vietnamese(app):
    with app.test_request_context("/?lang=vi"):
        names = {level: str(ACCESS_LABELS[level]) for level in AccessLevel}
    assert len(set(names.values())) == len(names)
    assert names[AccessLevel.CONFIDENTIAL] != "Mật", "Mật is the state-secret classification"
    assert "hạn chế" not in names[AccessLevel.EMBARGOED].lower()
    assert "cấm truy cập tạm thời" in names[AccessLevel.EMBARGOED].lower()


def test_the_embargo_badge_and_filter_use_one_term(app, accounts, publish):
    from datetime import date, timedelta

    ends = date.today() + timedelta(days=30)
    publish("Luận văn hoãn", "embargoed", embargo_until=ends)
    client = app.test_client()
    login(client, "librarian@test.vn")
    page = html.unescape(client.get("/search?q=").get_data(as_text=True))
    assert f"Cấm truy cập đến {ends:%d/%m/%Y}" in page
    assert "Tạm cấm" not in page and "Hạn chế đến" not in page
