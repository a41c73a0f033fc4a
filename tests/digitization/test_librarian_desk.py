"""The librarians' desk for digitization, over HTTP: the jobs page, OCR review, quality shown.

A real two-page scan, OCR'd by real tesseract; jobs run right after each commit.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from repo_app.db import standalone_session
from repo_app.models import AuditEvent, File, Job, OcrPage
from repo_app.models.types import utcnow
from repo_app.services import jobs
from tests.helpers import csrf_token, login


def in_db(app, read):
    with standalone_session(app) as db:
        return read(db)


def ocr_rows(app, file_id: int) -> list[OcrPage]:
    return in_db(app, lambda db: list(db.scalars(
        select(OcrPage).where(OcrPage.file_id == file_id).order_by(OcrPage.page))))


def audit_actions(app) -> list[str]:
    return in_db(app, lambda db: list(db.scalars(select(AuditEvent.action))))


def as_role(app, role: str):
    client = app.test_client()
    login(client, f"{role}@test.vn")
    client.get("/lang/en")  # the pages in English (Vietnamese is the default)
    return client


def post(client, url: str, data: dict | None = None, token_from: str = "/"):
    return client.post(url, data={"csrf_token": csrf_token(client, token_from), **(data or {})})


@pytest.fixture
def strict(app):
    """Thresholds no page meets, so the scan's pages wait on the review list."""
    app.config["OCR_MIN_CONFIDENCE"] = 101
    return app


@pytest.fixture
def librarian(app, accounts):
    return as_role(app, "librarian")


def test_the_jobs_page_shows_counts_pace_and_files_to_librarians(app, scanned, librarian):
    page = librarian.get("/jobs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "OCR of a page" in html and "Text extraction" in html
    assert "Pages per minute over the last hour" in html
    counts = re.search(r"OCR of a page</th>((?:<td[^>]*>\d+</td>){4})", html).group(1)
    assert re.findall(r"\d+", counts) == ["0", "0", "0", "2"]  # queued, running, failed, done
    assert "No job has failed." in html
    assert 'href="/jobs"' in librarian.get("/").get_data(as_text=True)  # the Digitization link


@pytest.mark.parametrize("role", ["reader", "depositor"])
@pytest.mark.parametrize("url", ["/jobs", "/review/ocr", "/review/ocr/{id}",
                                 "/review/ocr/{id}/image.png"])
def test_readers_and_depositors_are_refused(app, accounts, strict, scanned, role, url):
    page_id = ocr_rows(app, scanned.id)[0].id
    client = as_role(app, role)
    response = client.get(url.format(id=page_id))
    assert response.status_code == 403
    assert "Tôm sú" not in response.get_data(as_text=True)
    assert 'href="/jobs"' not in client.get("/").get_data(as_text=True)


def test_guests_are_sent_to_log_in(app, scanned):
    response = app.test_client().get("/jobs")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["reader", "depositor"])
@pytest.mark.parametrize("action", ["accept", "rerun", "correct"])
def test_readers_and_depositors_cannot_act_on_a_page(app, accounts, strict, scanned, role,
                                                     action):
    row = ocr_rows(app, scanned.id)[0]
    client = as_role(app, role)
    response = post(client, f"/review/ocr/{row.id}/{action}", {"text": "Sửa"})
    assert response.status_code == 403
    after = ocr_rows(app, scanned.id)[0]
    assert (after.id, after.review, after.text) == (row.id, "pending", row.text)
    retry = post(client, "/jobs/retry-failed")
    assert retry.status_code == 403


def test_actions_without_a_csrf_token_are_refused(app, strict, scanned, librarian):
    row = ocr_rows(app, scanned.id)[0]
    for action in ("accept", "rerun", "correct"):
        response = librarian.post(f"/review/ocr/{row.id}/{action}", data={"text": "Sửa"})
        assert response.status_code == 400
    assert librarian.post("/jobs/retry-failed").status_code == 400
    after = ocr_rows(app, scanned.id)[0]
    assert (after.id, after.review) == (row.id, "pending")
    assert not [a for a in audit_actions(app) if a.startswith(("ocr.", "jobs."))]


def test_the_review_list_shows_pending_pages_newest_first(app, strict, scanned, librarian):
    rows = ocr_rows(app, scanned.id)
    html = librarian.get("/review/ocr").get_data(as_text=True)
    assert "2 pages waiting" in html and "luan-van.pdf" in html
    links = re.findall(r'href="/review/ocr/(\d+)"', html)
    assert sorted(int(i) for i in links) == sorted(r.id for r in rows)
    assert int(links[0]) == max(r.id for r in rows)  # the newest page first
    assert "Nuôi tôm sú" in html
    by_file = librarian.get(f"/review/ocr?file={scanned.id}").get_data(as_text=True)
    assert "2 pages waiting" in by_file
    assert "0 pages waiting" in librarian.get(f"/review/ocr?file={scanned.id + 1}").get_data(
        as_text=True)


def test_the_review_list_is_paginated(app, strict, scanned, librarian, monkeypatch):
    from repo_app.services import digitization

    monkeypatch.setattr(digitization, "REVIEW_PAGE_SIZE", 1)
    first = librarian.get("/review/ocr").get_data(as_text=True)
    second = librarian.get("/review/ocr?page=2").get_data(as_text=True)
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert "Page 2 of 2" in second and 'rel="prev"' in second
    assert re.findall(r'href="/review/ocr/(\d+)"', first) != \
        re.findall(r'href="/review/ocr/(\d+)"', second)


def test_a_page_shows_the_original_scan_beside_its_text(app, strict, scanned, librarian):
    row = ocr_rows(app, scanned.id)[1]
    page = librarian.get(f"/review/ocr/{row.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Page 2 of luan-van.pdf" in html
    assert "Sóc Trăng" in html  # the recognised text, in the correction box
    assert f'/review/ocr/{row.id}/image.png' in html
    assert "Mean word confidence" in html and "Valid Vietnamese syllables" in html
    image = librarian.get(f"/review/ocr/{row.id}/image.png")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.data.startswith(b"\x89PNG") and len(image.data) > 5000
    assert "no-store" in image.headers["Cache-Control"]
    assert librarian.get("/review/ocr/999999").status_code == 404


def test_vietnamese_librarians_get_the_pages_in_vietnamese(app, strict, scanned, librarian):
    librarian.get("/lang/vi")
    row = ocr_rows(app, scanned.id)[0]
    html = librarian.get(f"/review/ocr/{row.id}").get_data(as_text=True)
    assert "Chấp nhận" in html and "Nhận dạng lại" in html
    assert "Accept as recognised" not in html
    jobs_page = librarian.get("/jobs").get_data(as_text=True)
    assert "Tác vụ nền" in jobs_page and "Background jobs" not in jobs_page


def test_accepting_a_page_takes_it_off_the_list_and_is_audited(app, strict, scanned, librarian,
                                                                accounts):
    row = ocr_rows(app, scanned.id)[0]
    response = post(librarian, f"/review/ocr/{row.id}/accept", token_from=f"/review/ocr/{row.id}")
    assert response.status_code == 302
    after = ocr_rows(app, scanned.id)[0]
    assert (after.review, after.reviewed_by) == ("accepted", accounts["librarian"])
    assert "1 page waiting" in librarian.get("/review/ocr").get_data(as_text=True)
    assert "ocr.accept" in audit_actions(app)


def test_a_corrected_page_replaces_the_text_and_the_index_is_rebuilt(app, client, strict, scanned,
                                                                      librarian):
    assert client.get("/api/v1/search?q=ca tra an giang").get_json()["total"] == 0
    row = ocr_rows(app, scanned.id)[0]
    text = "Trường Đại học Cần Thơ\nLuận văn về cá tra ở An Giang"
    response = post(librarian, f"/review/ocr/{row.id}/correct", {"text": text},
                    token_from=f"/review/ocr/{row.id}")
    assert response.status_code == 302
    after = ocr_rows(app, scanned.id)[0]
    assert (after.review, after.text) == ("corrected", text)
    file = in_db(app, lambda db: db.get(File, scanned.id))
    assert file.extraction_status == "ocr" and file.pages_done == file.pages == 2
    assert client.get("/api/v1/search?q=ca tra an giang").get_json()["total"] == 1
    assert client.get("/api/v1/search?q=soc trang").get_json()["total"] == 1  # page 2 kept
    finishes = in_db(app, lambda db: db.scalar(select(Job.id).where(
        Job.kind == "ocr_finish", Job.state == "done").order_by(Job.id.desc())))
    assert finishes is not None
    assert "ocr.correct" in audit_actions(app)
    copy = searchable_text(app, scanned.id, page=1)
    assert "cá tra ở An Giang" in copy  # the typed words are in the PDF a reader downloads,
    assert "Nghiên cứu nuôi tôm" not in copy  # and tesseract's reading of that page is gone
    assert "Sóc Trăng" in searchable_text(app, scanned.id, page=2)  # page 2 keeps its own


def searchable_text(app, file_id: int, *, page: int) -> str:
    """What pdftotext reads on one page of the file's searchable copy."""
    import subprocess

    from repo_app import resources

    with app.app_context():
        sha = in_db(app, lambda db: db.get(File, file_id).derivative_sha256)
        path = resources.store().path(sha)
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_an_empty_correction_is_refused_with_a_message(app, strict, scanned, librarian):
    row = ocr_rows(app, scanned.id)[0]
    response = post(librarian, f"/review/ocr/{row.id}/correct", {"text": "   "},
                    token_from=f"/review/ocr/{row.id}")
    assert response.status_code == 400
    assert "This field is required." in response.get_data(as_text=True)
    assert ocr_rows(app, scanned.id)[0].review == "pending"


def test_a_page_run_again_is_recognised_again_and_the_file_finished_again(app, strict, scanned,
                                                                           librarian):
    old = ocr_rows(app, scanned.id)[1]
    finished_before = in_db(app, lambda db: db.scalar(select(Job.id).where(
        Job.kind == "ocr_finish", Job.state == "done").order_by(Job.id.desc())))
    response = post(librarian, f"/review/ocr/{old.id}/rerun", token_from=f"/review/ocr/{old.id}")
    assert response.status_code == 302
    rows = ocr_rows(app, scanned.id)
    assert [r.page for r in rows] == [0, 1]
    # A new row (timestamps are to the second, so "later" may be "the same second"); the two
    # done runs below show the page was recognised again.
    assert rows[1].created_at >= old.created_at and "Sóc Trăng" in rows[1].text
    runs = in_db(app, lambda db: list(db.scalars(select(Job.state).where(
        Job.key == f"ocr:{scanned.id}:1"))))
    assert runs == ["done", "done"]  # recognised once by the import, once more on request
    file = in_db(app, lambda db: db.get(File, scanned.id))
    assert file.extraction_status == "ocr" and file.pages_done == file.pages == 2
    finished_after = in_db(app, lambda db: db.scalar(select(Job.id).where(
        Job.kind == "ocr_finish", Job.state == "done").order_by(Job.id.desc())))
    assert finished_after > finished_before  # the finish ran again after the page came back
    assert in_db(app, jobs.outstanding) == 0
    assert "ocr.rerun" in audit_actions(app)


def test_a_failed_page_is_listed_with_its_reason_and_a_retry_reads_it(app, client, scanned,
                                                                     librarian):
    """A page that timed out on every attempt: failed job on the jobs page, failed page on the
    review list; the librarian's Retry recognises it and finishes the file again."""
    row = ocr_rows(app, scanned.id)[0]
    app.config["OCR_PAGE_TIMEOUT"] = 0.01
    post(librarian, f"/review/ocr/{row.id}/rerun", token_from=f"/review/ocr/{row.id}")
    job_id = in_db(app, lambda db: db.scalar(select(Job.id).where(
        Job.key == f"ocr:{scanned.id}:0", Job.state == "queued")))
    assert job_id is not None  # the first attempt failed and waits for its backoff

    def last_attempt(db):
        db.execute(update(Job).where(Job.id == job_id).values(run_after=utcnow(),
                                                               max_attempts=1))
        db.commit()
    in_db(app, last_attempt)
    assert jobs.run(app, job_id) == "failed"
    failed_row = ocr_rows(app, scanned.id)[0]
    assert failed_row.review == "failed"

    html = librarian.get("/jobs").get_data(as_text=True)
    assert f"/jobs/{job_id}/retry" in html and "Retry all failed" in html
    assert "page 1" in html and f'href="/works/{scanned.work_id}"' in html
    reason = in_db(app, lambda db: db.get(Job, job_id)).message
    assert reason and reason[:30] in html  # kept under "Technical details"
    assert "It took longer than the time allowed and was stopped." in html
    assert "OCR failed" in librarian.get("/review/ocr").get_data(as_text=True)
    failed_page = librarian.get(f"/review/ocr/{failed_row.id}").get_data(as_text=True)
    assert "It took longer than the time allowed" in failed_page
    assert "<summary>Technical details</summary>" in failed_page

    app.config["OCR_PAGE_TIMEOUT"] = 300
    response = post(librarian, f"/jobs/{job_id}/retry", token_from="/jobs")
    assert response.status_code == 302
    job = in_db(app, lambda db: db.get(Job, job_id))
    assert job.state == "done"
    rows = ocr_rows(app, scanned.id)
    assert [r.review for r in rows] == ["", ""] and "Cần Thơ" in rows[0].text
    file = in_db(app, lambda db: db.get(File, scanned.id))
    assert file.extraction_status == "ocr" and file.pages_done == file.pages == 2
    assert "No job has failed." in librarian.get("/jobs").get_data(as_text=True)
    assert "jobs.retry" in audit_actions(app)


def test_retry_all_failed_with_nothing_failed_says_so(app, scanned, librarian):
    response = post(librarian, "/jobs/retry-failed", token_from="/jobs")
    assert response.status_code == 302
    assert "No failed job was queued again." in librarian.get("/jobs").get_data(as_text=True)


def test_the_api_gives_an_ocr_files_quality(app, client, strict, scanned, publish):
    record = client.get(f"/api/v1/works/{scanned.work_id}").get_json()
    ocr = record["files"][0]["ocr"]
    assert ocr["pages"] == 2 and ocr["pages_to_review"] == 2
    assert 70 < ocr["mean_confidence"] <= 100
    assert record["files"][0]["extraction"]["status"] == "ocr"
    born_digital = publish("Luận văn có lớp chữ")
    assert "ocr" not in client.get(f"/api/v1/works/{born_digital}").get_json()["files"][0]


def test_the_work_page_shows_ocr_quality_to_librarians_only(app, accounts, strict, scanned,
                                                            librarian):
    url = f"/works/{scanned.work_id}"
    html = librarian.get(url).get_data(as_text=True)
    assert "OCR read 2 pages" in html and "mean word confidence" in html
    assert f"/review/ocr?file={scanned.id}" in html and "2 pages to review" in html
    for client in (app.test_client(), as_role(app, "reader")):
        assert "OCR read" not in client.get(url).get_data(as_text=True)


def test_the_work_page_shows_a_files_progress_while_its_text_is_made(app, scanned, librarian):
    def half_done(db):
        db.execute(update(File).where(File.id == scanned.id)
                   .values(extraction_status="running", pages_done=1))
        db.commit()
    in_db(app, half_done)
    for client, words in ((app.test_client(), "Đã xong 1/2 trang."),
                          (librarian, "1 of 2 pages done.")):
        html = client.get(f"/works/{scanned.work_id}").get_data(as_text=True)
        assert re.search(r'<progress[^>]*value="1" max="2"', html)
        assert words in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # plain HTML: no inline script
    record = app.test_client().get(f"/api/v1/works/{scanned.work_id}").get_json()
    extraction = record["files"][0]["extraction"]
    assert (extraction["status"], extraction["pages_done"], extraction["pages"]) == \
        ("running", 1, 2)
