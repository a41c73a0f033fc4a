"""A failed job's reason on /jobs reads as plain words in the page's language (timeout, worker
stopped, file missing, OCR unavailable, too large…), with the recorded error (an exception's
name and text, as ``services.jobs`` writes it) folded under "Technical details" for staff."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from ingest.ocr import OcrTimeout, OcrUnavailable
from repo_app.db import standalone_session
from repo_app.models import Job
from repo_app.models.types import utcnow
from repo_app.services import job_failures, jobs
from tests.helpers import login


def recorded(error: BaseException) -> str:
    """The reason as ``services.jobs`` records a job's exception."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


TIMEOUT = recorded(OcrTimeout("tesseract took longer than the time allowed and was stopped"))
MISSING = recorded(FileNotFoundError(2, "No such file or directory", "/srv/files/ab/abcd"))
NO_OCR = recorded(OcrUnavailable("tesseract is not installed"))
MEMORY = recorded(MemoryError())
ODD = recorded(KeyError("page"))


@pytest.fixture
def failed(app) -> None:
    """Four jobs that failed for good, and one whose worker died (the sweep gives it up)."""
    now = utcnow()
    with standalone_session(app) as db:
        for n, message in enumerate((TIMEOUT, MISSING, NO_OCR, MEMORY, ODD)):
            db.add(Job(kind="ocr_page", key=f"ocr:{n}", state="failed", attempts=4,
                       finished_at=now - timedelta(minutes=n), message=message,
                       payload={"page": n}))
        db.add(Job(kind="extract", key="extract:lost", unique_key="extract:lost", state="running",
                   attempts=4, max_attempts=4, worker="elsewhere:1", started_at=now,
                   heartbeat=now - timedelta(hours=2)))
        db.commit()
        jobs.sweep(db, queue_empty=False)


def reasons(page: str) -> list[tuple[str, str]]:
    """Each failed job's reason cell: (plain words, the technical text folded under them)."""
    cells = re.findall(r'<td class="reason"[^>]*>(.*?)</td>', page, re.S)
    found = []
    for cell in cells:
        details = re.search(r"<details class=\"technical\"><summary>[^<]+</summary>"
                            r"<code>(.*?)</code></details>", cell, re.S)
        plain = cell[:details.start()] if details else cell
        found.append((" ".join(plain.split()), html.unescape(details.group(1)) if details else ""))
    return found


def test_librarians_read_each_reason_in_plain_english_with_the_error_kept(app, client, accounts,
                                                                        failed):
    login(client, "librarian@test.vn")
    page = client.get("/jobs?lang=en").get_data(as_text=True)
    shown = dict((technical, plain) for plain, technical in reasons(page))
    assert shown == {
        "The worker stopped while running this job.": str(job_failures.LABELS["worker_lost"]),
        TIMEOUT: str(job_failures.LABELS["timeout"]),
        MISSING: "A file it needs is missing on the server.",
        NO_OCR: str(job_failures.LABELS["ocr_unavailable"]),
        MEMORY: str(job_failures.LABELS["too_large"]),
        ODD: "An unexpected error stopped it.",
    }
    assert page.count("<summary>Technical details</summary>") == 6


def test_in_vietnamese_no_exception_name_is_outside_the_details(app, client, accounts, failed):
    login(client, "librarian@test.vn")
    page = client.get("/jobs?lang=vi").get_data(as_text=True)
    plain = [words for words, _technical in reasons(page)]
    assert "Tác vụ chạy quá thời gian cho phép nên đã bị dừng." in " ".join(plain)
    assert "Trên máy chủ thiếu một tệp mà tác vụ này cần." in plain
    assert "Máy chủ chưa thể nhận dạng (OCR): chưa cài Tesseract hoặc dữ liệu ngôn ngữ của " \
           "Tesseract." in plain
    for words in plain:
        assert not re.search(r"Error|Timeout|Unavailable|worker|[A-Z]\w+:", words), words
    assert page.count("<summary>Chi tiết kỹ thuật</summary>") == 6


@pytest.mark.parametrize(("message", "kind"), [
    ("OcrTimeout: no time left to run pdftoppm", "timeout"),
    ("TimeoutExpired: Command '['pdftoppm']' timed out after 30 seconds", "timeout"),
    ("The worker stopped while running this job.", "worker_lost"),
    ("FileNotFoundError: staged upload 0a1b is gone", "file_missing"),
    ("OcrUnavailable: tesseract with vie data is not installed", "ocr_unavailable"),
    ("OcrFailed: tesseract wrote no tsv output", "ocr_failed"),
    ("TooManyPages: 4000 pages", "too_large"),
    ("DecompressionBombError: Image size (300000000 pixels) exceeds limit", "too_large"),
    ("StoreFull: No space left on device", "disk_full"),
    ("OSError: [Errno 28] No space left on device", "disk_full"),
    ("PdfiumError: Failed to load document (PDFium: Data format error).", "damaged"),
    ("ImageRejected: “p1.bmp” is not a TIFF, JPEG or PNG image.", "scan_rejected"),
    ("OperationalError: (sqlite3.OperationalError) database is locked", "database_busy"),
    ("KeyError: 'page'", "unknown"),
    ("", "unknown"),
])
def test_each_known_failure_is_recognised(message, kind):
    assert job_failures.kind(message) == kind
