"""A scan recognised page by page by real workers; kill -9 mid-way loses no recognised page."""

from __future__ import annotations

import hashlib
import signal

import pytest
from sqlalchemy import func, select

from ingest.sample_pdf import write_image_pdf
from repo_app.access import SYSTEM
from repo_app.db import standalone_session
from repo_app.models import File, Job, OcrPage
from repo_app.services import files, works

from .conftest import in_db, wait_until

PAGES = [f"Chương {n}. Nghiên cứu nuôi trồng thủy sản ở tỉnh Bạc Liêu, trang {n}"
         for n in range(1, 7)]


@pytest.fixture
def scanned_work(jobs_app, tmp_path, tesseract_vie) -> int:
    scan = write_image_pdf(tmp_path / "scan.pdf", PAGES)
    with jobs_app.test_request_context(), standalone_session(jobs_app) as db:
        with scan.open("rb") as stream:
            staged = files.stage(stream, "luan-van-scan.pdf")
        work = works.create(db, SYSTEM, works.WorkFields(
            title="Thủy sản Bạc Liêu", type="master_thesis", year=1998, creators=["Lê C"]),
            [staged], submit=True)
        works.publish(db, SYSTEM, work, works.AccessSettings(level="open", reason="test"))
        return work.id


def recognised(app) -> dict[int, tuple[int, object]]:
    rows = in_db(app, lambda db: list(db.scalars(select(OcrPage))))
    return {row.page: (row.id, row.created_at) for row in rows}


def the_file(app) -> File:
    return in_db(app, lambda db: db.scalar(select(File)))


def test_killed_mid_scan_the_next_worker_recognises_only_the_missing_pages(
        jobs_app, start_worker, scanned_work):
    first = start_worker(1)
    wait_until(lambda: len(recognised(jobs_app)) >= 2, what="two pages recognised")
    first.send_signal(signal.SIGKILL)
    first.wait()
    before = recognised(jobs_app)
    assert the_file(jobs_app).extraction_status == "running"
    start_worker(2)
    wait_until(lambda: the_file(jobs_app).extraction_status == "ocr", timeout=400,
               what="the scan recognised")
    after = recognised(jobs_app)
    assert sorted(after) == list(range(len(PAGES)))
    assert {page: after[page] for page in before} == before  # never recognised again
    done = in_db(jobs_app, lambda db: db.scalar(
        select(func.count()).select_from(Job).where(Job.kind == "ocr_page", Job.state == "done")))
    assert done == len(PAGES)
    file = the_file(jobs_app)
    assert file.pages_done == file.pages == len(PAGES) and file.ocr

    client = jobs_app.test_client()
    wait_until(lambda: client.get("/api/v1/search?q=thuy san bac lieu chuong 5")
               .get_json()["total"] == 1, timeout=60, what="the OCR text indexed")
    served = client.get(f"/works/{scanned_work}/files/{file.id}")
    assert hashlib.sha256(served.data).hexdigest() == file.derivative_sha256 != file.sha256
    record = client.get(f"/api/v1/works/{scanned_work}").get_json()["files"][0]["extraction"]
    assert record["status"] == "ocr" and record["pages_done"] == record["pages"] == len(PAGES)
