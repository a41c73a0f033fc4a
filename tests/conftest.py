"""Shared fixtures: a real app on a temporary data directory, real SQLite, real HTTP.

Tests build the app exactly as production does (``REPO_*`` variables,
``repo-app init``), so what they prove is what runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import databases
import pytest
from flask import Flask
from flask.testing import FlaskClient

from helpers import PASSWORD
from repo_app import create_app
from repo_app.access import Actor
from repo_app.db import standalone_session
from repo_app.resources import initialize
from repo_app.services import files, users, works
from repo_app.vocab import Role

PROJECT = Path(__file__).resolve().parent.parent
# Background jobs run in the process that queued them, right after the commit, so a test
# sees a deposit's text at once; tests/jobs/ turn this off and start real workers.
os.environ["REPO_JOBS_EAGER"] = "1"
ROLES = ("reader", "depositor", "librarian", "admin")


def shared_path(env: str, default: str) -> Path:
    """Material in ../shared/, overridable by an environment variable."""
    return Path(os.environ.get(env, PROJECT.parent / "shared" / default))


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> Iterator[Flask]:
    """The app on a fresh data directory; its database is SQLite there, or a leased
    PostgreSQL database when REPO_TEST_DATABASE_URL names a server (tests/databases.py)."""
    monkeypatch.setenv("REPO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("REPO_CAMPUS_NETWORKS", raising=False)
    monkeypatch.setenv("REPO_CAMPUS_NETWORKS", "10.10.0.0/16")
    monkeypatch.setenv("REPO_READING_ROOM_NETWORKS", "10.20.0.0/24")
    url = databases.lease(request)
    if url:
        monkeypatch.setenv("REPO_DATABASE_URL", url)
    app = build_app()
    yield app
    databases.dispose(app)


def build_app() -> Flask:
    """The app as every test builds it from the REPO_* variables set, initialised."""
    app = create_app({"TESTING": True, "SERVER_NAME": "repo.test", "BASE_URL": "http://repo.test",
                      "EXTRACT_TIMEOUT": 60,
                      # Usage statistics off but for tests/usage (writing each view's count
                      # made the access matrix 1.6 times slower; a timer thread could write
                      # into a database a later test has leased).
                      "USAGE_STATISTICS": False,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        initialize(app)
    return app


@pytest.fixture
def empty_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                   request: pytest.FixtureRequest) -> Iterator[Flask]:
    """A second repository, on its own data directory and database (restores go there)."""
    monkeypatch.setenv("REPO_DATA_DIR", str(tmp_path / "second"))
    url = databases.lease(request)
    if url:
        monkeypatch.setenv("REPO_DATABASE_URL", url)
    else:
        monkeypatch.delenv("REPO_DATABASE_URL", raising=False)
    app = create_app({"TESTING": True, "SERVER_NAME": "repo.test", "BASE_URL": "http://repo.test"})
    with app.app_context():
        initialize(app)
    yield app
    databases.dispose(app)


@pytest.fixture
def tesseract_vie() -> None:
    """Skip unless tesseract with Vietnamese data is installed (.ci/run installs both)."""
    from ingest.ocr import available_languages

    if "vie" not in available_languages():
        pytest.skip("tesseract with Vietnamese data is not installed "
                    "(apt-get install tesseract-ocr tesseract-ocr-vie; .ci/run does)")


def redis_or_skip() -> str:
    """A real Redis server's address (REPO_TEST_REDIS_URL), or skip saying where none answered."""
    import redis

    url = os.environ.get("REPO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis server at {url} ({exc}); .ci/run starts one")
    return url


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


def make_accounts(app: Flask) -> dict[str, int]:
    """One account per role, e-mail ``<role>@test.vn``, and a second depositor; role → user id."""
    ids = {}
    with app.app_context(), standalone_session(app) as db:
        for role in ROLES:
            ids[role] = users.create_user(db, f"{role}@test.vn", PASSWORD, role, role.title()).id
        ids["other_depositor"] = users.create_user(
            db, "other@test.vn", PASSWORD, "depositor", "Other").id
        # A reader who will hold an on-site reading permit (tests/access/world.py).
        ids["permit"] = users.create_user(db, "permit@test.vn", PASSWORD, "reader", "Permit").id
    return ids


@pytest.fixture
def accounts(app: Flask) -> dict[str, int]:
    return make_accounts(app)


def actor_for(user_id: int, role: str) -> Actor:
    return Actor(user_id=user_id, role=Role(role))


@pytest.fixture
def make_pdf(tmp_path: Path):
    """Write a real PDF with the given page texts (Vietnamese embedded with DejaVu)."""
    from ingest.sample_pdf import write_pdf

    counter = iter(range(10_000))

    def _make(*pages: str, name: str | None = None) -> Path:
        path = tmp_path / (name or f"doc{next(counter)}.pdf")
        return write_pdf(path, list(pages) or ["Trang trống"])
    return _make


@pytest.fixture
def publish(app: Flask, accounts: dict[str, int], make_pdf):
    """Deposit (as the depositor) and publish (as the librarian) a work at an access level."""
    def _publish(title: str, level: str = "open", *, text: str = "Nội dung luận văn.",
                 embargo_until: date | None = None, after: str = "open",
                 depositor: str = "depositor", more_pages: tuple[str, ...] = (),
                 **fields) -> int:
        # Distinct bytes: the same content is refused twice.
        pdf = make_pdf(f"{title}. {text}", *more_pages)
        with app.test_request_context(), standalone_session(app) as db:
            with pdf.open("rb") as stream:
                staged = files.stage(stream, pdf.name)
            data = {"creators": ["Nguyễn Văn A"], "type": "master_thesis", "year": 2020}
            data.update(fields)
            owner = actor_for(accounts[depositor], "depositor")
            work = works.create(db, owner, works.WorkFields(title=title, **data), [staged],
                                submit=True)
            librarian = actor_for(accounts["librarian"], "librarian")
            works.publish(db, librarian, work, works.AccessSettings(
                level=level, embargo_until=embargo_until, after_embargo=after, reason="test"))
            return work.id
    return _publish
