"""Batch import of the back catalogue from a manifest (``repo-app import``).

The manifest is validated first; bad rows are reported with their line and
reason while good rows go on. Files are stored under their checksum and
extracted by N worker processes; works are written by this one process
(the database and the index have one writer). Each work is committed as
soon as its files are extracted, so an interrupted import resumes where it
stopped: a re-run skips every row whose files are already in a work.

This process stores the next file and writes finished works while the
workers extract, and one of its threads indexes the works in batches
meanwhile, so with one worker the import takes little longer than the
extraction alone.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ingest.batch import ManifestRow, read_manifest
from ingest.extract import Extraction, extract_many
from repo_app import resources
from repo_app.access import Actor
from repo_app.db import standalone_session
from repo_app.errors import UserError
from repo_app.models import File, Work
from repo_app.models.types import utcnow
from repo_app.services import files, holdings, indexing, works
from repo_app.spreadsheet import csv_writer
from repo_app.vocab import AccessLevel, WorkType

# The index is written while the workers extract, in batches: a Whoosh commit
# (and the segment merges it sets off) costs about as much as indexing 70 KB
# of text, so committing per work would triple the index's CPU time, which the
# workers need, while waiting for the end would leave the whole index write
# after the last extraction. A batch closes at INDEX_BATCH works, or at
# INDEX_BATCH_CHARS characters or a quarter of the text indexed so far,
# whichever is more: the first works are soon searchable, and a long import
# commits ever more rarely.
INDEX_BATCH = 50
INDEX_BATCH_CHARS = 200_000
INDEX_BATCH_GROWTH = 4
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
        _ImportRun(db, actor, report, on_file).run(manifest.rows, workers)
    report.seconds = time.monotonic() - started
    if not dry_run:
        report.report_path = _write_report(report)
    return report


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
        existing = _already_imported(db, row, [], last)
        status = "skipped" if existing else "would_import"
        report.outcomes.append(Outcome(row.line, ";".join(p.name for p in row.files), status, ""))


def _largest_first(rows: list[ManifestRow]) -> list[ManifestRow]:
    """Rows in decreasing size of their files, so a run ends with small files.

    The last file's extraction, and the work and index writes after it,
    overlap nothing; small ones there keep that tail short and let the
    workers finish together (longest-first is the classic balanced schedule).
    """
    return sorted(rows, key=lambda row: sum(_size(path) for path in row.files), reverse=True)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class _ImportRun:
    """One import's moving parts, shared by its two halves.

    Rows are stored one at a time as the workers ask for files
    (:meth:`_files_to_extract`), and each row's work is written as soon as
    its files' text is in (:meth:`_keep`), so storing, writing works and
    indexing happen in this process while the workers extract.
    """

    def __init__(self, db: Session, actor: Actor, report: ImportReport,
                 on_file: Progress | None) -> None:
        self.db = db
        self.actor = actor
        self.report = report
        self.on_file = on_file
        self.store = resources.store()
        self.last_before_run = _last_work_id(db)
        self.waiting: list[_PendingRow] = []
        self.results: dict[str, Extraction] = {}
        self.handed_out: set[str] = set()
        self.last_row_handed_out = False
        self.backlog = _IndexBacklog()
        self.indexer = _IndexingThread(current_app._get_current_object())

    def run(self, rows: list[ManifestRow], workers: int) -> None:
        config = current_app.config
        try:
            for sha, result in extract_many(self._files_to_extract(_largest_first(rows)),
                                            workers=workers, timeout=config["EXTRACT_TIMEOUT"],
                                            memory_mb=config["EXTRACT_MEMORY_MB"]):
                self._keep(sha, result)
        finally:
            self.indexer.wait()
        indexing.drain(self.db)

    def _files_to_extract(self, rows: list[ManifestRow]) -> Iterator[tuple[str, Path]]:
        """Store each row's files when a worker is free for them; yield each new file once."""
        for number, row in enumerate(rows, start=1):
            self.last_row_handed_out = number == len(rows)
            pending = self._stage(row)
            if pending is None:
                continue
            self.waiting.append(pending)
            self._write_ready()  # a row without files, or only with files already extracted
            for staged in pending.staged:
                if staged.sha256 not in self.handed_out:
                    self.handed_out.add(staged.sha256)
                    yield staged.sha256, files.staged_path(staged)

    def _stage(self, row: ManifestRow) -> _PendingRow | None:
        """The row with its files stored, or None (reported) when a previous run imported it."""
        staged = []
        for path in row.files:
            try:
                with path.open("rb") as stream:
                    staged.append(files.stage(stream, path.name, pdf_only=False))
            except UserError as exc:
                self.report.outcomes.append(Outcome(row.line, path.name, exc.code, str(exc)))
        existing = _already_imported(self.db, row, [s.sha256 for s in staged],
                                     self.last_before_run)
        if existing is not None:
            self.report.skipped += 1
            self.report.outcomes.append(Outcome(row.line, "", "skipped", "already imported",
                                                existing.id))
            return None
        return _PendingRow(row, staged)

    def _keep(self, sha: str, result: Extraction) -> None:
        """Store a file's text, write the works it completes, and index when a batch is full."""
        if result.text:
            self.store.put_text(sha, result.text)
        self.results[sha] = dataclasses.replace(result, text="")
        self.report.files_extracted += 1
        self.report.pages += result.pages or 0
        if self.on_file is not None:
            self.on_file(sha, result)
        self._write_ready()
        if self._index_due() and self.indexer.start():
            self.backlog.handed_over()

    def _index_due(self) -> bool:
        """A batch is full; or every file is handed out, so the workers are busy with the
        last ones and the index write left after the final result shrinks to one work."""
        return self.backlog.works > 0 and (self.last_row_handed_out or self.backlog.full())

    def _write_ready(self) -> None:
        """Write the works of every waiting row whose files all have a result."""
        ready = [p for p in self.waiting if all(s.sha256 in self.results for s in p.staged)]
        self.waiting = [p for p in self.waiting if p not in ready]
        for pending in ready:
            if _write_work(self.db, self.actor, pending, self.results, self.report):
                self.backlog.add(sum(self.results[s.sha256].chars for s in pending.staged))


@dataclass
class _IndexBacklog:
    """Works written since the last drain began, and the text already handed to drains."""

    works: int = 0
    chars: int = 0
    indexed_chars: int = 0

    def add(self, chars: int) -> None:
        self.works += 1
        self.chars += chars

    def full(self) -> bool:
        """See INDEX_BATCH: a batch grows with what the run has indexed."""
        return self.works >= INDEX_BATCH or self.chars >= max(
            INDEX_BATCH_CHARS, self.indexed_chars // INDEX_BATCH_GROWTH)

    def handed_over(self) -> None:
        self.indexed_chars += self.chars
        self.works = self.chars = 0


class _IndexingThread:
    """Index writes on a thread of this process, so the loop feeding the workers never
    waits for Whoosh (and with one worker, the index is written on the other core).

    A drain holds the drain lock, so it is safe beside any other writer; the
    queue is durable, so a batch that finds a drain still running is simply
    taken by the next one, or by the final drain the caller makes.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self) -> bool:
        """Start draining the queue unless a drain is running; True if one was started."""
        if self.thread is not None and self.thread.is_alive():
            return False
        self._raise_error()
        self.thread = threading.Thread(target=self._drain, name="import-indexing", daemon=True)
        self.thread.start()
        return True

    def wait(self) -> None:
        """Let the running drain finish; raise what it raised."""
        if self.thread is not None:
            self.thread.join()
        self._raise_error()

    def _drain(self) -> None:
        try:
            with self.app.app_context(), standalone_session(self.app) as db:
                indexing.drain(db)
        except BaseException as exc:  # re-raised on the importing thread
            self.error = exc

    def _raise_error(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            raise error


def _fields(db: Session, row: ManifestRow) -> works.WorkFields:
    collection = works.faculty_named(db, row.faculty) if row.faculty else None
    return works.WorkFields(
        title=row.title, type=row.type, year=row.year, creators=list(row.creators),
        advisors=list(row.advisors), abstract=row.abstract, keywords=list(row.keywords),
        title_en=row.title_en, abstract_en=row.abstract_en, keywords_en=list(row.keywords_en),
        language=row.language or "vi", collection_id=collection.id if collection else None,
        degree_name=row.degree, discipline=row.discipline,
    )


def _write_work(db: Session, actor: Actor, pending: _PendingRow,
                results: dict[str, Extraction], report: ImportReport) -> bool:
    """Create and publish the row's work (queued for the index); False if the row was bad."""
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
        return False
    report.imported += 1
    if linked is False:
        report.outcomes.append(Outcome(row.line, "", "holding_not_found",
                                       f"holding_id {row.holding_id} is not in the holdings register",
                                       work.id))
    for staged, file in zip(pending.staged, work.files, strict=True):
        report.outcomes.append(Outcome(row.line, staged.name, file.extraction_status,
                                       file.extraction_message, work.id))
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
