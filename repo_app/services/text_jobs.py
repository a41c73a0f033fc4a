"""A file's text, made by background jobs: extract, then OCR page by page, then finish.

``extract`` reads the text layer in ingest's limited worker process, with
OCR left out. A file whose pages all have text is done there. Pages without
usable text (a scan, a garbled layer) each become an ``ocr_page`` job, so a
300-page scan spreads over every worker on every host, and a page once
recognised is an ``OcrPage`` row that no crash can take back: a resumed
file recognises only the pages it lacks. When the last page is in,
``ocr_finish`` splices the pages into the text, builds the searchable copy
(the scan with an invisible text layer, PDF/A-2b where ghostscript allows;
the original stays the preservation master) and indexes the work.

Each handler commits its results with its job's end, and checks what is
already done first, so running one twice (a crash after its commit, a
message sent twice) changes nothing.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

if TYPE_CHECKING:  # the PDF and OCR libraries load in workers, when a job runs
    from ingest.extract import Extraction, Extractor
    from ingest.ocr import PageOcr

from repo_app import resources
from repo_app.db import after_commit, standalone_session
from repo_app.models import File, Job, OcrPage
from repo_app.services import indexing, jobs

QUEUED, RUNNING, FAILED = "queued", "running", "failed"
_THREAD = threading.local()
# The review state of a recognised page (OcrPage.review); "" is trusted as recognised.
PENDING_REVIEW, REVIEW_FAILED = "pending", "failed"
REVIEW_ACCEPTED, REVIEW_CORRECTED = "accepted", "corrected"
# Seconds an index job waits for more finished files to join it: one index write (a
# Whoosh commit) for many files instead of one per file; readers wait this long. A
# deposit's reader is waiting; an import's files wait longer, as each index write costs
# about as much for ten works as for one (every distinct word of a segment is a block).
INDEX_DELAY = 2
BATCH_INDEX_DELAY = 30
MSG_QUEUED = "Waiting for a worker to extract the text."
MSG_GAVE_UP = "The background job gave up: {reason}"


# --- queuing ------------------------------------------------------------------------------


def queue_text(db: Session, file: File, *, batch: str = "") -> Job:
    """Queue the extraction of a new (or re-extracted) file, in the caller's transaction."""
    db.flush()
    file.extraction_status, file.extraction_message, file.pages_done = QUEUED, MSG_QUEUED, 0
    return jobs.schedule(db, "extract", f"extract:{file.id}", file_id=file.id, batch=batch)


def start_over(db: Session, file: File) -> Job:
    """Extract and recognise the file again from nothing (a librarian's re-extraction)."""
    rows = list(db.scalars(select(OcrPage).where(OcrPage.file_id == file.id)))
    forget_after_commit(db, [r.text_pdf_sha256 for r in rows] + [file.derivative_sha256])
    for row in rows:
        db.delete(row)
    file.derivative_sha256, file.derivative_size, file.derivative_pdfa = None, None, False
    return queue_text(db, file)


def queue_finish(db: Session, file: File, *, base_status: str, base_message: str,
                 batch: str = "") -> Job:
    """Queue the splice, searchable copy and indexing of a file whose pages are all in."""
    return jobs.schedule(db, "ocr_finish", f"ocr-finish:{file.id}", file_id=file.id, batch=batch,
                         payload={"base_status": base_status, "base_message": base_message})


def queue_index(db: Session, file: File, *, batch: str = "") -> None:
    """Reindex the file's work once the caller commits, through an ``index`` job.

    Files finishing while an index job waits share it: one drain, one index
    commit. A batch's files share a slower one than deposits'.
    """
    indexing.enqueue(db, file.work)
    if batch:
        jobs.schedule(db, "index", "index:batch", delay=BATCH_INDEX_DELAY)
    else:
        jobs.schedule(db, "index", "index", delay=INDEX_DELAY)


@jobs.kind("index")
def run_index(db: Session, job: Job) -> None:
    """Write the queued index changes (the durable queue of ``services.indexing``), except
    works whose text is still being made: they are written once, when it is in.

    A work's metadata never waits for this job: the service that changes a
    work writes it at once, and so does an import that does not wait. Writing
    a work here before its text would write it twice, taking the cores a
    long import's extraction needs (its index job comes due while it runs).
    """
    while indexing.drain(db, text_pending=False):
        pass


# --- extract ------------------------------------------------------------------------------


def _file_failed(db: Session, job: Job) -> None:
    """A text job gave up: the file says so (and why), and keeps whatever text it had."""
    file = db.get(File, job.file_id) if job.file_id else None
    if file is not None:
        file.extraction_status = FAILED
        file.extraction_message = MSG_GAVE_UP.format(reason=job.message)
        queue_index(db, file)


@jobs.kind("extract", give_up=_file_failed)
def run_extract(db: Session, job: Job) -> None:
    """Read the text layer; queue one OCR job per page without usable text."""
    file = db.get(File, job.file_id)
    if file is None:
        return  # the work was deleted meanwhile
    from ingest.extract import extract

    file.extraction_status = RUNNING
    db.commit()
    config = current_app.config
    result = extract(resources.store().path(file.sha256), timeout=config["EXTRACT_TIMEOUT"],
                     memory_mb=config["EXTRACT_MEMORY_MB"], ocr=False,
                     page_limit=config["MAX_PAGES"], extractor=_extractor())
    if result.needs_ocr and _ocr_languages():
        _queue_pages(db, job, file, result)
    else:
        save_extraction(file, result)
        file.pages_done = file.pages or 0
        queue_index(db, file, batch=job.batch)
    jobs.finish(db, job, pages=(file.pages or 0) - len(result.needs_ocr))


def _extractor() -> Extractor:
    """This thread's extraction process, kept from one job to the next (starting one costs
    more than extracting a small thesis)."""
    from ingest.extract import Extractor

    extractor = getattr(_THREAD, "extractor", None)
    if extractor is None:
        extractor = _THREAD.extractor = Extractor()
    return extractor


def _ocr_languages() -> str | None:
    from ingest import ocr

    try:
        return ocr.usable_languages(current_app.config["OCR_LANGUAGES"])
    except ocr.OcrUnavailable:
        return None  # the file keeps its "needs OCR" status


def _queue_pages(db: Session, job: Job, file: File, result: Extraction) -> None:
    """Keep the text layer's pages, and queue the pages OCR must read (those not yet read)."""
    if result.text:
        resources.store().put_text(file.sha256, result.text)
    _record_outcome(file, result)
    file.extraction_status = RUNNING
    done = set(db.scalars(select(OcrPage.page).where(OcrPage.file_id == file.id)))
    file.pages_done = (file.pages or 0) - len(result.needs_ocr) + len(done & set(result.needs_ocr))
    base = {"base_status": result.status, "base_message": result.message,
            "needs": len(result.needs_ocr)}
    for page in result.needs_ocr:
        if page not in done:
            jobs.schedule(db, "ocr_page", f"ocr:{file.id}:{page}", file_id=file.id,
                          batch=job.batch, payload={"page": page, **base})
    if done >= set(result.needs_ocr):
        queue_finish(db, file, base_status=result.status, base_message=result.message,
                     batch=job.batch)


def save_extraction(file: File, result: Extraction) -> None:
    """Keep the text in the store (keyed by checksum) and the outcome on the row."""
    if result.text:
        resources.store().put_text(file.sha256, result.text)
    _record_outcome(file, result)


def _record_outcome(file: File, result: Extraction) -> None:
    file.extraction_status = result.status
    file.extraction_message = result.message
    file.pages = result.pages
    file.chars = result.chars
    file.ocr = result.ocr
    file.legacy_encoding = result.legacy_encoding


# --- one page -----------------------------------------------------------------------------


def _page_failed(db: Session, job: Job) -> None:
    """A page OCR could not read after every attempt: kept as failed, the file goes on."""
    file = db.get(File, job.file_id) if job.file_id else None
    if file is None:
        return
    page = job.payload["page"]
    if db.scalar(select(OcrPage.id).where(OcrPage.file_id == file.id, OcrPage.page == page)):
        return
    db.add(OcrPage(file_id=file.id, page=page, text="", review=REVIEW_FAILED,
                   message=job.message[:500]))
    file.pages_done = File.pages_done + 1
    db.flush()
    _finish_when_complete(db, file, job)


@jobs.kind("ocr_page", give_up=_page_failed)
def run_ocr_page(db: Session, job: Job) -> None:
    """Recognise one page, unless it already was (a page that failed is read again); the last
    page in queues the finish."""
    file = db.get(File, job.file_id)
    if file is None:
        return
    page = job.payload["page"]
    existing = db.scalar(select(OcrPage).where(OcrPage.file_id == file.id, OcrPage.page == page))
    if existing is not None and existing.review != REVIEW_FAILED:
        _finish_when_complete(db, file, job)
        return
    recognised = _recognise(file, page)
    if existing is None:
        file.pages_done = File.pages_done + 1
    else:  # a page given up on earlier, retried by a librarian: its failed row makes way
        db.delete(existing)
        db.flush()
    db.add(recognised)
    jobs.finish(db, job, pages=1)
    db.flush()
    _finish_when_complete(db, file, job)


def _recognise(file: File, page: int) -> OcrPage:
    from ingest import ocr

    config = current_app.config
    store = resources.store()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ocr-", dir=_scratch()) as work:
        result = ocr.recognise_page(store.path(file.sha256), page, Path(work),
                                    languages=config["OCR_LANGUAGES"],
                                    timeout=config["OCR_PAGE_TIMEOUT"])
        layer = store.put_path(result.pdf_page).sha256 if result.pdf_page else None
    return OcrPage(file_id=file.id, page=page, text=result.text,
                   confidence=result.mean_confidence, valid_ratio=result.valid_syllable_ratio,
                   words=result.words, seconds=round(time.monotonic() - started, 2),
                   text_pdf_sha256=layer, review=_review_state(result))


def _review_state(result: PageOcr) -> str:
    """Pages below the thresholds wait for a librarian; an empty page is nothing to review."""
    config = current_app.config
    if result.words == 0:
        return ""
    low = (result.mean_confidence or 0.0) < config["OCR_MIN_CONFIDENCE"] \
        or result.valid_syllable_ratio < config["OCR_MIN_VALID_RATIO"]
    return PENDING_REVIEW if low else ""


def _finish_when_complete(db: Session, file: File, job: Job) -> None:
    have = db.scalar(select(func.count()).select_from(OcrPage).where(OcrPage.file_id == file.id))
    if have >= job.payload["needs"]:
        queue_finish(db, file, base_status=job.payload["base_status"],
                     base_message=job.payload["base_message"], batch=job.batch)


def _scratch() -> Path:
    folder = Path(current_app.config["DATA_DIR"]) / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- finish -------------------------------------------------------------------------------


@jobs.kind("ocr_finish", give_up=_file_failed)
def run_ocr_finish(db: Session, job: Job) -> None:
    """Splice the recognised pages into the text, build the searchable copy, index the work."""
    from ingest.extract import Extraction, complete_with_ocr

    file = db.get(File, job.file_id)
    if file is None:
        return
    rows = list(db.scalars(select(OcrPage).where(OcrPage.file_id == file.id)
                           .order_by(OcrPage.page)))
    store = resources.store()
    base = Extraction(job.payload["base_status"], job.payload["base_message"], file.pages,
                      file.chars, store.get_text(file.sha256) if store.has_text(file.sha256)
                      else "", file.ocr, file.legacy_encoding, tuple(r.page for r in rows))
    recognised = {r.page: r.text for r in rows if r.review != REVIEW_FAILED}
    result = complete_with_ocr(base, recognised,
                               failed=any(r.review == REVIEW_FAILED for r in rows))
    save_extraction(file, result)
    file.pages_done = file.pages or 0
    _attach_derivative(db, file, rows)
    queue_index(db, file, batch=job.batch)
    jobs.finish(db, job)


def _attach_derivative(db: Session, file: File, rows: list[OcrPage]) -> None:
    """The scan with its pages' invisible text: the copy downloads and the reader serve."""
    from ingest.searchable_pdf import DerivativeFailed, build

    store = resources.store()
    layers = {r.page: store.path(r.text_pdf_sha256) for r in rows if r.text_pdf_sha256}
    corrected = {r.page: r.text for r in rows if r.review == REVIEW_CORRECTED}
    if not layers and not corrected:
        return
    with tempfile.TemporaryDirectory(prefix="derivative-", dir=_scratch()) as work:
        layers.update(_typed_layers(corrected, Path(work)))
        try:
            made = build(store.path(file.sha256), layers, Path(work) / "searchable.pdf")
        except DerivativeFailed as error:
            file.extraction_message += f" {error}"
            return
        blob = store.put_path(made.path)
    if file.derivative_sha256 != blob.sha256:
        forget_after_commit(db, [file.derivative_sha256])
    file.derivative_sha256, file.derivative_size, file.derivative_pdfa = (
        blob.sha256, blob.size, made.pdfa)


def _typed_layers(texts: dict[int, str], folder: Path) -> dict[int, Path]:
    """Layers from the text librarians typed: a corrected page's words replace tesseract's."""
    from ingest.text_layer import write_text_layer

    return {page: write_text_layer(text, folder / f"typed-{page}.pdf")
            for page, text in texts.items()}


def forget_after_commit(db: Session, shas: list[str | None]) -> None:
    """Delete replaced blobs (an old searchable copy, old page layers) once the change that
    replaced them commits, unless some row still refers to the same bytes."""
    app = current_app._get_current_object()
    wanted = {sha for sha in shas if sha}

    def forget() -> None:
        with app.app_context(), standalone_session(app) as fresh:
            for sha in wanted - _blobs_in_use(fresh, wanted):
                resources.store().delete(sha)
    if wanted:
        after_commit(db, forget)


def _blobs_in_use(db: Session, shas: set[str]) -> set[str]:
    """Which of ``shas`` a file, a searchable copy or a page layer still refers to."""
    used: set[str] = set()
    for column in (File.sha256, File.derivative_sha256, OcrPage.text_pdf_sha256):
        used.update(db.scalars(select(column).where(column.in_(shas))))
    return used
