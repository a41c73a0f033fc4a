"""What counts as a use (COUNTER R5 rules) and what is kept of the visitor: over real HTTP."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from helpers import login
from repo_app.db import standalone_session
from repo_app.models import UsageDaily, UsageSalt, UsageSeen
from repo_app.services import usage

BROWSER = ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/131.0.0.0 Mobile Safari/537.36")
OTHER_BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1"


@pytest.fixture
def counting(app: Flask) -> Flask:
    """The app counting, and writing each hit at once so a test reads its counts next."""
    app.config.update(USAGE_STATISTICS=True, USAGE_FLUSH_SECONDS=0)
    return app


def browse(client: FlaskClient, url: str, agent: str = BROWSER, address: str = "203.0.113.7"):
    return client.get(url, headers={"User-Agent": agent},
                      environ_base={"REMOTE_ADDR": address})


def counts(app: Flask, work_id: int) -> dict[str, tuple[int, int]]:
    with standalone_session(app) as db:
        rows = db.scalars(select(UsageDaily).where(UsageDaily.work_id == work_id))
        return {r.metric: (r.total, r.uniques) for r in rows}


def test_a_view_a_download_and_a_read_are_counted(counting, client, publish):
    work_id = publish("Luận văn được đọc")
    page = browse(client, f"/works/{work_id}")
    file_id = int(page.get_data(as_text=True).split(f"/works/{work_id}/files/")[1].split('"')[0])
    assert browse(client, f"/works/{work_id}/files/{file_id}").status_code == 200
    assert browse(client, f"/works/{work_id}/read/{file_id}").status_code == 200
    assert counts(counting, work_id) == {"view": (1, 1), "download": (1, 1), "read": (1, 1)}


@pytest.mark.parametrize("agent", [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",  # the list's "bot", any case
    "python-requests/2.32.3",
    "curl/8.5.0",
    "",
])
def test_robots_and_machines_are_not_counted(counting, client, publish, agent):
    work_id = publish("Luận văn bị robot ghé")
    assert browse(client, f"/works/{work_id}", agent=agent).status_code == 200
    assert counts(counting, work_id) == {}


def test_a_double_click_within_30_seconds_counts_once(counting, client, publish):
    work_id = publish("Luận văn bấm hai lần")
    for _ in range(3):
        assert browse(client, f"/works/{work_id}").status_code == 200
    assert counts(counting, work_id) == {"view": (1, 1)}


@pytest.mark.parametrize("role", ["librarian", "admin"])
def test_library_staff_are_not_counted(counting, client, publish, role):
    work_id = publish("Luận văn thủ thư xem")
    login(client, f"{role}@test.vn")
    assert browse(client, f"/works/{work_id}").status_code == 200
    assert counts(counting, work_id) == {}


def test_a_logged_in_reader_is_counted_as_their_account(counting, client, publish):
    work_id = publish("Luận văn bạn đọc xem")
    login(client, "reader@test.vn")
    browse(client, f"/works/{work_id}", address="203.0.113.1")
    browse(client, f"/works/{work_id}", address="198.51.100.2")  # same account, another network
    assert counts(counting, work_id) == {"view": (1, 1)}


def test_refused_and_missing_answers_are_not_counted(counting, client, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    assert browse(client, f"/works/{work_id}/read").status_code in (302, 403)
    assert browse(client, f"/works/{work_id + 100}").status_code == 404
    assert counts(counting, work_id) == {}


def test_unique_and_total_are_counted_apart(counting, publish):
    work_id = publish("Luận văn xem nhiều lần")
    start = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
    day = date(2026, 12, 4)
    hits = [usage.Hit(day, work_id, usage.VIEW, "visitor-a", start),
            usage.Hit(day, work_id, usage.VIEW, "visitor-a", start + timedelta(seconds=20)),
            usage.Hit(day, work_id, usage.VIEW, "visitor-a", start + timedelta(seconds=61)),
            usage.Hit(day, work_id, usage.VIEW, "visitor-b", start + timedelta(seconds=5))]
    with standalone_session(counting) as db:
        usage.write(db, hits[:2], day)
        usage.write(db, hits[2:], day)  # a later flush, from another process as likely
    # a: 0 s counted, 20 s a double click, 61 s counted again (41 s after the last); b once.
    assert counts(counting, work_id) == {"view": (3, 2)}


def test_a_run_of_quick_repeats_counts_once(counting, publish):
    work_id = publish("Luận văn tải liên tục")
    start = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
    day = date(2026, 12, 4)
    hits = [usage.Hit(day, work_id, usage.DOWNLOAD, "v", start + timedelta(seconds=25 * i))
            for i in range(4)]
    with standalone_session(counting) as db:
        usage.write(db, hits, day)
    assert counts(counting, work_id) == {"download": (1, 1)}


def _every_stored_value(app: Flask) -> str:
    with standalone_session(app) as db:
        return " ".join(str(row) for table in ("usage_daily", "usage_seen", "usage_salts")
                        for row in db.execute(text(f"SELECT * FROM {table}")))


def test_no_address_browser_or_account_is_stored(counting, client, publish, accounts):
    work_id = publish("Luận văn riêng tư")
    browse(client, f"/works/{work_id}", address="203.0.113.77")
    login(client, "reader@test.vn")
    browse(client, f"/works/{work_id}", address="203.0.113.78")
    stored = _every_stored_value(counting)
    assert counts(counting, work_id) == {"view": (2, 2)}
    for secret in ("203.0.113.77", "203.0.113.78", "Android", "Mozilla", "reader@test.vn",
                   f"user:{accounts['reader']}"):
        assert secret not in stored


def test_the_days_hashes_and_salt_are_gone_once_the_day_is_over(counting, client, publish):
    work_id = publish("Luận văn hôm qua")
    browse(client, f"/works/{work_id}")
    with standalone_session(counting) as db:
        assert db.scalar(select(UsageSeen.visitor)) is not None
        usage.write(db, [], date.today() + timedelta(days=2))
        assert db.scalars(select(UsageSeen)).all() == []
        assert db.scalars(select(UsageSalt)).all() == []
    assert counts(counting, work_id) == {"view": (1, 1)}  # the day's counts stay


def test_buffered_hits_reach_the_database_when_flushed(app, client, publish):
    app.config.update(USAGE_STATISTICS=True, USAGE_FLUSH_SECONDS=3600)  # the request writes none
    work_id = publish("Luận văn trong bộ đệm")
    browse(client, f"/works/{work_id}")
    browse(client, f"/works/{work_id}", agent=OTHER_BROWSER)
    assert counts(app, work_id) == {}
    usage.recorder(app).flush()
    assert counts(app, work_id) == {"view": (2, 2)}


def test_the_timer_writes_the_buffer_without_another_request(app, client, publish):
    app.config.update(USAGE_STATISTICS=True, USAGE_FLUSH_SECONDS=0.2)
    work_id = publish("Luận văn chờ hẹn giờ")
    browse(client, f"/works/{work_id}")
    deadline = time.monotonic() + 10
    while counts(app, work_id) == {} and time.monotonic() < deadline:
        time.sleep(0.1)
    assert counts(app, work_id) == {"view": (1, 1)}


def test_a_site_may_keep_no_statistics(app, client, publish):
    app.config.update(USAGE_STATISTICS=False, USAGE_FLUSH_SECONDS=0)
    work_id = publish("Luận văn không thống kê")
    browse(client, f"/works/{work_id}")
    assert counts(app, work_id) == {}
