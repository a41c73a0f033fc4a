"""Harvesting a partner: this app's own provider, served over real HTTP on localhost.

The partner is a second instance of the app (its own database and index)
behind werkzeug's server in a thread; the harvester is the app under test,
driven through ``repo-app harvest``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, update
from werkzeug.serving import make_server

from repo_app import create_app
from repo_app.access import SYSTEM
from repo_app.db import standalone_session
from repo_app.errors import UserError
from repo_app.models import HarvestedRecord, HarvestSource, Work
from repo_app.models.types import utcnow
from repo_app.resources import initialize
from repo_app.services import harvest, works
from repo_app.services.harvest_client import HarvestFailure, PartnerClient

from .conftest import seed_into

PARTNER_NAME = "Trường Đại học Đối tác"


class Partner:
    """A running partner repository: its app and the URL of its OAI endpoint."""

    def __init__(self, app: Flask, url: str) -> None:
        self.app = app
        self.url = url

    def seed(self, n: int, **fields) -> list[int]:
        ids = seed_into(self.app, n, **fields)
        # Back-date them, so "changed since the last harvest" is unambiguous to the second.
        with standalone_session(self.app) as db:
            db.execute(update(Work).where(Work.id.in_(ids)).values(
                datestamp=datetime(2020, 1, 1, tzinfo=UTC)))
            db.commit()
        return ids

    def edit_title(self, work_id: int, title: str) -> None:
        with standalone_session(self.app) as db:
            work = db.get(Work, work_id)
            work.title = title
            work.touch()
            db.commit()

    def withdraw(self, work_id: int) -> None:
        with self.app.test_request_context(), standalone_session(self.app) as db:
            works.withdraw(db, SYSTEM, db.get(Work, work_id), "duplicate record")


@pytest.fixture
def partner(tmp_path: Path) -> Iterator[Partner]:
    data = tmp_path / "partner"
    app = create_app({"TESTING": True, "DATA_DIR": data,
                      "DATABASE_URL": f"sqlite:///{data / 'repo.sqlite3'}",
                      "INSTITUTION_NAME": PARTNER_NAME, "OAI_DOMAIN": "partner.test",
                      "OAI_PAGE_SIZE": 50})
    with app.app_context():
        initialize(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"  # as its operator would set it
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Partner(app, f"http://127.0.0.1:{server.server_port}/oai")
    finally:
        server.shutdown()
        thread.join(timeout=10)


def run_harvest(runner, url: str, *args: str):
    result = runner.invoke(args=["harvest", url, *args])
    assert result.exit_code == 0, result.output
    return result.output


def live(app: Flask) -> dict[str, HarvestedRecord]:
    with standalone_session(app) as db:
        rows = db.scalars(select(HarvestedRecord).where(HarvestedRecord.deleted.is_(False)))
        return {r.oai_identifier: r for r in rows}


def test_a_harvest_follows_resumption_tokens_through_250_records(app, client, runner, partner):
    ids = partner.seed(250)
    output = run_harvest(runner, partner.url)
    assert f"{PARTNER_NAME}: 5 pages" in output
    assert "250 added" in output
    records = live(app)
    assert set(records) == {f"oai:partner.test:{i}" for i in ids}
    sample = records[f"oai:partner.test:{ids[0]}"]
    assert sample.title == "Luận văn số 0: Nghiên cứu đường biên"
    assert sample.creators == ["Nguyễn, Thị Hằng", "Trần, Đức Anh"]  # as our oai_dc writes
    assert sample.year == 2021
    assert sample.url == f"{partner.url.removesuffix('/oai')}/works/{ids[0]}"
    with standalone_session(app) as db:
        source = db.scalar(select(HarvestSource))
        assert source.resumption_token is None
        assert source.last_datestamp is not None


def test_harvested_records_are_found_in_search_under_the_partner_name(app, client, runner,
                                                                     partner):
    ids = partner.seed(3)
    run_harvest(runner, partner.url)
    body = client.get("/api/v1/search?q=").get_json()
    sources = {f["value"]: f["count"] for f in body["facets"]["source"]}
    assert sources[PARTNER_NAME] == 3
    page = client.get("/search", query_string={"source": PARTNER_NAME}).get_data(as_text=True)
    assert f"{partner.url.removesuffix('/oai')}/works/{ids[0]}" in page
    assert "Nghiên cứu đường biên" in page
    listed = client.get("/api/v1/works").get_json()
    assert listed["total"] == 0, "the API's list is of this repository's own works"


def test_the_next_harvest_asks_only_for_changes(app, runner, partner):
    ids = partner.seed(120)
    run_harvest(runner, partner.url)
    partner.edit_title(ids[5], "Tiêu đề đã sửa")
    output = run_harvest(runner, partner.url)
    assert "1 pages" in output
    assert "0 added, 1 updated, 0 deleted" in output
    assert live(app)[f"oai:partner.test:{ids[5]}"].title == "Tiêu đề đã sửa"
    assert len(live(app)) == 120


def test_a_withdrawn_work_arrives_as_deleted_and_leaves_search(app, client, runner, partner):
    ids = partner.seed(4, title="Luận văn sẽ bị rút")
    run_harvest(runner, partner.url)
    partner.withdraw(ids[1])
    output = run_harvest(runner, partner.url)
    assert "1 deleted" in output
    assert f"oai:partner.test:{ids[1]}" not in live(app)
    with standalone_session(app) as db:
        tomb = db.scalar(select(HarvestedRecord).where(
            HarvestedRecord.oai_identifier == f"oai:partner.test:{ids[1]}"))
        assert tomb.deleted and tomb.title == ""
    body = client.get("/api/v1/search?q=rút").get_json()
    assert body["total"] == 3


def test_confidential_partner_works_are_never_harvested(app, runner, partner):
    partner.seed(2)
    partner.seed(1, title="Tài liệu mật", access_level="confidential", was_public=False)
    run_harvest(runner, partner.url)
    assert sorted(r.title for r in live(app).values()) == [
        "Luận văn số 0: Nghiên cứu đường biên", "Luận văn số 1: Nghiên cứu đường biên"]


class InterruptedPartner(PartnerClient):
    """The partner's real endpoint, with the connection lost after ``pages`` responses."""

    def __init__(self, url: str, pages: int) -> None:
        super().__init__(url)
        self.left = pages

    def list_records(self, params):
        if self.left == 0:
            raise HarvestFailure("connection lost")
        self.left -= 1
        return super().list_records(params)


def test_an_interrupted_harvest_resumes_from_its_token(app, runner, partner):
    partner.seed(130)
    with app.test_request_context(), standalone_session(app) as db:
        with pytest.raises(UserError):
            harvest.run(db, SYSTEM, partner.url, client=InterruptedPartner(partner.url, 2))
    assert len(live(app)) == 100
    with standalone_session(app) as db:
        assert db.scalar(select(HarvestSource)).resumption_token
    output = run_harvest(runner, partner.url)
    assert "resumed" in output and "30 added" in output
    assert len(live(app)) == 130


def test_from_restricts_the_first_harvest(app, runner, partner):
    old = partner.seed(2)
    fresh = partner.seed(1)
    with standalone_session(partner.app) as db:
        db.get(Work, fresh[0]).datestamp = utcnow()
        db.commit()
    run_harvest(runner, partner.url, "--from", "2024-01-01")
    assert set(live(app)) == {f"oai:partner.test:{fresh[0]}"}
    assert f"oai:partner.test:{old[0]}" not in live(app)


@pytest.mark.parametrize("args", [["--from", "01/02/2024"], ["--from", "2024-1-1"]])
def test_a_bad_date_is_refused(runner, partner, args):
    result = runner.invoke(args=["harvest", partner.url, *args])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output


def test_an_unreachable_partner_is_a_clean_failure(runner):
    result = runner.invoke(args=["harvest", "http://127.0.0.1:9/oai"])
    assert result.exit_code != 0
    assert "did not answer" in result.output
