"""The life of a work: deposit → submit → review → publish (or return), and access changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.extract import Extraction
from repo_app import resources
from repo_app.access import ANONYMOUS, Action, Actor, decide
from repo_app.errors import Forbidden, NotFound, UserError
from repo_app.models import Collection, Work
from repo_app.models.types import utcnow
from repo_app.services import audit, files, indexing
from repo_app.vocab import DEGREE_LEVEL_OF_TYPE, AccessLevel, WorkStatus, WorkType


@dataclass
class WorkFields:
    """The descriptive (ETD-MS) fields a depositor or librarian edits."""

    title: str
    type: str
    year: int | None = None
    creators: list[str] = field(default_factory=list)
    advisors: list[str] = field(default_factory=list)
    alt_title: str = ""
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    language: str = "vi"
    collection_id: int | None = None
    degree_name: str = ""
    degree_level: str = ""
    discipline: str = ""
    grantor: str = ""


@dataclass(frozen=True)
class AccessSettings:
    """A work's access level; ``embargo_until`` is required for an embargo."""

    level: str
    embargo_until: date | None = None
    after_embargo: str = AccessLevel.OPEN
    reason: str = ""


def access_snapshot(work: Work) -> dict[str, Any]:
    return {
        "access_level": work.access_level,
        "embargo_until": work.embargo_until.isoformat() if work.embargo_until else None,
        "access_after_embargo": work.access_after_embargo,
    }


def _require(decision_ok: bool, reason: str = "") -> None:
    if not decision_ok:
        raise Forbidden(reason)


def get_visible(db: Session, actor: Actor, work_id: int) -> Work:
    """A work the actor may see; hidden and missing works are the same 404."""
    work = db.get(Work, work_id)
    if work is None or not decide(actor, Action.VIEW_METADATA, work, policy=resources.policy()):
        raise NotFound()
    return work


def require_depositor(actor: Actor) -> None:
    """Refuse the deposit form to anyone who may not deposit."""
    decision = decide(actor, Action.DEPOSIT)
    _require(decision.allowed, decision.reason)


def get_editable(db: Session, actor: Actor, work_id: int) -> Work:
    """A work the actor may edit (403 when visible but not editable, 404 when hidden)."""
    work = get_visible(db, actor, work_id)
    decision = decide(actor, Action.EDIT, work, policy=resources.policy())
    _require(decision.allowed, decision.reason)
    return work


def get_reviewable(db: Session, actor: Actor, work_id: int) -> Work:
    """A work the actor may review and manage (staff)."""
    work = get_visible(db, actor, work_id)
    decision = decide(actor, Action.REVIEW, work, policy=resources.policy())
    _require(decision.allowed, decision.reason)
    return work


def validate_fields(fields: WorkFields) -> None:
    if not fields.title.strip():
        raise UserError("title_required", "A title is required.", field="title")
    if fields.type not in {t.value for t in WorkType}:
        raise UserError("bad_type", "Unknown type of work: %(type)s", field="type", type=fields.type)
    if not fields.creators:
        raise UserError("creators_required", "At least one author is required.", field="creators")
    this_year = date.today().year
    if fields.year is not None and not 1900 <= fields.year <= this_year + 1:
        raise UserError("bad_year", "The year must be between 1900 and %(last)s.", field="year",
                        last=this_year + 1)


def validate_access(settings: AccessSettings) -> None:
    levels = {a.value for a in AccessLevel}
    if settings.level not in levels:
        raise UserError("bad_access", "Unknown access level: %(level)s", field="access_level",
                        level=settings.level)
    if settings.level == AccessLevel.EMBARGOED and settings.embargo_until is None:
        raise UserError("embargo_date_required", "An embargo needs an end date.",
                        field="embargo_until")
    if settings.after_embargo not in levels - {AccessLevel.EMBARGOED}:
        raise UserError("bad_access", "Unknown access level: %(level)s", field="access_after_embargo",
                        level=settings.after_embargo)


def _apply_fields(work: Work, fields: WorkFields) -> None:
    for name, value in asdict(fields).items():
        setattr(work, name, value)
    if not work.degree_level:
        work.degree_level = DEGREE_LEVEL_OF_TYPE[WorkType(work.type)].value
    if not work.grantor and work.degree_level:
        work.grantor = current_app.config["INSTITUTION_NAME"]


def _attach_all(db: Session, work: Work, staged: list[files.StagedFile],
                extracted: Mapping[str, Extraction] | None = None) -> None:
    for item in staged:
        files.check_duplicate(db, work, item)
    for item in staged:
        files.attach(db, work, item, (extracted or {}).get(item.sha256))


def create(db: Session, actor: Actor, fields: WorkFields, staged: list[files.StagedFile],
           *, submit: bool = False, extracted: Mapping[str, Extraction] | None = None) -> Work:
    """A depositor's new work, saved as a draft or submitted for review.

    ``extracted`` passes in extraction results already computed (by the
    batch importer's worker processes), keyed by checksum.
    """
    _require(decide(actor, Action.DEPOSIT).allowed, "deposit")
    validate_fields(fields)
    if submit and not staged:
        raise UserError("file_required", "Attach at least one PDF before submitting.",
                        field="files")
    work = Work(status=WorkStatus.DRAFT, depositor_id=actor.user_id, title=fields.title,
                type=fields.type)
    _apply_fields(work, fields)
    db.add(work)
    db.flush()
    _attach_all(db, work, staged, extracted)
    audit.record(db, actor, "work.create", work, after={"status": work.status})
    if submit:
        _transition(db, actor, work, WorkStatus.SUBMITTED)
    db.commit()
    return work


def update(db: Session, actor: Actor, work: Work, fields: WorkFields,
           staged: list[files.StagedFile], *, submit: bool = False) -> Work:
    """Edit the description (depositor on a draft, or staff at any time) and add files."""
    _require(decide(actor, Action.EDIT, work, policy=resources.policy()).allowed, "edit")
    validate_fields(fields)
    _apply_fields(work, fields)
    _attach_all(db, work, staged)
    work.touch()
    if submit:
        if not work.files:
            raise UserError("file_required", "Attach at least one PDF before submitting.",
                            field="files")
        _transition(db, actor, work, WorkStatus.SUBMITTED)
    else:
        audit.record(db, actor, "work.edit", work)
    _commit_and_index(db, work)
    return work


def _lock(db: Session, work: Work) -> None:
    """Re-read the work's row locked until the commit, so of two librarians deciding on it
    at once the second sees the first's decision (PostgreSQL; SQLite has one writer anyway)."""
    db.refresh(work, with_for_update=True)


def _transition(db: Session, actor: Actor, work: Work, status: WorkStatus,
                reason: str = "") -> None:
    before = work.status
    work.status = status
    work.touch()
    audit.record(db, actor, f"work.{status.value}", work,
                 before={"status": before}, after={"status": status.value}, reason=reason)


def submit(db: Session, actor: Actor, work: Work) -> Work:
    _require(decide(actor, Action.EDIT, work, policy=resources.policy()).allowed, "submit")
    if not work.files:
        raise UserError("file_required", "Attach at least one PDF before submitting.")
    _transition(db, actor, work, WorkStatus.SUBMITTED)
    db.commit()
    return work


def publish(db: Session, actor: Actor, work: Work, settings: AccessSettings | None = None,
            comment: str = "", *, drain: bool = True) -> Work:
    """Accept a work: it gets its stable identifier and public page, and enters the index.

    ``drain=False`` leaves the work queued for indexing, so a batch import
    can write the index once per batch instead of once per work.
    """
    _require(decide(actor, Action.REVIEW, work, policy=resources.policy()).allowed, "review")
    _lock(db, work)
    if work.status == WorkStatus.PUBLISHED:
        raise UserError("already_published", "This work is already published.")
    if settings is not None:
        _change_access(db, actor, work, settings)
    work.identifier = work.identifier or f"{current_app.config['IDENTIFIER_PREFIX']}/{work.id}"
    work.published_at = work.published_at or utcnow()
    work.review_comment = comment
    _transition(db, actor, work, WorkStatus.PUBLISHED, comment)
    _note_if_public(work)
    _commit_and_index(db, work, drain=drain)
    return work


def return_to_depositor(db: Session, actor: Actor, work: Work, comment: str) -> Work:
    """Send a work back with a comment the depositor sees."""
    _require(decide(actor, Action.REVIEW, work, policy=resources.policy()).allowed, "review")
    _lock(db, work)
    if not comment.strip():
        raise UserError("comment_required", "Say what the depositor should change.",
                        field="comment")
    work.review_comment = comment
    _transition(db, actor, work, WorkStatus.RETURNED, comment)
    _commit_and_index(db, work)
    return work


def withdraw(db: Session, actor: Actor, work: Work, reason: str) -> Work:
    """Take a published work down; OAI-PMH reports it as deleted from now on."""
    _require(decide(actor, Action.REVIEW, work, policy=resources.policy()).allowed, "review")
    _lock(db, work)
    if not reason.strip():
        raise UserError("reason_required", "Give a reason for withdrawing the work.",
                        field="reason")
    _transition(db, actor, work, WorkStatus.WITHDRAWN, reason)
    _commit_and_index(db, work)
    return work


def set_access(db: Session, actor: Actor, work: Work, settings: AccessSettings) -> Work:
    """Change a work's access level (audited with before, after and why) and re-index it."""
    _require(decide(actor, Action.CHANGE_ACCESS, work, policy=resources.policy()).allowed,
             "change access")
    _change_access(db, actor, work, settings)
    _commit_and_index(db, work)
    return work


def _change_access(db: Session, actor: Actor, work: Work, settings: AccessSettings) -> None:
    validate_access(settings)
    before = access_snapshot(work)
    work.access_level = settings.level
    work.embargo_until = settings.embargo_until if settings.level == AccessLevel.EMBARGOED else None
    work.access_after_embargo = settings.after_embargo
    if settings.level == AccessLevel.EMBARGOED:
        work.embargo_reason = settings.reason
    after = access_snapshot(work)
    if after != before:
        work.touch()
        _note_if_public(work)
        audit.record(db, actor, "access.change", work, before=before, after=after,
                     reason=settings.reason)


def _note_if_public(work: Work) -> None:
    """Remember that anyone could see the work, so hiding it later is reported as a deletion."""
    visible = decide(ANONYMOUS, Action.VIEW_METADATA, work, policy=resources.policy())
    work.was_public = work.was_public or visible.allowed


def _commit_and_index(db: Session, work: Work, *, drain: bool = True) -> None:
    indexing.enqueue(db, work)
    db.commit()
    if drain:
        indexing.drain(db)


def reextract(db: Session, actor: Actor, work: Work) -> Work:
    """Run text extraction again on every file of the work (librarians)."""
    _require(decide(actor, Action.REVIEW, work, policy=resources.policy()).allowed, "review")
    for file in work.files:
        files.run_extraction(file)
    work.touch()
    audit.record(db, actor, "work.reextract", work)
    _commit_and_index(db, work)
    return work


def my_works(db: Session, actor: Actor) -> list[Work]:
    if actor.user_id is None:
        raise Forbidden("login")
    query = select(Work).where(Work.depositor_id == actor.user_id).order_by(Work.updated_at.desc())
    return list(db.scalars(query))


def review_queue(db: Session, actor: Actor) -> list[Work]:
    _require(decide(actor, Action.REVIEW).allowed, "review")
    query = select(Work).where(Work.status == WorkStatus.SUBMITTED).order_by(Work.updated_at)
    return list(db.scalars(query))


def collections(db: Session) -> list[Collection]:
    return list(db.scalars(select(Collection).order_by(Collection.name)))


def collection_by_code(db: Session, code: str, name: str = "") -> Collection:
    """The faculty with this code, created on first use (imports and demo data name them)."""
    found = db.scalar(select(Collection).where(Collection.code == code))
    if found is None:
        found = Collection(code=code, name=name or code)
        db.add(found)
        db.flush()
    return found
