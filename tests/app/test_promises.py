"""What README promises and nothing else tested: the language switch, re-extraction, the hourly
embargo lift, security headers, a secret key that survives a restart, REPO_RESTRICTED_READERS."""

from __future__ import annotations

import stat
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from access.world import CAMPUS, OFF_CAMPUS, READING_ROOM, client_from, file_ids, make_app
from conftest import make_accounts
from flask import Flask
from sqlalchemy import select

from helpers import csrf_token, login
from repo_app import config, resources
from repo_app.db import standalone_session
from repo_app.models import AuditEvent, Work


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "evil.example",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_the_language_switch_never_sends_anyone_off_site(client, target):
    response = client.get("/lang/en", query_string={"next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//")
    assert "\\" not in location and urlsplit(location).netloc == ""


def test_the_language_switch_returns_to_the_page_and_remembers_the_choice(client):
    response = client.get("/lang/en", query_string={"next": "/search?q=luan+van"})
    assert response.headers["Location"] == "/search?q=luan+van"
    assert "lang=en" in response.headers["Set-Cookie"]
    assert "Search" in client.get("/").get_data(as_text=True)


def test_an_unknown_language_sets_nothing(client):
    response = client.get("/lang/xx", query_string={"next": "/"})
    assert "Set-Cookie" not in response.headers


def test_re_running_extraction_restores_lost_text(app, client, accounts, publish):
    work_id = publish("Luận văn trích xuất lại", text="Từ khoá hiếmxyz trong văn bản.")
    with app.app_context(), standalone_session(app) as db:
        sha = db.get(Work, work_id).files[0].sha256
        resources.store().text_path(sha).unlink()
    login(client, "librarian@test.vn")
    token = csrf_token(client, f"/works/{work_id}")
    response = client.post(f"/works/{work_id}/reextract", data={"csrf_token": token})
    assert response.status_code == 302
    with app.app_context(), standalone_session(app) as db:
        assert resources.store().has_text(sha)
        actions = db.scalars(select(AuditEvent.action).where(AuditEvent.work_id == work_id))
        assert "work.reextract" in set(actions)
    assert client.get("/api/v1/search?q=hiemxyz").get_json()["total"] == 1


def test_only_librarians_re_run_extraction(app, client, accounts, publish):
    work_id = publish("Luận văn")
    login(client, "depositor@test.vn")
    token = csrf_token(client, f"/works/{work_id}")
    assert client.post(f"/works/{work_id}/reextract",
                       data={"csrf_token": token}).status_code == 403


def test_a_web_process_lifts_ended_embargoes_once_its_interval_is_up(app, client, accounts,
                                                                     publish):
    work_id = publish("Luận văn hết hạn", "embargoed",
                      embargo_until=date.today() - timedelta(days=1), after="campus")
    client.get("/")  # the interval has not passed: nothing is written down yet
    with app.app_context(), standalone_session(app) as db:
        assert db.get(Work, work_id).access_level == "embargoed"
    app.extensions["repo_embargo_lift"]["next"] = 0  # as if an hour had gone by
    client.get("/")
    with app.app_context(), standalone_session(app) as db:
        assert db.get(Work, work_id).access_level == "campus"
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "embargo.lift"))
        assert event.work_id == work_id and event.actor_id is None


def test_an_interval_of_zero_leaves_lifting_to_the_command(tmp_path, monkeypatch):
    app = make_app(tmp_path / "data", monkeypatch, EMBARGO_LIFT_INTERVAL=0)
    assert "repo_embargo_lift" not in app.extensions
    monkeypatch.setenv("REPO_EMBARGO_LIFT_INTERVAL", "0")
    assert "repo_embargo_lift" not in make_app(tmp_path / "data2", monkeypatch).extensions


@pytest.mark.parametrize("path", ["/", "/search?q=x", "/login", "/api/v1/search?q=x", "/nowhere"])
def test_every_answer_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    policy = headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                      "frame-ancestors 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_pages_have_no_inline_script_or_style_the_policy_would_block(client):
    page = client.get("/").get_data(as_text=True)
    assert "<script>" not in page and " style=" not in page and "<style" not in page


def test_the_secret_key_survives_a_restart(tmp_path, monkeypatch):
    monkeypatch.delenv("REPO_SECRET_KEY", raising=False)
    first = make_app(tmp_path / "data", monkeypatch)
    second = make_app(tmp_path / "data", monkeypatch)
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 64
    key_file = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert make_app(tmp_path / "other", monkeypatch).config["SECRET_KEY"] != \
        first.config["SECRET_KEY"]


def test_a_login_survives_a_restart(tmp_path, monkeypatch):
    monkeypatch.delenv("REPO_SECRET_KEY", raising=False)
    before = make_app(tmp_path / "data", monkeypatch)
    make_accounts(before)
    client = before.test_client()
    login(client, "reader@test.vn")
    cookie = client.get_cookie("session", domain="repo.test")
    after = make_app(tmp_path / "data", monkeypatch).test_client()
    assert after.get("/my/requests").status_code == 302  # a stranger is sent to log in
    after.set_cookie("session", cookie.value, domain=cookie.domain)
    assert after.get("/my/requests").status_code == 200


def test_a_configured_secret_key_wins_and_writes_no_file(tmp_path):
    settings = config.from_environment({"REPO_DATA_DIR": str(tmp_path / "d"),
                                        "REPO_SECRET_KEY": "from-the-environment"})
    assert settings["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "d" / "secret_key").exists()


@pytest.mark.parametrize(("value", "expected"), [
    ("member,reading_room", {"member", "reading_room"}),
    ("reading_room", {"reading_room"}),
    (" member , campus ", {"member", "campus"}),
])
def test_restricted_readers_are_read_from_the_environment(tmp_path, value, expected):
    settings = config.from_environment({"REPO_DATA_DIR": str(tmp_path),
                                        "REPO_RESTRICTED_READERS": value})
    assert settings["RESTRICTED_READERS"] == expected


@pytest.fixture
def reading_room_only(tmp_path, monkeypatch) -> Flask:
    from access.world import deposit, write_pdf

    monkeypatch.setenv("REPO_RESTRICTED_READERS", "reading_room")
    app = make_app(tmp_path / "data", monkeypatch)
    accounts = make_accounts(app)
    pdf = write_pdf(tmp_path / "r.pdf", "Văn bản hạn chế phongdoc.")
    app.config["restricted_work"] = deposit(app, accounts, [pdf], "Luận văn hạn chế", "restricted")
    return app


@pytest.mark.parametrize(("address", "email", "may_read"), [
    (OFF_CAMPUS, "reader@test.vn", False),  # a login alone is no longer enough
    (CAMPUS, "reader@test.vn", False),
    (READING_ROOM, None, True),
    (OFF_CAMPUS, "librarian@test.vn", True),
])
def test_restricted_reading_follows_repo_restricted_readers(reading_room_only, address, email,
                                                            may_read):
    app = reading_room_only
    work_id = app.config["restricted_work"]
    file_id = file_ids(app, work_id)[0]
    visitor = client_from(app, address, email)
    page = visitor.get(f"/works/{work_id}/files/{file_id}/pages/1.png")
    assert page.status_code == (200 if may_read else 403)
    assert (visitor.get("/api/v1/search?q=phongdoc").get_json()["total"] == 1) == may_read
