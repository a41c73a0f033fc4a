"""Keeping the search index derived from the database and the file store.

``document_for`` is the one pure function from a work to its index
document, ``record_document`` the one from a harvested record to its. Changes
reach the index only through the durable queue: a service's unit of work
calls ``enqueue`` before its commit and ``drain`` after it. ``drain`` reads
the rows and writes the index while holding one lock, so two processes can
never write an older state over a newer one, and nothing queued is lost if
a process dies in between (the next drain takes it up).
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from repo_app import resources
from repo_app.access import CATALOGUE_RECORD, level_schedule, owner_key
from repo_app.config import LOCALES
from repo_app.models import File, HarvestedRecord, HarvestPartner, IndexQueueItem, Work
from repo_app.services import document_ids, partner_names
from repo_app.vocab import (
    DEGREE_LEVEL_LABELS,
    SEARCHABLE_EXTRACTION,
    TEXT_IN_PROGRESS,
    TYPE_LABELS,
    DegreeLevel,
    WorkStatus,
)
from search.documents import WorkDocument

if TYPE_CHECKING:
    from search.rebuild import Progress


def indexed_files(work: Work) -> list[File]:
    """Files whose text is indexed with the work: searchable ones at the work's own level.

    A file with a different access override is left out of the work's
    text, so a stricter appendix can never be matched through its work.
    """
    return [
        f for f in work.files
        if f.extraction_status in SEARCHABLE_EXTRACTION
        and f.access_level in (None, work.access_level)
    ]


def document_version(work: Work) -> str:
    """A fingerprint of everything indexed, so ``check`` can spot a stale entry."""
    parts = [work.updated_at.isoformat(), work.status, work.access_level]
    parts += [f"{f.sha256}:{f.extraction_status}:{f.access_level}" for f in work.files]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def document_for(work: Work, text: str) -> WorkDocument:
    """The index document of a work (pure: everything comes from its arguments).

    It holds facts, never a policy's outcome: the level, its scheduled
    change and the owner are judged per search by ``access.search_scope``.
    """
    schedule = level_schedule(work)
    return WorkDocument(
        id=document_ids.of_work(work.id),
        title=work.title,
        url="",  # a local work's address is made by the web layer (serialize.hit_url)
        alt_title=work.alt_title,
        creators=tuple(work.creators),
        advisors=tuple(work.advisors),
        abstract=work.abstract,
        keywords=tuple(work.keywords),
        title_en=work.title_en,
        abstract_en=work.abstract_en,
        keywords_en=tuple(work.keywords_en),
        fulltext=text,
        labels=labels_of(work),
        discipline=work.discipline,
        grantor=work.grantor,
        identifier=work.identifier or "",
        faculty=work.faculty_name,
        type=work.type,
        degree_level=work.degree_level,
        year=work.year,
        language=work.language,
        access=schedule.level,
        embargo_until=work.embargo_until,
        access_changes_on=schedule.changes_on,
        access_after=schedule.level_after,
        owner=owner_key(work.depositor_id),
        version=document_version(work),
    )


def labels_of(work: Work) -> tuple[str, ...]:
    """The names of the work's type, degree and faculty in every language the site speaks.

    A reader searches "luận văn thạc sĩ", "master thesis" or "Khoa Kinh tế",
    never ``master_thesis``; a work that is no degree work has no degree label.
    """
    labels = [TYPE_LABELS.get(work.type)]
    if work.degree_level != DegreeLevel.NONE:
        labels.append(DEGREE_LEVEL_LABELS.get(work.degree_level))
    names = [name for label in labels if label is not None for name in in_every_locale(label)]
    names.append(work.degree_name)
    if work.collection is not None:
        names += [work.collection.name, work.collection.name_en]
    return tuple(dict.fromkeys(name for name in names if name))


def in_every_locale(label: object) -> list[str]:
    """A translatable label as each of the site's languages says it."""
    names = []
    for locale in LOCALES:
        with force_locale(locale):
            names.append(str(label))
    return names


def work_text(work: Work) -> str:
    """The extracted text of the work's indexed files, from the file store."""
    store = resources.store()
    return "\n\n".join(store.get_text(f.sha256) for f in indexed_files(work))


def texts_of(db: Session, ids: Sequence[str]) -> dict[str, str]:
    """The indexed texts of these documents, by id, loaded together: a results page quotes
    up to 20 texts, and two queries per hit were most of its time."""
    wanted = {i: d for d in ids if (i := document_ids.local_work_id(d)) is not None}
    return {wanted[work.id]: work_text(work) for work in _load(db, set(wanted))} if wanted else {}


def indexable(work: Work) -> bool:
    """Only published works are in the index (drafts are found in 'my works' and the queue)."""
    return work.status == WorkStatus.PUBLISHED


def record_document(row: HarvestedRecord) -> WorkDocument:
    """A harvested record's index document: metadata for anyone, no text, the partner's name."""
    return WorkDocument(
        id=document_ids.of_record(row.id),
        title=row.title or row.oai_identifier,
        url=row.url,
        creators=tuple(row.creators),
        abstract=row.description,
        keywords=tuple(row.subjects),
        type=row.type,
        year=row.year,
        access=CATALOGUE_RECORD,
        language=row.language,
        source=_partner_source(row.partner),
        version=row.datestamp,
    )


def _partner_source(partner: HarvestPartner) -> str:
    """The partner's name in the index, never ours: a name stored before the harvest checked
    it (``partner_names``) gets the partner's key added at the next rebuild."""
    if partner_names.is_ours(partner.name) or not partner_names.visible(partner.name).strip():
        return f"{partner.name.strip()} ({partner.key})".lstrip()
    return partner.name


def enqueue(db: Session, target: Work | HarvestedRecord) -> None:
    """Queue ``target`` for (re)indexing in the caller's transaction (``UnitOfWork.index``)."""
    if isinstance(target, HarvestedRecord):
        db.flush()  # a new record needs its id
        enqueue_document(db, document_ids.of_record(target.id))
    else:
        enqueue_document(db, document_ids.of_work(target.id))


def enqueue_document(db: Session, document_id: str) -> None:
    """Queue one index document by id: rewritten from its row, or removed if it has none."""
    db.add(IndexQueueItem(document_id=document_id))


_DELETE_CHUNK = 500  # ids per DELETE: well under any database's limit on bound parameters


@contextmanager
def _drain_lock() -> Iterator[None]:
    path = Path(current_app.config["DATA_DIR"]) / "index-drain.lock"
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def drain(db: Session, *, text_pending: bool = True) -> int:
    """Index every queued work; returns how many queue rows were processed.

    ``text_pending=False`` leaves the works whose text is still being
    extracted in the queue, for the drain after their text is in: a command
    waiting for an import's text so writes each work once, not first without it.
    """
    with _drain_lock():
        items = db.scalars(select(IndexQueueItem).order_by(IndexQueueItem.id)).all()
        wanted = {item.document_id for item in items}
        held = set() if text_pending else _awaiting_text(db, wanted)
        if not wanted - held:
            return 0
        _write(db, wanted - held)
        done = [item.id for item in items if item.document_id not in held]
        _forget(db, done)
        db.commit()
        return len(done)


def _forget(db: Session, item_ids: list[int]) -> None:
    """Delete exactly the queue rows this drain wrote, never a range of ids.

    On PostgreSQL an id is taken when a row is inserted, not when it is
    committed: another transaction's row with a lower id may commit while this
    drain writes, and a range would delete it unwritten (its work never found).
    """
    for start in range(0, len(item_ids), _DELETE_CHUNK):
        chunk = item_ids[start:start + _DELETE_CHUNK]
        db.execute(delete(IndexQueueItem).where(IndexQueueItem.id.in_(chunk)))


def _awaiting_text(db: Session, document_ids_: set[str]) -> set[str]:
    """Which of these documents are works with a file whose text is queued or being made."""
    work_ids = {i for d in document_ids_ if (i := document_ids.local_work_id(d)) is not None}
    waiting = select(File.work_id).where(File.work_id.in_(work_ids),
                                         File.extraction_status.in_(TEXT_IN_PROGRESS))
    return {document_ids.of_work(i) for i in db.scalars(waiting.distinct())}


def _load(db: Session, work_ids: set[int]) -> list[Work]:
    query = select(Work).where(Work.id.in_(work_ids)).options(
        selectinload(Work.files), selectinload(Work.collection)
    )
    return list(db.scalars(query))


def _write(db: Session, wanted: set[str]) -> None:
    """Write the current state of these documents; those with no indexable row are removed."""
    work_ids = {i for d in wanted if (i := document_ids.local_work_id(d)) is not None}
    record_ids = {i for d in wanted if (i := document_ids.record_id(d)) is not None}
    docs = [document_for(w, work_text(w)) for w in _load(db, work_ids) if indexable(w)]
    docs += [record_document(r) for r in _load_records(db, record_ids) if not r.deleted]
    resources.index().write(docs, delete_ids=wanted - {d.id for d in docs})


def _load_records(db: Session, record_ids: set[int]) -> list[HarvestedRecord]:
    query = select(HarvestedRecord).where(HarvestedRecord.id.in_(record_ids)).options(
        selectinload(HarvestedRecord.partner))
    return list(db.scalars(query))


def all_documents(db: Session) -> Iterator[WorkDocument]:
    """Every indexable document, streamed in batches for a rebuild: local works, then
    the union catalogue's harvested records."""
    yield from _work_documents(db)
    yield from _record_documents(db)


def _record_documents(db: Session) -> Iterator[WorkDocument]:
    query = select(HarvestedRecord).where(HarvestedRecord.deleted.is_(False)).order_by(
        HarvestedRecord.id).options(selectinload(HarvestedRecord.partner))
    for row in db.scalars(query):
        yield record_document(row)


def _work_documents(db: Session) -> Iterator[WorkDocument]:
    query = select(Work.id).where(Work.status == WorkStatus.PUBLISHED).order_by(Work.id)
    ids = list(db.scalars(query))
    for start in range(0, len(ids), 200):
        for work in _load(db, set(ids[start:start + 200])):
            yield document_for(work, work_text(work))
        db.expunge_all()


def reindex(db: Session, procs: int = 1, progress: Progress | None = None) -> int:
    """Rebuild the whole index aside and swap it in; search and deposits go on throughout.

    Whatever is drained meanwhile is journaled by the index and replayed into
    the new generation before the swap (``search.journal``), so the rebuild
    misses nothing and holds no lock a deposit waits for. The session's
    transaction is ended first, so the rebuild reads the works as they are
    from now on, never an older snapshot.
    """
    db.commit()
    return resources.index().rebuild(all_documents(db), procs=procs, progress=progress)
