"""A scan's way through the jobs: OCR text, quality per page, a checked searchable copy."""

from __future__ import annotations

import subprocess

from sqlalchemy import select

from repo_app.db import standalone_session
from repo_app.models import File, OcrPage


def reload(app, file_id: int) -> File:
    with standalone_session(app) as db:
        return db.get(File, file_id)


def test_a_scan_gets_ocr_text_page_quality_and_a_searchable_pdfa_copy(app, client, scanned):
    file = reload(app, scanned.id)
    assert file.extraction_status == "ocr" and file.pages_done == file.pages == 2
    with standalone_session(app) as db:
        pages = list(db.scalars(select(OcrPage).where(OcrPage.file_id == file.id)
                                .order_by(OcrPage.page)))
    assert [p.page for p in pages] == [0, 1]
    assert all(p.confidence > 70 and p.valid_ratio > 0.8 and p.words > 3 for p in pages)
    assert client.get("/api/v1/search?q=nuoi tom su soc trang").get_json()["total"] == 1
    copy = app.config["DATA_DIR"] / "files"
    with app.app_context():
        from repo_app import resources

        derivative = resources.store().path(file.derivative_sha256)
    assert derivative.is_file() and str(copy) in str(derivative)
    text = subprocess.run(["pdftotext", str(derivative), "-"], capture_output=True,
                          text=True).stdout
    assert "Sóc Trăng" in text  # the invisible layer is there for any PDF reader
    assert file.derivative_pdfa == (b"pdfaid:part" in derivative.read_bytes())


def test_check_verifies_the_searchable_copy_and_repair_rebuilds_it(app, runner, scanned):
    file = reload(app, scanned.id)
    with app.app_context():
        from repo_app import resources

        path = resources.store().path(file.derivative_sha256)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes().replace(b"%%EOF", b"%%EOX"))
    found = runner.invoke(args=["check"])
    assert found.exit_code != 0 and "altered_derivative" in found.output, found.output
    repaired = runner.invoke(args=["check", "--repair"])
    assert "altered_derivative" in repaired.output
    clean = runner.invoke(args=["check"])
    assert clean.exit_code == 0, clean.output
    assert reload(app, file.id).derivative_sha256 is not None


def test_a_page_given_up_on_is_read_again_when_the_jobs_command_retries_it(app, runner, scanned):
    from repo_app.models import Job
    from repo_app.models.types import utcnow

    with standalone_session(app) as db:
        row = db.scalar(select(OcrPage).where(OcrPage.file_id == scanned.id, OcrPage.page == 1))
        row.text, row.review, row.message = "", "failed", "TimeoutError"
        db.add(Job(kind="ocr_page", key=f"ocr:{scanned.id}:1", state="failed",
                   file_id=scanned.id, payload={"page": 1, "needs": 2, "base_status": "empty",
                                                "base_message": ""},
                   attempts=4, finished_at=utcnow(), message="TimeoutError", worker=""))
        db.commit()
    result = runner.invoke(args=["jobs", "--retry-failed"])
    assert result.exit_code == 0 and "1 job(s) queued again" in result.output, result.output
    with standalone_session(app) as db:
        row = db.scalar(select(OcrPage).where(OcrPage.file_id == scanned.id, OcrPage.page == 1))
        file = db.get(File, scanned.id)
    assert row.review != "failed" and "Sóc Trăng" in row.text
    assert file.pages_done == file.pages == 2
