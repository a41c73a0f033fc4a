"""The librarians' side of digitization: the jobs page, OCR review, each file's OCR quality.

- **Jobs.** What the background jobs are doing (``job_reports.summary``) and
  "retry this failed job" / "retry every failed job", audited.
- **OCR review.** Pages whose recognition fell under the thresholds
  (``review == "pending"``) or failed (``"failed"``) wait on a list; a
  librarian sees the page of the original scan beside its text and accepts
  it, corrects the text (the file's text and index are rebuilt by an
  ``ocr_finish`` job) or has it recognised again (an ``ocr_page`` job).
- **Quality.** Per OCR'd file: pages recognised, mean word confidence, pages
  still to review; for the work page and ``/api/v1/works/<id>``.

Every change goes through a ``UnitOfWork``: access check, change, audit
event, commit; jobs are sent to the workers only after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, object_session

from ingest.page_cache import Refusal
from repo_app import access, resources
from repo_app.access import Action, Actor
from repo_app.errors import NotFound, UserError
from repo_app.models import File, Job, OcrPage, Work
from repo_app.models.jobs import FAILED, QUEUED, RUNNING
from repo_app.services import job_reports, jobs, reader, text_jobs
from repo_app.services.unit_of_work import UnitOfWork

PENDING, ACCEPTED, CORRECTED, REVIEW_FAILED = (text_jobs.PENDING_REVIEW, text_jobs.REVIEW_ACCEPTED,
                                               text_jobs.REVIEW_CORRECTED, text_jobs.REVIEW_FAILED)
TO_REVIEW = (PENDING, REVIEW_FAILED)
REVIEW_PAGE_SIZE = 25
# Wide enough to read a scanned line beside its text; the cache keeps one size per width.
REVIEW_IMAGE_WIDTH = 1200
MAX_CORRECTED_CHARS = 100_000


# --- the jobs page ------------------------------------------------------------------------


def jobs_overview(db: Session, actor: Actor) -> dict[str, Any]:
    """``repo-app jobs``' report: counts by kind and state, pace, running and failed jobs."""
    access.require(actor, Action.MANAGE_JOBS)
    return job_reports.summary(db)


def retry_jobs(db: Session, actor: Actor, job_ids: list[int] | None = None) -> int:
    """Queue failed jobs again (every failed job when ``job_ids`` is None); how many were.

    A retried page of OCR replaces the ``failed`` row it left behind
    (``text_jobs.run_ocr_page``), as ``repo-app jobs --retry`` does.
    """
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.MANAGE_JOBS)
        query = select(Job).where(Job.state == FAILED)
        if job_ids is not None:
            query = query.where(Job.id.in_(job_ids))
        failed = list(db.scalars(query))
        count = jobs.retry(db, [job.id for job in failed])
        uow.audit("jobs.retry", after={"jobs": sorted(job.id for job in failed)
                                       if job_ids is not None else "all failed",
                                       "queued": count})
    return count


def _outstanding(db: Session, key: str) -> bool:
    return db.scalar(select(Job.id).where(Job.unique_key == key)) is not None


def _drop_page(db: Session, row: OcrPage) -> None:
    """Forget a recognised page: its row, its text layer once unreferenced, one page done."""
    file = db.get(File, row.file_id)
    db.delete(row)
    db.flush()
    if row.text_pdf_sha256:
        text_jobs.forget_after_commit(db, [row.text_pdf_sha256])
    if file is not None and file.pages_done:
        file.pages_done = File.pages_done - 1


# --- OCR review ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    """One page on the review list, with the file and work it belongs to."""

    page: OcrPage
    file: File
    work: Work

    @property
    def number(self) -> int:
        """The page as people count (1-based)."""
        return self.page.page + 1


@dataclass(frozen=True)
class ReviewList:
    rows: list[ReviewRow]
    total: int
    page: int
    pages: int
    file_id: int | None = None


def review_list(db: Session, actor: Actor, page: int = 1,
                file_id: int | None = None) -> ReviewList:
    """Pages waiting for review (low quality or failed), newest first, one screen at a time;
    of one file when ``file_id`` is given."""
    access.require(actor, Action.MANAGE_JOBS)
    waiting = OcrPage.review.in_(TO_REVIEW)
    if file_id is not None:
        waiting = waiting & (OcrPage.file_id == file_id)
    total = db.scalar(select(func.count()).select_from(OcrPage).where(waiting)) or 0
    pages = max(1, -(-total // REVIEW_PAGE_SIZE))
    page = min(max(1, page), pages)
    query = (select(OcrPage, File, Work).join(File, File.id == OcrPage.file_id)
             .join(Work, Work.id == File.work_id).where(waiting)
             .order_by(OcrPage.created_at.desc(), OcrPage.id.desc())
             .offset((page - 1) * REVIEW_PAGE_SIZE).limit(REVIEW_PAGE_SIZE))
    rows = [ReviewRow(p, f, w) for p, f, w in db.execute(query)]
    return ReviewList(rows, total, page, pages, file_id)


def review_item(db: Session, actor: Actor, page_id: int) -> ReviewRow:
    """One recognised page for review (404 when there is none; 403 for all but librarians)."""
    access.require(actor, Action.MANAGE_JOBS)
    row = db.get(OcrPage, page_id)
    if row is None:
        raise NotFound()
    file = db.get(File, row.file_id)
    work = file.work
    access.require(actor, Action.REVIEW, work, policy=resources.policy())
    return ReviewRow(row, file, work)


def accept(db: Session, actor: Actor, page_id: int) -> ReviewRow:
    """The recognised text is good enough as it is."""
    item = review_item(db, actor, page_id)
    with UnitOfWork(db, actor) as uow:
        before = item.page.review
        item.page.review, item.page.reviewed_by = ACCEPTED, actor.user_id
        uow.audit("ocr.accept", item.work, before={"review": before},
                  after=_page_facts(item, review=ACCEPTED))
    return item


def correct(db: Session, actor: Actor, page_id: int, text: str) -> ReviewRow:
    """Replace the page's text by the librarian's; the file's text and index are rebuilt."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise UserError("empty_correction", "Type the page's text, or re-run OCR on the page.",
                        field="text")
    if len(text) > MAX_CORRECTED_CHARS:
        raise UserError("long_correction", "A page's text may be at most %(limit)s characters.",
                        field="text", limit=MAX_CORRECTED_CHARS)
    item = review_item(db, actor, page_id)
    with UnitOfWork(db, actor) as uow:
        before = item.page.review
        item.page.text, item.page.review, item.page.reviewed_by = text, CORRECTED, actor.user_id
        item.page.message = ""
        # tesseract's layer holds the misread words; the finish lays out the typed text instead
        text_jobs.forget_after_commit(db, [item.page.text_pdf_sha256])
        item.page.text_pdf_sha256 = None
        if not _pages_outstanding(db, item.file):
            # While other pages are still being recognised, their finish will splice this in.
            text_jobs.queue_finish(db, item.file, **_base(db, item.file))
        uow.audit("ocr.correct", item.work, before={"review": before},
                  after=_page_facts(item, review=CORRECTED, chars=len(text)))
    return item


def rerun(db: Session, actor: Actor, page_id: int) -> Job:
    """Recognise the page again: its row goes, an ``ocr_page`` job comes.

    The job's ``needs`` is the number of pages the file will have once every
    page being recognised is in (rows kept + pages outstanding + this one),
    so whichever page comes in last queues the finish again, and nothing is
    finished while a page is still out.
    """
    item = review_item(db, actor, page_id)
    key = f"ocr:{item.file.id}:{item.page.page}"
    if _outstanding(db, key):
        raise UserError("ocr_page_queued", "This page is already being recognised.", status=409)
    with UnitOfWork(db, actor) as uow:
        file, number = item.file, item.page.page
        facts = _page_facts(item, review=item.page.review)
        _drop_page(db, item.page)
        rows = db.scalar(select(func.count()).select_from(OcrPage)
                         .where(OcrPage.file_id == file.id)) or 0
        payload = {"page": number, "needs": rows + _pages_outstanding(db, file) + 1,
                   **_base(db, file)}
        earlier = db.scalar(select(Job).where(Job.key == key, Job.state == FAILED)
                            .order_by(Job.id.desc()).limit(1))
        if earlier is not None:  # the page's failed job runs again: off the jobs page's list
            earlier.payload = payload
            jobs.retry(db, [earlier.id])
            job = earlier
        else:
            job = jobs.schedule(db, "ocr_page", key, file_id=file.id, payload=payload)
        uow.audit("ocr.rerun", item.work, before=facts, after={"job": job.id})
    return job


def _pages_outstanding(db: Session, file: File) -> int:
    return db.scalar(select(func.count()).select_from(Job).where(
        Job.file_id == file.id, Job.kind == "ocr_page", Job.state.in_((QUEUED, RUNNING)))) or 0


def _base(db: Session, file: File) -> dict[str, str]:
    """What the file's text layer said before OCR (the finish splices pages onto it): from its
    last OCR job when that is still kept, else the file's status now."""
    last = db.scalar(select(Job).where(Job.file_id == file.id,
                                       Job.kind.in_(("ocr_page", "ocr_finish")))
                     .order_by(Job.id.desc()).limit(1))
    if last is not None and "base_status" in last.payload:
        return {"base_status": last.payload["base_status"],
                "base_message": last.payload.get("base_message", "")}
    return {"base_status": file.extraction_status, "base_message": file.extraction_message}


def _page_facts(item: ReviewRow, **extra: Any) -> dict[str, Any]:
    return {"file": item.file.id, "page": item.number, **extra}


def page_image(db: Session, actor: Actor, page_id: int) -> Path:
    """The page of the original scan as a PNG, drawn by the reader's limited worker process
    (the web process never parses a PDF) and kept in the page cache."""
    item = review_item(db, actor, page_id)
    cache = resources.page_cache()
    sha, number = item.file.sha256, item.number
    cached = cache.get(sha, REVIEW_IMAGE_WIDTH, number)
    if isinstance(cached, Path):
        return cached
    if isinstance(cached, Refusal):
        raise _cannot_draw()
    target = cache.image(sha, REVIEW_IMAGE_WIDTH, number)
    result = reader.render_in_slot(sha, number, target, REVIEW_IMAGE_WIDTH)
    if not result.ok:
        cache.refuse(sha, REVIEW_IMAGE_WIDTH, number, Refusal(result.status, result.message))
        raise _cannot_draw()
    return target


def _cannot_draw() -> UserError:
    return UserError("page_not_drawn", "This page of the scan cannot be drawn.", status=422)


# --- quality ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OcrQuality:
    """How far to trust a file's OCR: pages recognised, mean word confidence, pages to review."""

    pages: int
    mean_confidence: float | None
    pages_to_review: int

    def as_json(self) -> dict[str, Any]:
        return {"pages": self.pages, "mean_confidence": self.mean_confidence,
                "pages_to_review": self.pages_to_review}


def ocr_quality(db: Session, file_ids: list[int]) -> dict[int, OcrQuality]:
    """The quality of each of ``file_ids`` that OCR read (one query; files without pages absent)."""
    if not file_ids:
        return {}
    to_review = func.sum(case((OcrPage.review.in_(TO_REVIEW), 1), else_=0))
    query = (select(OcrPage.file_id, func.count(), func.avg(OcrPage.confidence), to_review)
             .where(OcrPage.file_id.in_(file_ids)).group_by(OcrPage.file_id))
    return {file_id: OcrQuality(int(count), round(float(mean), 1) if mean is not None else None,
                                int(review or 0))
            for file_id, count, mean, review in db.execute(query)}


def quality_of_work(work: Work) -> dict[int, OcrQuality]:
    """``ocr_quality`` for the files of a loaded work (in the session that loaded it)."""
    db = object_session(work)
    return ocr_quality(db, [f.id for f in work.files]) if db is not None else {}
