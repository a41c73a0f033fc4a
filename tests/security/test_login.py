"""Issue 14, item 5: login attempts are throttled per account and per address, and an unknown
account is answered like a known one, after the same work (a dummy password hash)."""

from __future__ import annotations

import uuid

from access.world import make_app

from helpers import PASSWORD, csrf_token
from repo_app.models import users as user_model
from repo_app.services import users as user_service

WRONG = "not the password"


def _attempt(client, email: str, password: str = WRONG):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_after_five_failures_even_the_right_password_is_refused_for_that_account(app, accounts):
    client = _from(app, "203.0.113.7")
    assert [_attempt(client, "reader@test.vn").status_code for _ in range(5)] == [400] * 5
    blocked = _attempt(client, "reader@test.vn", PASSWORD)
    assert blocked.status_code == 429
    assert client.get("/my/requests").status_code == 302  # not logged in
    assert _attempt(_from(app, "198.51.100.9"), "reader@test.vn", PASSWORD).status_code == 429
    assert _attempt(client, "depositor@test.vn", PASSWORD).status_code == 302


def test_an_unknown_account_is_throttled_and_answered_exactly_like_a_known_one(app, accounts):
    client = _from(app, "203.0.113.7")
    client.set_cookie("lang", "en", domain="repo.test")
    known = [_attempt(client, "reader@test.vn") for _ in range(6)]
    unknown = [_attempt(client, "nobody@test.vn") for _ in range(6)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [400] * 5 + [429]
    assert "Wrong e-mail or password." in known[0].text and "Wrong e-mail or password." in \
        unknown[0].text
    assert "nobody@test.vn" not in unknown[0].text.replace('value="nobody@test.vn"', "")


def test_one_address_trying_many_accounts_is_throttled(app, accounts):
    app.config["LOGIN_LIMIT_ADDRESS"] = "8 per minute"
    attacker = _from(app, "203.0.113.7")
    codes = [_attempt(attacker, f"user{n}@test.vn").status_code for n in range(9)]
    assert codes == [400] * 8 + [429]
    assert _attempt(attacker, "reader@test.vn", PASSWORD).status_code == 429
    assert _attempt(_from(app, "198.51.100.9"), "reader@test.vn", PASSWORD).status_code == 302


def test_a_successful_login_does_not_count(app, accounts):
    client = _from(app, "203.0.113.7")
    for _ in range(7):
        assert _attempt(client, "reader@test.vn", PASSWORD).status_code == 302
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def test_an_unknown_account_costs_one_password_hash_like_a_known_one(app, accounts, monkeypatch):
    checked: list[str] = []

    def counting(original):
        def check(pwhash: str, password: str) -> bool:
            checked.append(pwhash.split("$", 1)[0])
            return original(pwhash, password)
        return check

    monkeypatch.setattr(user_service, "check_password_hash",
                        counting(user_service.check_password_hash))
    monkeypatch.setattr(user_model, "check_password_hash", counting(user_model.check_password_hash))
    client = _from(app, "203.0.113.7")
    _attempt(client, "reader@test.vn")
    _attempt(client, "nobody@test.vn")
    assert len(checked) == 2 and checked[0] == checked[1]  # one hash each, same method


def test_counters_are_shared_by_every_app_process_on_the_data_directory(tmp_path, monkeypatch):
    """Two apps on one data directory (as gunicorn's workers are) share the counters."""
    from conftest import make_accounts

    first = make_app(tmp_path / "data", monkeypatch)
    make_accounts(first)
    second = make_app(tmp_path / "data", monkeypatch)
    for app in (first, second, first, second, first):
        assert _attempt(_from(app, "203.0.113.7"), "reader@test.vn").status_code == 400
    assert _attempt(_from(second, "203.0.113.7"), "reader@test.vn", PASSWORD).status_code == 429


def test_counters_go_to_redis_when_the_queue_is_redis(tmp_path, monkeypatch):
    import redis
    from conftest import make_accounts, redis_or_skip

    url = redis_or_skip()

    prefix = f"repo-test-{uuid.uuid4().hex}"
    monkeypatch.setenv("REPO_QUEUE_URL", url)
    monkeypatch.setenv("REPO_RATE_LIMIT_PREFIX", prefix)
    app = make_app(tmp_path / "data", monkeypatch)
    make_accounts(app)
    client = _from(app, "203.0.113.7")
    assert [_attempt(client, "reader@test.vn").status_code for _ in range(6)] == [400] * 5 + [429]
    keys = redis.Redis.from_url(url).keys(f"*{prefix}:*")
    assert keys
    assert not (tmp_path / "data" / "limits.sqlite3").exists()
    redis.Redis.from_url(url).delete(*keys)
