"""Fixity and consistency: are the stored files intact, and is the index true to the database?

``repo-app check`` re-hashes every stored file, finds extracted text that
went missing, and compares the index with the documents the database
would produce today (MoinMoin's habit: the index is derived and can always
be verified and rebuilt). ``--repair`` re-extracts and re-indexes what it can;
a missing or altered file cannot be repaired from here and stays reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from repo_app import resources
from repo_app.models import File, Work
from repo_app.services import files, indexing
from repo_app.vocab import SEARCHABLE_EXTRACTION, WorkStatus


@dataclass
class Problem:
    # missing_file, altered_file, missing_text, index_format, index_missing, index_stale, index_extra
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
        if file.extraction_status in SEARCHABLE_EXTRACTION and not store.has_text(file.sha256):
            problem = Problem("missing_text", file.work_id, file.original_name)
            report.problems.append(problem)
            if repair:
                files.run_extraction(file)
                file.work.touch()
                indexing.enqueue(db, file.work)
                problem.repaired = True


def _check_index(db: Session, report: CheckReport, repair: bool) -> None:
    outdated = resources.index().outdated()
    if outdated is not None:
        # Nothing in it can be compared: its fields mean something else. Rebuild it whole.
        problem = Problem("index_format", None, outdated)
        report.problems.append(problem)
        if repair:
            indexing.reindex(db)
            problem.repaired = True
        return
    indexed = resources.index().versions()
    query = select(Work).where(Work.status == WorkStatus.PUBLISHED).options(
        selectinload(Work.files), selectinload(Work.collection))
    published = set()
    for work in db.scalars(query):
        report.works_checked += 1
        published.add(str(work.id))
        version = indexed.get(str(work.id))
        if version == indexing.document_version(work):
            continue
        kind = "index_missing" if version is None else "index_stale"
        problem = Problem(kind, work.id, work.title[:80])
        report.problems.append(problem)
        if repair:
            indexing.enqueue(db, work)
            problem.repaired = True
    extras = [i for i in indexed if i.isdigit() and i not in published]
    for work_id in extras:
        problem = Problem("index_extra", int(work_id), "in the index but not published")
        report.problems.append(problem)
        if repair:
            resources.index().write([], delete_ids=[work_id])
            problem.repaired = True
