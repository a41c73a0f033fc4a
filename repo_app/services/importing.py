"""Batch import of the back catalogue from a manifest (``repo-app import``).

The manifest is validated first; bad rows are reported with their line and
reason while good rows go on. Files are stored under their checksum and
extracted by N worker processes; works are written by this one process
(the database and the index have one writer). Each work is committed as
soon as its files are extracted, so an interrupted import resumes where it
stopped: a re-run skips every row whose files are already in a work.
"""

from __future__ import annotations

import csv
import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.batch import ManifestRow, read_manifest
from ingest.extract import Extraction, extract_many
from repo_app import resources
from repo_app.access import Actor
from repo_app.errors import UserError
from repo_app.models import File, Work
from repo_app.models.types import utcnow
from repo_app.services import files, holdings, indexing, works
from repo_app.textfold import slug
from repo_app.vocab import AccessLevel, WorkType

INDEX_BATCH = 50
Progress = Callable[[str, Extraction], None]


@dataclass
class Outcome:
    """One line of the import report."""

    line: int
    file: str
    status: str
    message: str
    work_id: int | None = None


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    skipped: int = 0
    bad_rows: int = 0
    files_extracted: int = 0
    pages: int = 0
    seconds: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)
    report_path: Path | None = None

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status not in ("imported", "skipped", "ok")]


@dataclass
class _PendingRow:
    row: ManifestRow
    staged: list[files.StagedFile]


def run(db: Session, actor: Actor, base_dir: Path, manifest_path: Path, *, workers: int = 1,
        dry_run: bool = False, on_file: Progress | None = None) -> ImportReport:
    """Import every good row of the manifest; see the module docstring for the guarantees."""
    started = time.monotonic()
    report = ImportReport()
    manifest = read_manifest(manifest_path, base_dir, types={t.value for t in WorkType},
                             access_levels={a.value for a in AccessLevel})
    report.rows = len(manifest.rows) + len({e.line for e in manifest.errors})
    for error in manifest.errors:
        report.outcomes.append(Outcome(error.line, error.column, "invalid", error.message))
    report.bad_rows = len({e.line for e in manifest.errors})
    if dry_run:
        _plan(db, manifest.rows, report)
    else:
        pending = _stage_rows(db, manifest.rows, report)
        _extract_and_write(db, actor, pending, report, workers, on_file)
    report.seconds = time.monotonic() - started
    if not dry_run:
        report.report_path = _write_report(report)
    return report


def _already_imported(db: Session, row: ManifestRow, shas: list[str]) -> Work | None:
    if shas:
        file = db.scalar(select(File).where(File.sha256.in_(shas)).limit(1))
        return file.work if file is not None else None
    return db.scalar(select(Work).where(Work.title == row.title, Work.year == row.year).limit(1))


def _plan(db: Session, rows: list[ManifestRow], report: ImportReport) -> None:
    """A dry run: say what would happen to each row, writing nothing."""
    for row in rows:
        existing = _already_imported(db, row, [])
        status = "skipped" if existing else "would_import"
        report.outcomes.append(Outcome(row.line, ";".join(p.name for p in row.files), status, ""))


def _stage_rows(db: Session, rows: list[ManifestRow], report: ImportReport) -> list[_PendingRow]:
    pending = []
    for row in rows:
        staged = []
        for path in row.files:
            try:
                with path.open("rb") as stream:
                    staged.append(files.stage(stream, path.name, pdf_only=False))
            except UserError as exc:
                report.outcomes.append(Outcome(row.line, path.name, exc.code, str(exc)))
        existing = _already_imported(db, row, [s.sha256 for s in staged])
        if existing is not None:
            report.skipped += 1
            report.outcomes.append(Outcome(row.line, "", "skipped",
                                           "already imported", existing.id))
            continue
        pending.append(_PendingRow(row, staged))
    return pending


def _extract_and_write(db: Session, actor: Actor, pending: list[_PendingRow],
                       report: ImportReport, workers: int, on_file: Progress | None) -> None:
    """Extract in worker processes; write each work as soon as all its files are done."""
    store = resources.store()
    wanted = {s.sha256: store.path(s.sha256) for p in pending for s in p.staged}
    results: dict[str, Extraction] = {}
    waiting = list(pending)
    for row in [p for p in waiting if not p.staged]:
        _write_work(db, actor, row, results, report)
    waiting = [p for p in waiting if p.staged]
    config = current_app.config
    for sha, result in extract_many(wanted.items(), workers=workers,
                                    timeout=config["EXTRACT_TIMEOUT"],
                                    memory_mb=config["EXTRACT_MEMORY_MB"]):
        if result.text:
            store.put_text(sha, result.text)
        results[sha] = dataclasses.replace(result, text="")
        report.files_extracted += 1
        report.pages += result.pages or 0
        if on_file is not None:
            on_file(sha, result)
        ready = [p for p in waiting if all(s.sha256 in results for s in p.staged)]
        for row in ready:
            _write_work(db, actor, row, results, report)
        waiting = [p for p in waiting if p not in ready]
    indexing.drain(db)


def _fields(db: Session, row: ManifestRow) -> works.WorkFields:
    collection = works.collection_by_code(db, slug(row.faculty), row.faculty) if row.faculty \
        else None
    return works.WorkFields(
        title=row.title, type=row.type, year=row.year, creators=list(row.creators),
        advisors=list(row.advisors), abstract=row.abstract, keywords=list(row.keywords),
        language=row.language or "vi", collection_id=collection.id if collection else None,
        degree_name=row.degree, discipline=row.discipline,
    )


def _write_work(db: Session, actor: Actor, pending: _PendingRow,
                results: dict[str, Extraction], report: ImportReport) -> None:
    row = pending.row
    try:
        work = works.create(db, actor, _fields(db, row), pending.staged,
                            submit=bool(pending.staged),
                            extracted=results)
        linked = holdings.link_work(db, row.holding_id, work) if row.holding_id else None
        settings = works.AccessSettings(level=row.access, embargo_until=row.embargo_until,
                                        reason="batch import")
        works.publish(db, actor, work, settings, "batch import", drain=False)
    except UserError as exc:
        db.rollback()
        report.bad_rows += 1
        report.outcomes.append(Outcome(row.line, "", exc.code, str(exc)))
        return
    report.imported += 1
    if linked is False:
        report.outcomes.append(Outcome(row.line, "", "holding_not_found",
                                       f"holding_id {row.holding_id} is not in the holdings register",
                                       work.id))
    for staged, file in zip(pending.staged, work.files, strict=True):
        report.outcomes.append(Outcome(row.line, staged.name, file.extraction_status,
                                       file.extraction_message, work.id))
    if report.imported % INDEX_BATCH == 0:
        indexing.drain(db)


def _write_report(report: ImportReport) -> Path:
    folder = Path(current_app.config["DATA_DIR"]) / "import-reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"import-{utcnow():%Y%m%d-%H%M%S}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "file", "status", "message", "work_id"])
        for o in sorted(report.outcomes, key=lambda o: o.line):
            writer.writerow([o.line, o.file, o.status, o.message, o.work_id or ""])
    return path
