"""Administrators create accounts, disable them and change roles (audited); anyone resets a
forgotten password through a link mailed by the outbox, once, within the hour."""

from __future__ import annotations

import re

from sqlalchemy import select

from helpers import PASSWORD, csrf_token, login
from repo_app.db import standalone_session
from repo_app.models import AuditEvent, Notification, User

NEW_PASSWORD = "mat-khau-moi-rat-dai"


def _post(client, url: str, page: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def _reset_link(app, email: str) -> str:
    with standalone_session(app) as db:
        note = db.scalars(select(Notification).where(Notification.address == email)
                          .order_by(Notification.id.desc())).first()
    return re.search(r"https?://\S+", note.body).group(0).removeprefix("http://repo.test")


def _audit(app, action: str) -> list[AuditEvent]:
    with standalone_session(app) as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_an_admin_creates_an_account_whose_owner_sets_the_password_by_mail(app, client, accounts):
    login(client, "admin@test.vn")
    made = _post(client, "/admin/users", "/admin/users", email="thu.thu@thuvien.local",
                 name="Thủ thư", role="librarian")
    assert made.status_code == 302
    assert _audit(app, "user.create")[0].after == {"user": "thu.thu@thuvien.local",
                                                   "role": "librarian"}
    link = _reset_link(app, "thu.thu@thuvien.local")
    fresh = app.test_client()
    assert fresh.get(link).status_code == 200
    done = _post(fresh, link, link, password=NEW_PASSWORD, confirmation=NEW_PASSWORD)
    assert done.status_code == 302
    login(fresh, "thu.thu@thuvien.local", NEW_PASSWORD)
    assert fresh.get("/review").status_code == 200


def test_a_reset_link_works_once(app, client, accounts):
    page = _post(client, "/password/forgot", "/password/forgot", email="reader@test.vn")
    assert page.status_code == 302
    link = _reset_link(app, "reader@test.vn")
    assert _post(client, link, link, password=NEW_PASSWORD, confirmation=NEW_PASSWORD).status_code == 302
    again = _post(client, link, link, password="mot-mat-khau-khac", confirmation="mot-mat-khau-khac")
    assert again.status_code == 400
    assert "Liên kết này không hợp lệ hoặc đã hết hạn" in again.get_data(as_text=True)
    login(app.test_client(), "reader@test.vn", NEW_PASSWORD)


def test_forgot_password_answers_the_same_for_unknown_addresses(app, client, accounts):
    known = _post(client, "/password/forgot", "/password/forgot", email="reader@test.vn")
    unknown = _post(client, "/password/forgot", "/password/forgot", email="nobody@test.vn")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    with standalone_session(app) as db:
        addresses = db.scalars(select(Notification.address)).all()
    assert addresses == ["reader@test.vn"]


def test_a_disabled_account_cannot_log_in_and_the_change_is_audited(app, client, accounts):
    login(client, "admin@test.vn")
    reader = accounts["reader"]
    assert _post(client, f"/admin/users/{reader}/disable", "/admin/users").status_code == 302
    event = _audit(app, "user.disable")[0]
    assert (event.before, event.after) == ({"user": "reader@test.vn", "active": True},
                                           {"user": "reader@test.vn", "active": False})
    other = app.test_client()
    token = csrf_token(other, "/login")
    refused = other.post("/login", data={"email": "reader@test.vn", "password": PASSWORD,
                                         "csrf_token": token})
    assert refused.status_code == 400


def test_an_admin_changes_a_role_audited(app, client, accounts):
    login(client, "admin@test.vn")
    reader = accounts["reader"]
    form = f"u{reader}-"
    response = client.post(f"/admin/users/{reader}/role", data={
        "csrf_token": csrf_token(client, "/admin/users"), "role": "depositor"})
    assert response.status_code == 302, form
    with standalone_session(app) as db:
        assert db.get(User, reader).role == "depositor"
    assert _audit(app, "user.role")[0].after == {"user": "reader@test.vn", "role": "depositor"}


def test_an_admin_cannot_disable_their_own_account(app, client, accounts):
    login(client, "admin@test.vn")
    _post(client, f"/admin/users/{accounts['admin']}/disable", "/admin/users")
    with standalone_session(app) as db:
        assert db.get(User, accounts["admin"]).active
    assert _audit(app, "user.disable") == []


def test_only_admins_reach_the_accounts_page(client, accounts):
    for role in ("librarian", "depositor", "reader"):
        client.post("/logout", data={})
        login(client, f"{role}@test.vn")
        assert client.get("/admin/users").status_code == 403
