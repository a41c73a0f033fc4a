"""Batch import of the back catalogue from a manifest (``repo-app import``).

The manifest is validated first; bad rows are reported with their line and
reason while good rows go on. Each good row is one transaction: its files
are stored under their checksum, its work created, linked to its holding
and published, and its files' text queued as background jobs
(``services.text_jobs``) under the import's ``batch`` id. So an
interrupted import resumes where it stopped: a re-run skips every row whose
files are already in a work, and the jobs of the rows already written are
in the jobs table, to be run by any worker.

``run`` returns once every row is written and queued (the works wait in
the index queue: the caller drains it, at once or as their text comes);
``settle`` fills the report with each file's final outcome once the batch's
jobs are done (the command waits for that, working the queue itself,
unless ``--no-wait``).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ingest.batch import ManifestRow, read_manifest
from ingest.fixity import sha256_path
from repo_app.access import Actor
from repo_app.errors import UserError
from repo_app.models import File, Job, Work
from repo_app.models.types import utcnow
from repo_app.services import files, holdings, import_messages, scanning, text_jobs, works
from repo_app.spreadsheet import csv_writer
from repo_app.vocab import TEXT_IN_PROGRESS, AccessLevel, WorkType


@dataclass
class Outcome:
    """One line of the import report."""

    line: int
    file: str
    status: str
    message: str
    work_id: int | None = None
    file_id: int | None = None


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    skipped: int = 0
    bad_rows: int = 0
    files_extracted: int = 0
    pages: int = 0
    seconds: float = 0.0
    batch: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    # Files of an interrupted run's works whose text this run waited for (``_adopt``).
    adopted: list[int] = field(default_factory=list)
    report_path: Path | None = None

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes
                if o.status not in ("imported", "skipped", "ok", "ocr", "queued", "running")]


def run(db: Session, actor: Actor, base_dir: Path, manifest_path: Path, *,
        dry_run: bool = False) -> ImportReport:
    """Write and queue every good row of the manifest; see the module docstring."""
    started = time.monotonic()
    report = ImportReport(batch=f"import-{utcnow():%Y%m%d%H%M%S}-{secrets.token_hex(3)}")
    manifest = read_manifest(manifest_path, base_dir, types={t.value for t in WorkType},
                             access_levels={a.value for a in AccessLevel})
    report.rows = len(manifest.rows) + len({e.line for e in manifest.errors})
    for error in manifest.errors:
        report.outcomes.append(Outcome(error.line, error.column, "invalid",
                                       import_messages.row_error(error)))
    report.bad_rows = len({e.line for e in manifest.errors})
    if dry_run:
        _plan(db, manifest.rows, report)
    else:
        last_before_run = _last_work_id(db)
        for row in sorted(manifest.rows, key=_bytes_of, reverse=True):
            _import_row(db, actor, row, report, last_before_run)
    report.seconds = time.monotonic() - started
    return report


def settle(db: Session, report: ImportReport, *, seconds: float | None = None) -> Path:
    """Fill in each imported file's outcome as it is now, and write the CSV report."""
    db.expire_all()
    report.files_extracted = report.pages = 0
    for outcome in report.outcomes:
        file = db.get(File, outcome.file_id) if outcome.file_id else None
        if file is not None:
            outcome.status, outcome.message = file.extraction_status, import_messages.extraction(file)
            _count_text(report, file)
    for file_id in report.adopted:
        if (file := db.get(File, file_id)) is not None:
            _count_text(report, file)
    if seconds is not None:
        report.seconds = seconds
    report.report_path = _write_report(report)
    return report.report_path


def _count_text(report: ImportReport, file: File) -> None:
    report.files_extracted += file.extraction_status not in TEXT_IN_PROGRESS
    report.pages += file.pages or 0


def _bytes_of(row: ManifestRow) -> int:
    """The size of the row's files: rows are written, so their text queued, largest first.

    The longest extractions start first and the last to finish are short
    ones (the longest-processing-time rule), so no worker is left with a
    large file while the others idle; the report keeps the manifest's order.
    Rows of the same size keep their order, so of two rows naming the same
    file the later one is the duplicate.
    """
    return sum(_size(path) for path in row.files)


def _size(path: Path) -> int:
    if path.is_dir():  # a folder of page images
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size if path.exists() else 0


def _last_work_id(db: Session) -> int:
    return db.scalar(select(func.max(Work.id))) or 0


def _already_imported(db: Session, row: ManifestRow, shas: list[str],
                      last_before_run: int) -> Work | None:
    """The work a previous run made of this row: one holding any of its files, or,
    for a row without files, one with its title and year.

    Works made by the current run do not count, so a manifest naming the
    same file twice is reported as a duplicate, as it would be anywhere else.
    """
    if shas:
        file = db.scalar(select(File).where(File.sha256.in_(shas),
                                            File.work_id <= last_before_run).limit(1))
        return file.work if file is not None else None
    return db.scalar(select(Work).where(Work.title == row.title, Work.year == row.year,
                                       Work.id <= last_before_run).limit(1))


def _plan(db: Session, rows: list[ManifestRow], report: ImportReport) -> None:
    """A dry run: say what would happen to each row, writing nothing."""
    last = _last_work_id(db)
    for row in rows:
        existing = _already_imported(db, row, _source_shas(db, row, last), last)
        status = "skipped" if existing else "would_import"
        report.outcomes.append(Outcome(row.line, ";".join(p.name for p in row.files), status, ""))


def _import_row(db: Session, actor: Actor, row: ManifestRow, report: ImportReport,
                last_before_run: int) -> None:
    """Store the row's files and write its work, or report why not; other rows go on.

    A row a previous run wrote is known by its files' checksums, read where
    they lie: a re-run of a large import copies nothing it already has.
    Page images become a PDF only once staged, so those rows are known
    after staging.
    """
    shas = _source_shas(db, row, last_before_run)
    existing = _already_imported(db, row, shas, last_before_run) if shas else None
    staged: list[files.StagedFile] = []
    if existing is None:
        staged = _stage_files(row, report)
        existing = _already_imported(db, row, [s.sha256 for s in staged], last_before_run)
    if existing is not None:
        for item in staged:
            files.discard(item)
        report.skipped += 1
        report.outcomes.append(Outcome(row.line, "", "skipped", import_messages.already_imported(),
                                       existing.id))
        report.adopted += _adopt(db, existing, report.batch)
        return
    _write_work(db, actor, row, staged, report)


def _source_shas(db: Session, row: ManifestRow, last_before_run: int) -> list[str]:
    """The checksums, read where they lie, of the row's plain files that have the size of a
    file already in a work (page images have none yet): a first import reads no file twice."""
    sizes = {path: path.stat().st_size for path in row.files
             if path.is_file() and not scanning.is_images(path)}
    known = set(db.scalars(select(File.size).where(File.size.in_(set(sizes.values())),
                                                   File.work_id <= last_before_run)))
    return [sha256_path(path) for path, size in sizes.items() if size in known]


def _adopt(db: Session, work: Work, batch: str) -> list[int]:
    """A re-run waits for the text of works an interrupted run wrote but did not finish:
    their outstanding jobs join this run's batch, and a file whose job is lost is queued again.
    Returns the files it waits for, which its summary counts."""
    adopted = [file for file in work.files if file.extraction_status in TEXT_IN_PROGRESS]
    for file in adopted:
        moved = db.execute(update(Job).where(Job.file_id == file.id,
                                             Job.state.in_(("queued", "running")))
                           .values(batch=batch)).rowcount
        if not moved:
            text_jobs.queue_text(db, file, batch=batch)
    db.commit()
    return [file.id for file in adopted]


def _stage_files(row: ManifestRow, report: ImportReport) -> list[files.StagedFile]:
    staged = []
    for path in row.files:
        try:
            if scanning.is_images(path):  # a folder or ZIP of page images: one PDF
                staged.append(scanning.stage_images(path)[0])
                continue
            with path.open("rb") as stream:
                staged.append(files.stage(stream, path.name, pdf_only=False))
        except UserError as exc:
            report.outcomes.append(Outcome(row.line, path.name, exc.code, import_messages.refusal(exc)))
    return staged


def _fields(db: Session, row: ManifestRow) -> works.WorkFields:
    collection = works.faculty_named(db, row.faculty) if row.faculty else None
    return works.WorkFields(
        title=row.title, type=row.type, year=row.year, creators=list(row.creators),
        advisors=list(row.advisors), abstract=row.abstract, keywords=list(row.keywords),
        title_en=row.title_en, abstract_en=row.abstract_en, keywords_en=list(row.keywords_en),
        language=row.language or "vi", collection_id=collection.id if collection else None,
        degree_name=row.degree, discipline=row.discipline,
    )


def _write_work(db: Session, actor: Actor, row: ManifestRow, staged: list[files.StagedFile],
                report: ImportReport) -> bool:
    """Create and publish the row's work, its text queued; False if the row was bad."""
    try:
        work = works.create(db, actor, _fields(db, row), staged, submit=bool(staged),
                            batch=report.batch, terms=works.library_terms())
        linked = holdings.link_work(db, row.holding_id, work) if row.holding_id else None
        settings = works.AccessSettings(level=row.access, embargo_until=row.embargo_until,
                                        reason="batch import")
        works.publish(db, actor, work, settings, "batch import", drain=False)
    except UserError as exc:
        db.rollback()
        report.bad_rows += 1
        report.outcomes.append(Outcome(row.line, "", exc.code, import_messages.refusal(exc)))
        return False
    report.imported += 1
    if linked is False:
        report.outcomes.append(Outcome(row.line, "", "holding_not_found",
                                       import_messages.holding_not_found(row.holding_id), work.id))
    for item, file in zip(staged, work.files, strict=True):
        report.outcomes.append(Outcome(row.line, item.name, file.extraction_status,
                                       import_messages.extraction(file), work.id, file.id))
    return True


def _write_report(report: ImportReport) -> Path:
    folder = Path(current_app.config["DATA_DIR"]) / "import-reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"import-{utcnow():%Y%m%d-%H%M%S}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv_writer(handle)
        writer.writerow(["line", "file", "status", "message", "work_id"])
        for o in sorted(report.outcomes, key=lambda o: o.line):
            writer.writerow([o.line, o.file, o.status, o.message, o.work_id or ""])
    return path
