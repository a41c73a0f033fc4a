"""Fixity and consistency: are the stored files intact, and is the index true to the database?

``repo-app check`` re-hashes every stored file, finds extracted text that
went missing, and compares the index with the documents the database
would produce today (MoinMoin's habit: the index is derived and can always
be verified and rebuilt), harvested records included. ``--repair`` re-extracts
and queues for re-indexing what it can;
a missing or altered file cannot be repaired from here and stays reported.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from repo_app import resources
from repo_app.db import Base
from repo_app.models import File, HarvestedRecord, Work
from repo_app.services import document_ids, indexing, text_jobs
from repo_app.vocab import SEARCHABLE_EXTRACTION, WorkStatus
from search.errors import IndexMissingError

ORPHAN_GRACE = timedelta(days=1)


@dataclass
class Problem:
    # missing_file, altered_file, missing_derivative, altered_derivative, missing_text,
    # orphan_file, index_unreadable, index_format, index_missing,
    # index_stale, index_extra
    kind: str
    work_id: int | None
    detail: str
    repaired: bool = False


@dataclass
class CheckReport:
    files_checked: int = 0
    works_checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def unresolved(self) -> list[Problem]:
        return [p for p in self.problems if not p.repaired]


def check(db: Session, *, repair: bool = False) -> CheckReport:
    report = CheckReport()
    _check_files(db, report, repair)
    _check_orphans(db, report, repair)
    _check_index(db, report, repair)
    if repair:
        db.commit()
        indexing.drain(db)
    return report


def _check_files(db: Session, report: CheckReport, repair: bool) -> None:
    store = resources.store()
    for file in db.scalars(select(File).options(selectinload(File.work))):
        report.files_checked += 1
        state = store.verify(file.sha256)
        if state != "ok":
            report.problems.append(Problem(f"{state}_file", file.work_id,
                                           f"{file.original_name} ({file.sha256[:12]}…)"))
            continue
        _check_derivative(db, file, report, repair)
        if file.extraction_status in SEARCHABLE_EXTRACTION and not store.has_text(file.sha256):
            problem = Problem("missing_text", file.work_id, file.original_name)
            report.problems.append(problem)
            if repair:
                text_jobs.start_over(db, file)
                file.work.touch()
                problem.repaired = True


def referenced_blobs(db: Session) -> set[str]:
    """Every checksum a row points at: any column named ``sha256`` or ``*_sha256`` of any table
    (files and their searchable derivatives, OCR text layers, frozen reports, letters…).

    Found from the schema rather than listed, so a table added later that
    keeps a blob in the store is never taken for garbage.
    """
    found: set[str] = set()
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if column.name == "sha256" or column.name.endswith("_sha256"):
                found.update(db.scalars(select(column).where(column.is_not(None))))
    return found


def _check_derivative(db: Session, file: File, report: CheckReport, repair: bool) -> None:
    """The searchable copy of a scan is fixity-checked like the original; repair rebuilds it
    from the original and the recognised pages (a background job)."""
    if file.derivative_sha256 is None:
        return
    state = resources.store().verify(file.derivative_sha256)
    if state == "ok":
        return
    problem = Problem(f"{state}_derivative", file.work_id,
                      f"{file.original_name} (searchable copy {file.derivative_sha256[:12]}…)")
    report.problems.append(problem)
    if repair:
        text_jobs.queue_finish(db, file, base_status=file.extraction_status,
                               base_message=file.extraction_message)
        problem.repaired = True


def _check_orphans(db: Session, report: CheckReport, repair: bool) -> None:
    """Objects in the store no row refers to; ``--repair`` removes those older than a day.

    A day's grace leaves alone an object written a moment before its row
    commits (an OCR page layer, an upload being attached).
    """
    store = resources.store()
    referenced = referenced_blobs(db)
    cutoff = time.time() - ORPHAN_GRACE.total_seconds()
    for sha256 in store.iter_hashes():
        if sha256 in referenced:
            continue
        path = store.path(sha256)
        problem = Problem("orphan_file", None,
                          f"{sha256[:12]}… ({path.stat().st_size} bytes) is referenced by no record")
        report.problems.append(problem)
        if repair and path.stat().st_mtime < cutoff:
            store.delete(sha256)
            problem.repaired = True


def _check_index(db: Session, report: CheckReport, repair: bool) -> None:
    """Compare every document the index holds with the one the database would give today.

    Local works and harvested records alike; what is repaired is queued for
    the index writer like any other change, never written here.
    """
    try:
        outdated = resources.index().outdated()
        indexed = resources.index().versions() if outdated is None else {}
    except IndexMissingError as error:
        # Deleted or damaged: nothing can be compared, and search answers with a notice.
        _rebuild_problem(db, report, repair, Problem(
            "index_unreadable", None, f"{error}; run `repo-app reindex`"))
        return
    if outdated is not None:
        # Nothing in it can be compared: its fields mean something else. Rebuild it whole.
        _rebuild_problem(db, report, repair, Problem("index_format", None, outdated))
        return
    expected = dict(_expected_documents(db, report))
    for document_id, (version, work_id, label) in expected.items():
        found = indexed.get(document_id)
        if found != version:
            kind = "index_missing" if found is None else "index_stale"
            _index_problem(db, report, repair, Problem(kind, work_id, label), document_id)
    for document_id in sorted(set(indexed) - set(expected)):
        problem = Problem("index_extra", document_ids.local_work_id(document_id),
                          f"{document_id}: in the index but not published")
        _index_problem(db, report, repair, problem, document_id)


def _rebuild_problem(db: Session, report: CheckReport, repair: bool, problem: Problem) -> None:
    report.problems.append(problem)
    if repair:
        indexing.reindex(db)
        problem.repaired = True


def _expected_documents(db: Session, report: CheckReport
                        ) -> Iterator[tuple[str, tuple[str, int | None, str]]]:
    """(document id, (version, work id, label)) of everything that should be in the index."""
    query = select(Work).where(Work.status == WorkStatus.PUBLISHED).options(
        selectinload(Work.files), selectinload(Work.collection))
    for work in db.scalars(query):
        report.works_checked += 1
        yield document_ids.of_work(work.id), (indexing.document_version(work), work.id,
                                              work.title[:80])
    records = select(HarvestedRecord.id, HarvestedRecord.datestamp, HarvestedRecord.title).where(
        HarvestedRecord.deleted.is_(False))
    for record_id, datestamp, title in db.execute(records):
        yield document_ids.of_record(record_id), (datestamp, None, (title or "")[:80])


def _index_problem(db: Session, report: CheckReport, repair: bool, problem: Problem,
                   document_id: str) -> None:
    report.problems.append(problem)
    if repair:
        indexing.enqueue_document(db, document_id)
        problem.repaired = True
