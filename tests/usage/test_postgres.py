"""The PostgreSQL path: daily counts added with INSERT … ON CONFLICT DO UPDATE by processes at once."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import databases
import pytest
from conftest import build_app
from flask import Flask
from sqlalchemy import select

from repo_app.db import standalone_session
from repo_app.models import UsageDaily, UsageSalt
from repo_app.services import usage


@pytest.fixture
def pg_app(tmp_path, monkeypatch, request) -> Flask:
    server = databases.postgres_server()
    monkeypatch.setenv("REPO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REPO_DATABASE_URL", databases.lease(request, server))
    app = build_app()
    yield app
    databases.dispose(app)


def test_concurrent_flushes_add_up_on_postgresql(pg_app, make_pdf):
    from repo_app.access import SYSTEM
    from repo_app.services import files, works

    with pg_app.test_request_context(), standalone_session(pg_app) as db:
        assert db.get_bind().dialect.name == "postgresql"
        with make_pdf("Luận văn PostgreSQL").open("rb") as stream:
            staged = files.stage(stream, "a.pdf")
        work_id = works.create(db, SYSTEM, works.WorkFields(
            title="Luận văn PostgreSQL", type="master_thesis", creators=["A"]), [staged]).id
    day = date(2026, 12, 4)
    start = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    barrier = threading.Barrier(4)

    def flush(worker: int) -> None:
        hits = [usage.Hit(day, work_id, usage.VIEW, f"w{worker}-v{n}",
                          start + timedelta(seconds=n)) for n in range(25)]
        barrier.wait()
        with standalone_session(pg_app) as db:
            usage.write(db, hits, day)

    threads = [threading.Thread(target=flush, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with standalone_session(pg_app) as db:
        row = db.scalar(select(UsageDaily).where(UsageDaily.work_id == work_id))

        assert (row.total, row.uniques) == (100, 100)


def test_the_days_salt_is_made_once_on_postgresql(pg_app):
    day = date(2026, 12, 4)
    salts = []

    def ask() -> None:
        with standalone_session(pg_app) as db:
            salts.append(usage.day_salt(db, day))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(salts)) == 1
    with standalone_session(pg_app) as db:
        assert len(db.scalars(select(UsageSalt)).all()) == 1
