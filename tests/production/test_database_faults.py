"""The database gone for a moment, or SQLite locked past its busy timeout: a 503 in the user's
language with no traceback, and the site recovers by itself."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import databases
import pytest
from flask import Flask
from sqlalchemy import text

from helpers import PASSWORD
from repo_app import create_app
from repo_app.access import SYSTEM
from repo_app.db import standalone_session
from repo_app.resources import initialize
from repo_app.services import api_tokens, users

UNAVAILABLE_VI = "Cơ sở dữ liệu của kho đang bận hoặc tạm thời không truy cập được."
FORBIDDEN_TEXT = ("Traceback", "OperationalError", "psycopg", "sqlite3", "database is locked")


def _assert_calm_503(response) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    for forbidden in FORBIDDEN_TEXT:
        assert forbidden not in body


def test_postgresql_gone_for_a_moment_gives_503_then_recovers(pg_app: Flask):
    client = pg_app.test_client()
    assert client.get("/works/1").status_code == 404  # the database answers: no such work
    name = pg_app.config["DATABASE_URL"].rsplit("/", 1)[1]
    admin = databases._pool(databases.postgres_server()).admin
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :name"), {"name": name})
    try:
        page = client.get("/works/1")
        _assert_calm_503(page)
        assert UNAVAILABLE_VI in page.get_data(as_text=True)
        api = client.get("/api/v1/works/1")
        _assert_calm_503(api)
        assert api.get_json()["error"]["code"] == "unavailable"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
    assert client.get("/works/1").status_code == 404


@pytest.fixture
def sqlite_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """The app on SQLite whatever the suite runs on, with a short busy timeout."""
    monkeypatch.setenv("REPO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("REPO_DATABASE_URL", raising=False)
    monkeypatch.setenv("REPO_DB_BUSY_TIMEOUT", "0.3")
    app = create_app({"TESTING": True, "SERVER_NAME": "repo.test", "BASE_URL": "http://repo.test",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        initialize(app)
    return app


def test_sqlite_database_is_locked_never_reaches_a_depositor(sqlite_app: Flask):
    with sqlite_app.app_context(), standalone_session(sqlite_app) as db:
        users.create_user(db, "dep@test.vn", PASSWORD, "depositor")
        _token, secret = api_tokens.create(db, SYSTEM, "dep@test.vn")
    client = sqlite_app.test_client()
    work = {"title": "Luận văn khi khóa", "type": "master_thesis", "creators": ["Hà Văn F"],
            "accept_licence": True}
    headers = {"Authorization": f"Bearer {secret}"}
    holder = sqlite3.connect(sqlite_app.config["DATA_DIR"] / "repo.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer that does not let go
    try:
        _assert_calm_503(client.post("/api/v1/works", json=work, headers=headers))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert client.post("/api/v1/works", json=work, headers=headers).status_code == 201
