"""Concurrency that SQLite serialises, on PostgreSQL: librarians deciding at once, an import
beside deposits. Each test makes the overlap certain instead of hoping for it."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import actor_for
from sqlalchemy import event, func, select, text

from helpers import PASSWORD
from repo_app.db import standalone_session
from repo_app.errors import UserError
from repo_app.models import AuditEvent, File, IndexQueueItem, Work
from repo_app.services import document_ids, files, indexing, users, works

TIMEOUT = 60
REPO_APP = str(Path(sys.executable).parent / "repo-app")
pytestmark = pytest.mark.slow


def _accounts(app) -> dict[str, int]:
    with app.app_context(), standalone_session(app) as db:
        return {
            "depositor": users.create_user(db, "dep@test.vn", PASSWORD, "depositor").id,
            "librarian": users.create_user(db, "lib@test.vn", PASSWORD, "librarian").id,
            "librarian2": users.create_user(db, "lib2@test.vn", PASSWORD, "librarian").id,
        }


def _submitted(app, make_pdf, depositor: int, title: str) -> int:
    pdf = make_pdf(f"{title}. Nội dung.")
    with app.test_request_context(), standalone_session(app) as db:
        with pdf.open("rb") as stream:
            staged = files.stage(stream, pdf.name)
        work = works.create(db, actor_for(depositor, "depositor"), works.WorkFields(
            title=title, type="master_thesis", year=2020, creators=["Lê Thị C"]), [staged],
            submit=True)
        return work.id


def _publish_in_thread(app, librarian: int, work_id: int, outcomes: list[str]) -> threading.Thread:
    def run() -> None:
        with app.test_request_context(), standalone_session(app) as db:
            try:
                works.publish(db, actor_for(librarian, "librarian"), db.get(Work, work_id),
                              works.AccessSettings(level="open", reason="test"))
                outcomes.append("published")
            except UserError as exc:
                outcomes.append(exc.code)
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_for_lock_waiters(app, count: int) -> None:
    """Until ``count`` sessions wait on a row lock: both publishers have reached the work."""
    deadline = time.monotonic() + TIMEOUT
    with standalone_session(app) as db:
        while time.monotonic() < deadline:
            waiting = db.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE "
                                     "datname = current_database() AND wait_event_type = 'Lock'"))
            db.rollback()
            if waiting >= count:
                return
            time.sleep(0.05)
    raise AssertionError(f"{count} sessions never waited on the work's row lock")


def test_two_librarians_publishing_one_work_publish_it_once(pg_app, make_pdf):
    ids = _accounts(pg_app)
    work_id = _submitted(pg_app, make_pdf, ids["depositor"], "Luận văn tranh chấp")
    outcomes: list[str] = []
    with standalone_session(pg_app) as blocker:
        # Hold the row so both librarians arrive before either decides.
        blocker.execute(select(Work).where(Work.id == work_id).with_for_update())
        threads = [_publish_in_thread(pg_app, ids[name], work_id, outcomes)
                   for name in ("librarian", "librarian2")]
        _wait_for_lock_waiters(pg_app, 2)
        blocker.commit()
    for thread in threads:
        thread.join(TIMEOUT)
    assert sorted(outcomes) == ["already_published", "published"]
    with standalone_session(pg_app) as db:
        events = db.scalars(select(AuditEvent.action).where(AuditEvent.work_id == work_id)).all()
        assert events.count("work.published") == 1


def test_two_librarians_publishing_different_works_at_once_both_reach_search(pg_app, make_pdf):
    ids = _accounts(pg_app)
    first = _submitted(pg_app, make_pdf, ids["depositor"], "Thủy văn đồng bằng")
    second = _submitted(pg_app, make_pdf, ids["depositor"], "Khí hậu miền núi")
    outcomes: list[str] = []
    threads = [_publish_in_thread(pg_app, ids["librarian"], first, outcomes),
               _publish_in_thread(pg_app, ids["librarian2"], second, outcomes)]
    for thread in threads:
        thread.join(TIMEOUT)
    assert outcomes == ["published", "published"]
    with standalone_session(pg_app) as db:
        identifiers = {db.get(Work, i).identifier for i in (first, second)}
    assert identifiers == {f"vnir/{first}", f"vnir/{second}"}
    hits = pg_app.test_client().get("/api/v1/search?q=").get_json()["hits"]
    assert {h["id"] for h in hits} >= {first, second}


def test_a_drain_keeps_a_queued_change_committed_while_it_wrote(pg_app):
    """PostgreSQL hands out ids at insert, not at commit: a change queued first (lower id) but
    committed while another process's drain writes is not yet written, and must stay queued."""
    late_id, early_id = document_ids.of_work(900001), document_ids.of_work(900002)
    with pg_app.app_context(), standalone_session(pg_app) as late, \
            standalone_session(pg_app) as early:
        indexing.enqueue_document(late, late_id)
        late.flush()  # its id is taken now; it commits only while the other drain writes
        indexing.enqueue_document(early, early_id)
        early.commit()

        def commit_late_before_delete(state) -> None:
            if state.is_delete and late.in_transaction():
                late.commit()
        event.listen(early, "do_orm_execute", commit_late_before_delete)
        assert indexing.drain(early) == 1
        left = early.scalars(select(IndexQueueItem.document_id)).all()
    assert left == [late_id]


def _manifest(folder: Path, make_pdf, n: int) -> Path:
    path = folder / "manifest.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "creators", "year", "type", "faculty", "access"])
        for i in range(n):
            make_pdf(f"Luận văn nhập lô số {i}.").rename(folder / f"lo{i}.pdf")
            writer.writerow([f"lo{i}.pdf", f"Nhập lô {i}", "Phạm Văn D", "2012", "master_thesis",
                             "Khoa Nông nghiệp", "open"])
    return path


def test_an_import_beside_deposits_keeps_every_work_once(pg_app, make_pdf, tmp_path):
    ids = _accounts(pg_app)
    folder = tmp_path / "lot"
    folder.mkdir()
    manifest = _manifest(folder, make_pdf, 12)
    env = {**os.environ, "REPO_DATA_DIR": str(pg_app.config["DATA_DIR"]),
           "REPO_DATABASE_URL": pg_app.config["DATABASE_URL"]}
    importer = subprocess.Popen(
        [REPO_APP, "import", str(folder), "--manifest", str(manifest)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deposited = [_submitted(pg_app, make_pdf, ids["depositor"], f"Ký gửi {i}") for i in range(6)]
    output, _ = importer.communicate(timeout=240)
    assert importer.returncode == 0, output
    with standalone_session(pg_app) as db:
        titles = db.scalars(select(Work.title)).all()
        assert sorted(t for t in titles if t.startswith("Nhập lô")) == sorted(
            f"Nhập lô {i}" for i in range(12))
        assert len(titles) == len(set(titles)) == 18
        assert db.scalar(select(func.count()).select_from(File)) == 18
        statuses = {db.get(Work, i).status for i in deposited}
    assert statuses == {"submitted"}
    check = pg_app.test_cli_runner().invoke(args=["check"])
    assert check.exit_code == 0, check.output

