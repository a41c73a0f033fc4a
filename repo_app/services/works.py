"""The life of a work: deposit → submit → review → publish (or return), and access changes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from babel import Locale, UnknownLocaleError
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_app import access, resources
from repo_app.access import ANONYMOUS, Action, Actor, decide
from repo_app.errors import LoginRequired, NotFound, UserError
from repo_app.models import Collection, Work
from repo_app.models.types import utcnow
from repo_app.services import deposit_terms, files, site_info, text_jobs
from repo_app.services.deposit_terms import DepositTerms
from repo_app.services.unit_of_work import UnitOfWork
from repo_app.textfold import fold, slug
from repo_app.vocab import DEGREE_LEVEL_OF_TYPE, AccessLevel, DegreeLevel, WorkStatus, WorkType
from search.collation import sort_key


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
    title_en: str = ""
    abstract_en: str = ""
    keywords_en: list[str] = field(default_factory=list)
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


def get(db: Session, actor: Actor, work_id: int, action: Action = Action.VIEW_METADATA) -> Work:
    """The work, if the actor may do ``action`` to it: 404 when missing or hidden, else 403."""
    work = db.get(Work, work_id)
    if work is None:
        raise NotFound()
    access.require(actor, action, work, policy=resources.policy())
    return work


def get_visible(db: Session, actor: Actor, work_id: int) -> Work:
    """A work the actor may see; hidden and missing works are the same 404."""
    return get(db, actor, work_id)


def require_depositor(actor: Actor) -> None:
    """Refuse the deposit form to anyone who may not deposit."""
    access.require(actor, Action.DEPOSIT)


def get_editable(db: Session, actor: Actor, work_id: int) -> Work:
    """A work the actor may edit (403 when visible but not editable, 404 when hidden)."""
    return get(db, actor, work_id, Action.EDIT)


def get_reviewable(db: Session, actor: Actor, work_id: int) -> Work:
    """A work the actor may review and manage (staff)."""
    return get(db, actor, work_id, Action.REVIEW)


def in_vocabulary(name: str, value: str, allowed: list[str]) -> None:
    """A value from a controlled vocabulary, or a 400 that lists the allowed values."""
    if value not in allowed:
        raise UserError(f"bad_{name}", "%(value)s is not an allowed %(name)s; allowed: %(allowed)s.",
                        field=name, value=repr(value), name=name,
                        allowed=", ".join(repr(a) for a in allowed))


def _check_language(code: str) -> None:
    """An ISO 639-1 code babel knows (``vi``, ``en``…), not a language's name."""
    try:
        known = len(code) == 2 and code.islower() and Locale.parse(code) is not None
    except (ValueError, UnknownLocaleError):
        known = False
    if not known:
        raise UserError("bad_language", "%(value)s is not an ISO 639-1 language code (such as "
                        "vi, en, fr).", field="language", value=repr(code))


def validate_fields(fields: WorkFields) -> None:
    if not fields.title.strip():
        raise UserError("title_required", "A title is required.", field="title")
    in_vocabulary("type", fields.type, [t.value for t in WorkType])
    in_vocabulary("degree_level", fields.degree_level, [d.value for d in DegreeLevel])
    _check_language(fields.language)
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


def _attach_all(uow: UnitOfWork, work: Work, staged: list[files.StagedFile],
                batch: str = "") -> None:
    for item in staged:
        hidden = files.check_duplicate(uow.db, uow.actor, work, item)
        if hidden:
            # Told to the librarians (audit log), never to the depositor: see check_duplicate.
            uow.audit("file.same_content", work, after={"file": item.name, "also_in": hidden})
    for item in staged:
        files.attach(uow.db, work, item, batch=batch)


def create(db: Session, actor: Actor, fields: WorkFields, staged: list[files.StagedFile],
           *, submit: bool = False, batch: str = "", terms: DepositTerms | None = None) -> Work:
    """A depositor's new work, saved as a draft or submitted for review.

    Its files' text is queued; ``batch`` names the import whose jobs they are. ``terms``
    (the deposit form's licence and embargo request) are checked and kept when given.
    """
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.DEPOSIT)
        if submit and not staged:
            validate_fields(fields)
            raise UserError("file_required", "Attach at least one PDF before submitting.",
                            field="files")
        if terms is not None:
            deposit_terms.validate(terms, None, submit)
        work = add(uow, fields, staged, batch=batch)
        if terms is not None:
            record_terms(uow, work, terms)
        if submit:
            _transition(uow, work, WorkStatus.SUBMITTED)
    return work


def library_terms() -> DepositTerms:
    """The terms of a work the library deposits itself (a holding a librarian scans or a
    batch imports): its deposit licence accepted by the library, in the library's own
    language whatever the librarian's screen shows; no embargo asked for (the librarian
    sets the access level)."""
    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        licence = site_info.licence_text()
    return DepositTerms(licence=licence, accepted_by=deposit_terms.LIBRARY)


def record_terms(uow: UnitOfWork, work: Work, terms: DepositTerms) -> None:
    """Keep the terms on the work and audit an acceptance of the licence: the event's actor
    is who accepted it (the depositor, or the librarian acting for the library)."""
    if deposit_terms.apply(work, terms):
        uow.audit("work.licence", work, after={"accepted_by": terms.accepted_by})


def add(uow: UnitOfWork, fields: WorkFields, staged: list[files.StagedFile], *,
        batch: str = "") -> Work:
    """A new draft work with its files, inside the caller's unit of work."""
    uow.require(Action.DEPOSIT)
    validate_fields(fields)
    work = Work(status=WorkStatus.DRAFT, depositor_id=uow.actor.user_id, title=fields.title,
                type=fields.type)
    _apply_fields(work, fields)
    uow.db.add(work)
    uow.db.flush()
    _attach_all(uow, work, staged, batch)
    uow.audit("work.create", work, after={"status": work.status})
    return work


def update(db: Session, actor: Actor, work: Work, fields: WorkFields,
           staged: list[files.StagedFile], *, submit: bool = False,
           terms: DepositTerms | None = None) -> Work:
    """Edit the description (depositor on a draft, or staff at any time) and add files."""
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.EDIT, work)
        validate_fields(fields)
        if terms is not None:
            deposit_terms.validate(terms, work, submit)
            record_terms(uow, work, terms)
        _apply_fields(work, fields)
        _attach_all(uow, work, staged)
        work.touch()
        if submit:
            if not work.files:
                raise UserError("file_required", "Attach at least one PDF before submitting.",
                                field="files")
            _transition(uow, work, WorkStatus.SUBMITTED)
        else:
            uow.audit("work.edit", work)
        uow.index(work)
    return work


def _lock(db: Session, work: Work) -> None:
    """Re-read the work's row locked until the commit, so of two librarians deciding on it
    at once the second sees the first's decision (PostgreSQL; SQLite has one writer anyway)."""
    db.refresh(work, with_for_update=True)


def _transition(uow: UnitOfWork, work: Work, status: WorkStatus, reason: str = "") -> None:
    before = work.status
    work.status = status
    work.touch()
    uow.audit(f"work.{status.value}", work, before={"status": before},
              after={"status": status.value}, reason=reason)


def submit(db: Session, actor: Actor, work: Work, terms: DepositTerms | None = None) -> Work:
    """Send a draft for review; with ``terms`` (the API), the licence must have been accepted,
    now or before, and an embargo request given then is kept."""
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.EDIT, work)
        if not work.files:
            raise UserError("file_required", "Attach at least one PDF before submitting.")
        if terms is not None:
            deposit_terms.validate(terms, work, submit=True)
            record_terms(uow, work, terms)
        _transition(uow, work, WorkStatus.SUBMITTED)
    return work


def publish(db: Session, actor: Actor, work: Work, settings: AccessSettings | None = None,
            comment: str = "", *, drain: bool = True) -> Work:
    """Accept a work: it gets its stable identifier and public page, and enters the index.

    ``drain=False`` leaves the work queued for indexing, so a batch import
    can write the index once per batch instead of once per work.
    """
    with UnitOfWork(db, actor, drain_index=drain) as uow:
        uow.require(Action.REVIEW, work)
        _lock(db, work)
        publish_in(uow, work, settings, comment)
    return work


def publish_in(uow: UnitOfWork, work: Work, settings: AccessSettings | None = None,
               comment: str = "") -> None:
    """``publish``'s change, inside the caller's unit of work (which checked access)."""
    if work.status == WorkStatus.PUBLISHED:
        raise UserError("already_published", "This work is already published.")
    if settings is not None:
        _change_access(uow, work, settings)
    work.identifier = work.identifier or f"{current_app.config['IDENTIFIER_PREFIX']}/{work.id}"
    work.published_at = work.published_at or utcnow()
    work.review_comment = comment
    _transition(uow, work, WorkStatus.PUBLISHED, comment)
    _note_if_public(work)
    uow.index(work)


def return_to_depositor(db: Session, actor: Actor, work: Work, comment: str) -> Work:
    """Send a work back with a comment the depositor sees."""
    missing = UserError("comment_required", "Say what the depositor should change.",
                        field="comment")
    return _close_review(db, actor, work, WorkStatus.RETURNED, comment, missing)


def withdraw(db: Session, actor: Actor, work: Work, reason: str) -> Work:
    """Take a published work down; OAI-PMH reports it as deleted from now on."""
    missing = UserError("reason_required", "Give a reason for withdrawing the work.",
                        field="reason")
    return _close_review(db, actor, work, WorkStatus.WITHDRAWN, reason, missing)


def _close_review(db: Session, actor: Actor, work: Work, status: WorkStatus, why: str,
                  missing: UserError) -> Work:
    """A librarian's move that must say why (``missing`` when it does not)."""
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.REVIEW, work)
        _lock(db, work)
        if not why.strip():
            raise missing
        if status == WorkStatus.RETURNED:
            work.review_comment = why
        _transition(uow, work, status, why)
        uow.index(work)
    return work


def set_access(db: Session, actor: Actor, work: Work, settings: AccessSettings) -> Work:
    """Change a work's access level (audited with before, after and why) and re-index it."""
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.CHANGE_ACCESS, work)
        _change_access(uow, work, settings)
        uow.index(work)
    return work


def _change_access(uow: UnitOfWork, work: Work, settings: AccessSettings) -> None:
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
        uow.audit("access.change", work, before=before, after=after, reason=settings.reason)


def _note_if_public(work: Work) -> None:
    """Remember that anyone could see the work, so hiding it later is reported as a deletion."""
    visible = decide(ANONYMOUS, Action.VIEW_METADATA, work, policy=resources.policy())
    work.was_public = work.was_public or visible.allowed


def reextract(db: Session, actor: Actor, work: Work) -> Work:
    """Run text extraction again on every file of the work (librarians)."""
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.REVIEW, work)
        for file in work.files:
            text_jobs.start_over(db, file)
        work.touch()
        uow.audit("work.reextract", work)
        uow.index(work)
    return work


def my_works(db: Session, actor: Actor) -> list[Work]:
    if actor.user_id is None:
        raise LoginRequired()
    query = select(Work).where(Work.depositor_id == actor.user_id).order_by(Work.updated_at.desc())
    return list(db.scalars(query))


def review_queue(db: Session, actor: Actor) -> list[Work]:
    access.require(actor, Action.REVIEW)
    query = select(Work).where(Work.status == WorkStatus.SUBMITTED).order_by(Work.updated_at)
    return list(db.scalars(query))


def collections(db: Session) -> list[Collection]:
    """Every faculty, by name in Vietnamese alphabetical order (a database sorts "Đ" after "Z")."""
    return sorted(db.scalars(select(Collection)), key=lambda c: sort_key(c.name))


def faculty_named(db: Session, wording: str) -> Collection:
    """The faculty a manifest or catalogue names, by code or by name (Vietnamese or English,
    accents and case ignored); created, with that name, only when none matches.

    "Khoa Kinh tế", "khoa kinh te" and "kt" are one faculty when its code is
    ``kt``: a faculty given by name never becomes a second set beside its code.
    """
    wording = " ".join(wording.split())
    wanted = fold(wording)
    for collection in db.scalars(select(Collection)):
        names = (collection.code, collection.name, collection.name_en)
        if wording == collection.code or wanted in {fold(n) for n in names if n}:
            return collection
    return collection_by_code(db, slug(wording), wording)


def collection_by_code(db: Session, code: str, name: str = "") -> Collection:
    """The faculty with this code, created on first use (imports and demo data name them)."""
    found = db.scalar(select(Collection).where(Collection.code == code))
    if found is None:
        found = Collection(code=code, name=name or code)
        db.add(found)
        db.flush()
    return found
