"""Issue 14, item 6: a login ends when the user logs out, the password changes or the account is
disabled — including for a copy of the cookie saved earlier; API tokens have scopes, shorter
lives, and can be listed and revoked, each change audited."""

from __future__ import annotations

from access.world import OFF_CAMPUS, client_from
from sqlalchemy import select, update

from helpers import csrf_token
from repo_app.db import standalone_session
from repo_app.models import ApiToken, AuditEvent, User
from repo_app.models.types import utcnow

DRAFT = {"title": "Luận văn gửi bằng script", "type": "master_thesis", "year": 2024,
         "creators": ["Phạm Minh Đức"], "language": "vi", "accept_licence": True}


def _saved_cookie(client) -> str:
    return client.get_cookie("session", domain="repo.test").value


def _with_cookie(app, value: str):
    thief = app.test_client()
    thief.environ_base["REMOTE_ADDR"] = OFF_CAMPUS
    thief.set_cookie("session", value, domain="repo.test")
    return thief


def _logged_in(client) -> bool:
    """The librarian's review queue answers only a live login (a guest is sent to log in)."""
    return client.get("/review").status_code == 200


def test_a_cookie_saved_before_logout_no_longer_opens_the_review_queue(app, accounts):
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    saved = _saved_cookie(librarian)
    assert _logged_in(_with_cookie(app, saved))
    librarian.post("/logout", data={"csrf_token": csrf_token(librarian, "/")})
    replayed = _with_cookie(app, saved)
    response = replayed.get("/review")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "Librarian" not in replayed.get("/").text


def test_logging_out_one_browser_leaves_the_others_logged_in(app, accounts):
    office = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    home = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    office.post("/logout", data={"csrf_token": csrf_token(office, "/")})
    assert not _logged_in(office) and _logged_in(home)


def test_a_new_password_ends_every_session_made_with_the_old_one(app, accounts):
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    with app.app_context(), standalone_session(app) as db:
        db.get(User, accounts["librarian"]).set_password("a completely new one", "pbkdf2:sha256:1000")
        db.commit()
    assert not _logged_in(librarian)
    assert not _logged_in(_with_cookie(app, _saved_cookie(librarian)))


def test_disabling_an_account_ends_its_sessions_and_its_tokens(app, accounts, runner):
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    saved = _saved_cookie(librarian)
    token = _new_token(runner, "librarian@test.vn")
    with app.app_context(), standalone_session(app) as db:
        db.execute(update(User).where(User.id == accounts["librarian"]).values(active=False))
        db.commit()
    assert not _logged_in(librarian) and not _logged_in(_with_cookie(app, saved))
    response = app.test_client().post("/api/v1/works", json=DRAFT, headers=_bearer(token))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_invalid"


def test_a_login_lasts_only_its_configured_hours(app, accounts):
    app.config["SESSION_HOURS"] = 0
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    assert not _logged_in(librarian)


def _new_token(runner, email: str, *args: str) -> str:
    result = runner.invoke(args=["tokens", "create", email, *args])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_lasts_thirty_days_unless_asked_and_at_most_a_year(app, accounts, runner):
    _new_token(runner, "depositor@test.vn")
    with app.app_context(), standalone_session(app) as db:
        row = db.scalar(select(ApiToken))
        assert 29 <= (row.expires_at - utcnow()).days <= 30
    refused = runner.invoke(args=["tokens", "create", "depositor@test.vn", "--days", "3650"])
    assert refused.exit_code != 0 and "365" in refused.output


def test_a_read_only_token_cannot_deposit_and_a_deposit_only_token_cannot_read(
        app, accounts, runner):
    reading = _new_token(runner, "depositor@test.vn", "--scope", "read")
    depositing = _new_token(runner, "depositor@test.vn", "--scope", "deposit")
    client = app.test_client()
    refused = client.post("/api/v1/works", json=DRAFT, headers=_bearer(reading))
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "token_scope"
    created = client.post("/api/v1/works", json=DRAFT, headers=_bearer(depositing))
    assert created.status_code == 201
    work_id = created.get_json()["id"]
    blind = client.get(f"/api/v1/works/{work_id}", headers=_bearer(depositing))
    assert blind.status_code == 403 and DRAFT["title"] not in blind.text
    assert client.get(f"/api/v1/works/{work_id}", headers=_bearer(reading)).status_code == 200


def test_tokens_are_listed_without_their_secret_and_revoked_at_once(app, accounts, runner):
    token = _new_token(runner, "depositor@test.vn")
    client = app.test_client()
    assert client.post("/api/v1/works", json=DRAFT, headers=_bearer(token)).status_code == 201
    listing = runner.invoke(args=["tokens", "list", "--format", "json"])
    assert listing.exit_code == 0 and token not in listing.output
    assert '"state": "active"' in listing.output and "depositor@test.vn" in listing.output
    with app.app_context(), standalone_session(app) as db:
        token_id = db.scalar(select(ApiToken.id))
    revoked = runner.invoke(args=["tokens", "revoke", str(token_id)])
    assert revoked.exit_code == 0
    refused = client.post("/api/v1/works", json=DRAFT, headers=_bearer(token))
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "token_revoked"
    assert '"state": "revoked"' in runner.invoke(args=["tokens", "list", "--format", "json"]).output
    with app.app_context(), standalone_session(app) as db:
        actions = list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert "api_token.create" in actions and "api_token.revoke" in actions


def test_revoking_an_unknown_token_says_so(runner, accounts):
    result = runner.invoke(args=["tokens", "revoke", "999"])
    assert result.exit_code != 0 and "999" in result.output


def test_an_administrator_disabling_the_account_ends_its_saved_cookie(app, accounts):
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    saved = _saved_cookie(librarian)
    admin = client_from(app, OFF_CAMPUS, "admin@test.vn")
    token = csrf_token(admin, "/admin/users")
    done = admin.post(f"/admin/users/{accounts['librarian']}/disable", data={"csrf_token": token})
    assert done.status_code in (302, 303)
    assert not _logged_in(_with_cookie(app, saved)) and not _logged_in(librarian)


def test_resetting_a_forgotten_password_ends_the_sessions_made_with_the_old_one(app, accounts):
    import re

    from repo_app.models import Notification

    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    anyone = app.test_client()
    anyone.post("/password/forgot", data={"email": "librarian@test.vn",
                                          "csrf_token": csrf_token(anyone, "/password/forgot")})
    with app.app_context(), standalone_session(app) as db:
        note = db.scalars(select(Notification).order_by(Notification.id.desc())).first()
    link = re.search(r"https?://\S+", note.body).group(0).removeprefix("http://repo.test")
    new = "mat-khau-moi-rat-dai"
    assert anyone.post(link, data={"password": new, "confirmation": new,
                                   "csrf_token": csrf_token(anyone, link)}).status_code == 302
    assert not _logged_in(librarian)


def test_asking_for_reset_links_is_throttled(app, accounts):
    app.config["RESET_LIMIT"] = "3 per hour"
    anyone = app.test_client()
    codes = [anyone.post("/password/forgot", data={
        "email": "reader@test.vn", "csrf_token": csrf_token(anyone, "/password/forgot")}).status_code
        for _ in range(4)]
    assert codes == [302, 302, 302, 429]
