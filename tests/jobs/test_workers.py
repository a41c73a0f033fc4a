"""Jobs on a real queue, run by real ``repo-app worker`` processes (SQLite queue and Redis)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ingest.sample_pdf import write_pdf
from repo_app.access import SYSTEM
from repo_app.db import standalone_session
from repo_app.models import File, Job, OcrPage
from repo_app.models.types import utcnow
from repo_app.services import files, jobs, works

from .conftest import BIN, in_db, wait_until

PLACES = ["Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau", "Kiên Giang", "An Giang",
          "Đồng Tháp", "Vĩnh Long", "Trà Vinh", "Bến Tre", "Tiền Giang", "Long An"]


def deposit(app, tmp_path: Path, title: str, text: str) -> int:
    """A published work with one PDF, made through the services as the importer makes it."""
    pdf = write_pdf(tmp_path / f"{abs(hash(title))}.pdf", [f"{title}. {text}"])
    with app.test_request_context(), standalone_session(app) as db:
        with pdf.open("rb") as stream:
            staged = files.stage(stream, pdf.name)
        work = works.create(db, SYSTEM, works.WorkFields(
            title=title, type="master_thesis", year=2021, creators=["Trần Thị B"]), [staged],
            submit=True)
        works.publish(db, SYSTEM, work, works.AccessSettings(level="open", reason="test"))
        return work.id


def statuses(app) -> list[str]:
    return in_db(app, lambda db: list(db.scalars(select(File.extraction_status)
                                                 .order_by(File.id))))


def test_a_deposit_is_queued_and_a_worker_makes_its_text_searchable(jobs_app, start_worker,
                                                                     tmp_path):
    for place in PLACES[:3]:
        deposit(jobs_app, tmp_path, f"Kinh tế {place}", f"Nông nghiệp vùng {place}")
    assert statuses(jobs_app) == ["queued"] * 3  # nothing ran in the depositing process
    start_worker(2)
    wait_until(lambda: statuses(jobs_app) == ["ok"] * 3, what="three files extracted")
    client = jobs_app.test_client()
    wait_until(lambda: client.get("/api/v1/search?q=nong nghiep soc trang").get_json()["total"]
               == 1, timeout=60, what="the text indexed")
    work = client.get("/api/v1/works/1").get_json()
    assert work["files"][0]["extraction"]["status"] == "ok"
    assert work["files"][0]["extraction"]["pages_done"] == work["files"][0]["extraction"]["pages"]


def test_a_failing_job_backs_off_then_fails_with_its_reason_and_a_librarian_retries_it(
        jobs_app, tmp_path):
    work_id = deposit(jobs_app, tmp_path, "Luận văn một trang", "Nội dung")
    with jobs_app.test_request_context(), standalone_session(jobs_app) as db:
        file = db.scalar(select(File).where(File.work_id == work_id))
        job = jobs.schedule(db, "ocr_page", f"ocr:{file.id}:7", file_id=file.id,
                            payload={"page": 7, "needs": 8, "base_status": "empty",
                                     "base_message": ""})
        db.commit()
        job_id = job.id
    delays = []
    for _ in range(4):  # a page past the end fails every time
        assert jobs.run(jobs_app, job_id) in ("queued", "failed")
        row = in_db(jobs_app, lambda db: db.get(Job, job_id))
        if row.state == "queued":
            delays.append((row.run_after - utcnow()).total_seconds())
            assert jobs.run(jobs_app, job_id) is None  # not due yet: nobody may claim it
            in_db(jobs_app, lambda db: (db.execute(update(Job).where(Job.id == job_id)
                                                   .values(run_after=utcnow())), db.commit()))
    row = in_db(jobs_app, lambda db: db.get(Job, job_id))
    assert row.state == "failed" and row.attempts == 4 and row.message
    assert delays[0] == pytest.approx(30, abs=3) and delays[1] > 3 * delays[0] > 0
    failed_page = in_db(jobs_app, lambda db: db.scalar(select(OcrPage)
                                                       .where(OcrPage.file_id == row.file_id)))
    assert failed_page.review == "failed" and failed_page.page == 7
    with jobs_app.test_request_context(), standalone_session(jobs_app) as db:
        assert jobs.retry(db, [job_id]) == 1
        db.commit()
    row = in_db(jobs_app, lambda db: db.get(Job, job_id))
    assert (row.state, row.attempts, row.unique_key) == ("queued", 0, row.key)


def test_jobs_command_reports_counts_and_pace(jobs_app, start_worker, tmp_path):
    deposit(jobs_app, tmp_path, "Luận văn", "Thủy sản")
    start_worker(1)
    wait_until(lambda: statuses(jobs_app) == ["ok"], what="the file extracted")
    wait_until(lambda: in_db(jobs_app, lambda db: jobs.outstanding(db)) == 0, what="index job")
    out = subprocess.run([str(BIN / "repo-app"), "jobs", "--format", "json"], env=os.environ.copy(),
                         capture_output=True, text=True, check=True).stdout
    report = json.loads(out)
    assert report["counts"]["done"] >= 2 and report["counts"]["failed"] == 0
    assert report["by_kind"]["extract"]["done"] == 1
    assert report["pages_last_hour"] >= 1
    table = subprocess.run([str(BIN / "repo-app"), "jobs"], env=os.environ.copy(),
                           capture_output=True, text=True, check=True).stdout
    assert "pages per minute" in table and "extract" in table


def test_repo_app_run_serves_the_site_and_works_the_queue(jobs_app, tmp_path):
    import socket
    import urllib.request

    deposit(jobs_app, tmp_path, "Luận văn chạy thử", "Lúa gạo Cần Thơ")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(BIN / "repo-app"), "run", "--port", str(port)],
                              env=os.environ.copy(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: statuses(jobs_app) == ["ok"], what="the file extracted by run's worker")

        def answers() -> bool:
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).status == 200
            except OSError:
                return False
        wait_until(answers, timeout=60, what="the site served")
    finally:
        server.terminate()
        server.wait(30)
