"""On-site reading requests: a reader asks, with a purpose and a letter; a librarian decides.

An ``onsite`` work (Library Law 2019 Art. 7, Circular 02/2020 Art. 32) is
read only in the reading room by a reader holding an approved request that
is valid today. The approval is what ``access.decide`` reads (the actor's
``onsite_work_ids``); where it may be used (the reading-room networks) and
that it never allows a download are the access policy's to say, not this
module's.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ingest.storage import EmptyFile, TooLarge
from repo_app import access, resources
from repo_app.access import Action, Actor, decide
from repo_app.errors import Forbidden, NotFound, UserError
from repo_app.models import OnsiteRequest, Work
from repo_app.models.types import utcnow
from repo_app.services import works
from repo_app.services.files import safe_name
from repo_app.services.unit_of_work import UnitOfWork

PENDING, APPROVED, DECLINED = "pending", "approved", "declined"
MAX_PURPOSE_CHARS = 2000
MAX_LETTER_MB = 10
MAX_VALID_DAYS = 365
# A letter of introduction arrives as a scan or a PDF: sniffed, never trusted by its name.
LETTER_TYPES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"),
                (b"\x89PNG\r\n\x1a\n", "image/png"))


def permitted_work_ids(db: Session, user_id: int, today: date | None = None) -> frozenset[int]:
    """Works ``user_id`` holds an approved on-site request for, valid today (no job needed)."""
    today = today or date.today()
    rows = db.scalars(select(OnsiteRequest.work_id).where(
        OnsiteRequest.user_id == user_id, OnsiteRequest.status == APPROVED,
        OnsiteRequest.valid_from <= today, OnsiteRequest.valid_until >= today))
    return frozenset(rows)


def may_request(actor: Actor, work: Work) -> bool:
    """Whether the work page offers "request on-site reading" to this actor."""
    return decide(actor, Action.REQUEST_ONSITE, work, policy=resources.policy()).allowed


def _letter_type(head: bytes) -> str | None:
    return next((kind for magic, kind in LETTER_TYPES if head.startswith(magic)), None)


def _store_letter(stream, name: str) -> tuple[str, str, int]:
    head = stream.read(16)
    stream.seek(0)
    kind = _letter_type(head)
    if kind is None:
        raise UserError("bad_letter", "The letter of introduction must be a PDF, JPEG or PNG "
                        "file.", field="letter")
    try:
        blob = resources.store().put_stream(stream, max_bytes=MAX_LETTER_MB * 1024 * 1024)
    except (TooLarge, EmptyFile) as exc:
        raise UserError("bad_letter", "The letter must be a non-empty file under %(mb)s MB.",
                        field="letter", mb=MAX_LETTER_MB) from exc
    return blob.sha256, kind, blob.size


def create(db: Session, actor: Actor, work_id: int, purpose: str, letter, letter_name: str
           ) -> OnsiteRequest:
    """Record a reader's request with its letter; one pending request per reader and work."""
    with UnitOfWork(db, actor) as uow:
        work = works.get_visible(db, actor, work_id)
        uow.require(Action.REQUEST_ONSITE, work)
        row = _new_request(db, actor, work, purpose, letter, letter_name)
        uow.audit("onsite_request.create", work, after={"request_id": row.id},
                  reason=row.purpose)
    return row


def _new_request(db: Session, actor: Actor, work: Work, purpose: str, letter,
                 letter_name: str) -> OnsiteRequest:
    purpose = purpose.strip()
    if not purpose:
        raise UserError("purpose_required", "Say why you need to read this work.",
                        field="purpose")
    if len(purpose) > MAX_PURPOSE_CHARS:
        raise UserError("purpose_too_long", "The purpose is longer than %(n)s characters.",
                        field="purpose", n=MAX_PURPOSE_CHARS)
    if letter is None:
        raise UserError("letter_required", "Attach your letter of introduction.", field="letter")
    if _pending(db, actor.user_id, work.id) is not None:
        raise UserError("onsite_pending", "You already asked to read this work; the library "
                        "will answer soon.")
    sha, kind, size = _store_letter(letter, letter_name)
    row = OnsiteRequest(user_id=actor.user_id, work_id=work.id, purpose=purpose,
                        letter_sha256=sha, letter_name=safe_name(letter_name),
                        letter_media_type=kind, letter_size=size, status=PENDING,
                        decision_reason="")
    db.add(row)
    db.flush()
    return row


def _pending(db: Session, user_id: int | None, work_id: int) -> int | None:
    return db.scalar(select(OnsiteRequest.id).where(
        OnsiteRequest.user_id == user_id, OnsiteRequest.work_id == work_id,
        OnsiteRequest.status == PENDING))


def require_staff(actor: Actor) -> None:
    access.require(actor, Action.DECIDE_ONSITE)


def queue(db: Session, actor: Actor) -> list[OnsiteRequest]:
    """Requests waiting for a decision, oldest first (librarians)."""
    require_staff(actor)
    query = select(OnsiteRequest).where(OnsiteRequest.status == PENDING).options(
        selectinload(OnsiteRequest.work), selectinload(OnsiteRequest.user))
    return list(db.scalars(query.order_by(OnsiteRequest.created_at)))


def mine(db: Session, actor: Actor) -> list[OnsiteRequest]:
    if actor.user_id is None:
        raise Forbidden("login")
    query = select(OnsiteRequest).where(OnsiteRequest.user_id == actor.user_id)
    return list(db.scalars(query.order_by(OnsiteRequest.created_at.desc())))


def _waiting(db: Session, actor: Actor, request_id: int) -> OnsiteRequest:
    require_staff(actor)
    row = db.get(OnsiteRequest, request_id)
    if row is None or row.status != PENDING:
        raise NotFound()
    return row


def approve(db: Session, actor: Actor, request_id: int, valid_from: date, valid_until: date,
            note: str = "") -> OnsiteRequest:
    """Approve for a period (at most a year): the approver and validity are recorded."""
    with UnitOfWork(db, actor) as uow:
        row = _waiting(db, actor, request_id)
        _check_validity(valid_from, valid_until)
        _decide(row, actor, APPROVED, note)
        row.valid_from, row.valid_until = valid_from, valid_until
        uow.audit("onsite_request.approve", row.work,
                  after={"request_id": row.id, "user_id": row.user_id,
                         "valid_from": valid_from.isoformat(),
                         "valid_until": valid_until.isoformat()}, reason=note)
    return row


def _check_validity(valid_from: date, valid_until: date) -> None:
    if valid_until < valid_from or valid_until < date.today():
        raise UserError("bad_validity", "The permit must end on or after its first day, and not "
                        "in the past.", field="valid_until")
    if valid_until - valid_from > timedelta(days=MAX_VALID_DAYS):
        raise UserError("bad_validity", "A permit lasts at most %(days)s days.",
                        field="valid_until", days=MAX_VALID_DAYS)


def decline(db: Session, actor: Actor, request_id: int, reason: str) -> OnsiteRequest:
    with UnitOfWork(db, actor) as uow:
        row = _waiting(db, actor, request_id)
        if not reason.strip():
            raise UserError("reason_required", "Give a reason for declining.", field="reason")
        _decide(row, actor, DECLINED, reason)
        uow.audit("onsite_request.decline", row.work,
                  after={"request_id": row.id, "user_id": row.user_id}, reason=reason.strip())
    return row


def _decide(row: OnsiteRequest, actor: Actor, status: str, reason: str) -> None:
    row.status = status
    row.decided_at = utcnow()
    row.decided_by_id = actor.user_id
    row.decision_reason = reason.strip()


def letter(db: Session, actor: Actor, request_id: int) -> tuple[OnsiteRequest, object]:
    """The letter's bytes, for librarians and the requester only (404 for anyone else)."""
    row = db.get(OnsiteRequest, request_id)
    allowed = row is not None and (decide(actor, Action.DECIDE_ONSITE).allowed
                                   or actor.user_id == row.user_id)
    if not allowed:
        raise NotFound()
    return row, resources.store().open(row.letter_sha256)
