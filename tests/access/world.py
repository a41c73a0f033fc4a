"""The visitors, levels and helpers the access tests share: building an app for any
fixture scope, depositing works, per-file overrides, and clients from a given network."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import databases
import pytest
from conftest import actor_for, make_accounts  # noqa: F401  (tests build their own worlds with it)
from flask import Flask
from flask.testing import FlaskClient

from helpers import login
from repo_app import create_app
from repo_app.db import standalone_session
from repo_app.models import Work
from repo_app.resources import initialize
from repo_app.services import files, indexing, works

OFF_CAMPUS, CAMPUS, READING_ROOM = "203.0.113.7", "10.10.3.4", "10.20.0.15"

# visitor → (REMOTE_ADDR, e-mail to log in with, or None)
VISITORS = {
    "anon_off": (OFF_CAMPUS, None),
    "anon_campus": (CAMPUS, None),
    "anon_reading_room": (READING_ROOM, None),
    "reader": (OFF_CAMPUS, "reader@test.vn"),
    "reader_reading_room": (READING_ROOM, "reader@test.vn"),
    # A reader holding an approved on-site permit for the on-site work, off site and in the room.
    "permit_off": (OFF_CAMPUS, "permit@test.vn"),
    "permit_reading_room": (READING_ROOM, "permit@test.vn"),
    "owner": (OFF_CAMPUS, "depositor@test.vn"),
    "other_depositor": (OFF_CAMPUS, "other@test.vn"),
    "librarian": (OFF_CAMPUS, "librarian@test.vn"),
    "admin": (OFF_CAMPUS, "admin@test.vn"),
}
LEVELS = ("open", "campus", "restricted", "embargoed", "confidential", "onsite")


@dataclass
class Published:
    """One work of the world: ids, and the words only a permitted reader may ever see."""

    work_id: int
    file_id: int
    query_word: str
    hidden_word: str
    title_word: str
    file_ids: list[int] = field(default_factory=list)


def make_app(data_dir: Path, monkeypatch: pytest.MonkeyPatch,
             request: pytest.FixtureRequest | None = None, **config) -> Flask:
    """The app exactly as the shared ``app`` fixture builds it.

    With ``request``, on a database of its own for that scope (tests/databases.py);
    without, on whatever ``REPO_DATABASE_URL`` already says (the same database when
    an app is rebuilt on the ``app`` fixture's data directory), else SQLite there.
    """
    monkeypatch.setenv("REPO_DATA_DIR", str(data_dir))
    monkeypatch.setenv("REPO_CAMPUS_NETWORKS", "10.10.0.0/16")
    monkeypatch.setenv("REPO_READING_ROOM_NETWORKS", "10.20.0.0/24")
    url = databases.lease(request) if request is not None else None
    if url:
        monkeypatch.setenv("REPO_DATABASE_URL", url)
    app = create_app({"TESTING": True, "SERVER_NAME": "repo.test", "BASE_URL": "http://repo.test",
                      "EXTRACT_TIMEOUT": 60,
                      **config})
    with app.app_context():
        initialize(app)
    return app


def grant_onsite_permit(app: Flask, accounts: dict[str, int], work_id: int,
                        holder: str = "permit") -> None:
    """An approved on-site request for ``work_id``, valid today, as a librarian approves it."""
    import io
    from datetime import timedelta

    from repo_app.services import onsite

    with app.test_request_context(), standalone_session(app) as db:
        reader = actor_for(accounts[holder], "reader")
        request = onsite.create(db, reader, work_id, "Nghiên cứu luận án",
                                io.BytesIO(b"%PDF-1.4 letter of introduction"), "giay-gioi-thieu.pdf")
        librarian = actor_for(accounts["librarian"], "librarian")
        onsite.approve(db, librarian, request.id, date.today(), date.today() + timedelta(days=7))


def deposit(app: Flask, accounts: dict[str, int], pdfs: list[Path], title: str, level: str,
            embargo_until: date | None = None) -> int:
    """Deposit as the depositor and publish as the librarian (as the ``publish`` fixture does)."""
    with app.test_request_context(), standalone_session(app) as db:
        staged = []
        for pdf in pdfs:
            with pdf.open("rb") as stream:
                staged.append(files.stage(stream, pdf.name))
        owner = actor_for(accounts["depositor"], "depositor")
        work = works.create(db, owner, works.WorkFields(
            title=title, type="master_thesis", year=2020, creators=["Nguyễn Văn A"]),
            staged, submit=True)
        librarian = actor_for(accounts["librarian"], "librarian")
        works.publish(db, librarian, work, works.AccessSettings(
            level=level, embargo_until=embargo_until, reason="test"))
        return work.id


def set_file_level(app: Flask, file_id: int, level: str | None) -> None:
    """A per-file override (an open thesis with a restricted appendix), re-indexed."""
    from repo_app.models import File

    with app.test_request_context(), standalone_session(app) as db:
        file = db.get(File, file_id)
        file.access_level = level
        file.work.touch()
        indexing.enqueue(db, file.work)
        db.commit()
        indexing.drain(db)


def file_ids(app: Flask, work_id: int) -> list[int]:
    with app.app_context(), standalone_session(app) as db:
        return [f.id for f in db.get(Work, work_id).files]


def write_pdf(path: Path, text: str) -> Path:
    from ingest.sample_pdf import write_pdf as write

    return write(path, [text, f"Trang hai. {text}"])


def client_from(app: Flask, address: str, email: str | None = None) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if email:
        login(client, email)
    return client
