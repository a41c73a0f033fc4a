"""Request a copy: a member asks the librarians for access to a work they cannot download.

A librarian grants a time-limited ``AccessGrant`` (which ``access.decide``
honours until it expires, with no job) or declines with a reason. Messages
go to accounts only, never to an address typed into a form: the requester
writes to "the librarians", and replies go to the requester's own account.
They are written to the ``notifications`` outbox in the same transaction as
the change, each in its recipient's language (``mail.language_of``), and
mailed after the commit when ``REPO_SMTP_HOST`` is set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from repo_app import access, resources
from repo_app.access import STAFF_ROLES, Action, Actor, decide
from repo_app.errors import LoginRequired, NotFound, UserError
from repo_app.localformats import local_date
from repo_app.models import AccessGrant, CopyRequest, File, Notification, User, Work
from repo_app.models.types import utcnow
from repo_app.services import mail, works
from repo_app.services.addresses import Addresses
from repo_app.services.unit_of_work import UnitOfWork
from repo_app.vocab import Role

PENDING, GRANTED, DECLINED = "pending", "granted", "declined"
DEFAULT_GRANT_DAYS = 30
MAX_GRANT_DAYS = 365
MAX_MESSAGE_CHARS = 2000
MAX_REASON_CHARS = 500


def may_request(actor: Actor, work: Work, targets: Sequence[File | None] | None = None) -> bool:
    """Whether the form is offered: some file (or the work itself) is not downloadable."""
    policy = resources.policy()
    targets = targets or work.files or [None]
    return any(decide(actor, Action.REQUEST_COPY, work, f, policy=policy) for f in targets)


def offer(actor: Actor, work: Work, targets: Sequence[File | None] | None = None) -> str:
    """What a page offers for ``targets`` (default: every file): ``"form"``, ``"login"``
    (a guest who could ask once logged in) or ``""`` (nothing to ask for)."""
    if actor.user_id is not None:
        return "form" if may_request(actor, work, targets) else ""
    member = replace(actor, user_id=0, role=Role.READER)
    return "login" if may_request(member, work, targets) else ""


def create(db: Session, actor: Actor, work_id: int, message: str) -> CopyRequest:
    """Record a request and tell the librarians; one pending request per work, a few an hour."""
    with UnitOfWork(db, actor) as uow:
        work = works.get_visible(db, actor, work_id)
        if actor.user_id is None:
            raise LoginRequired()
        if not may_request(actor, work):
            raise UserError("copy_not_needed", "You can already read and download this work.")
        message = message.strip()
        if len(message) > MAX_MESSAGE_CHARS:
            raise UserError("message_too_long", "The message is longer than %(n)s characters.",
                            field="message", n=MAX_MESSAGE_CHARS)
        _check_not_pending(db, actor, work)
        _check_rate(db, actor)
        copy_request = CopyRequest(user_id=actor.user_id, work_id=work.id, message=message,
                                   status=PENDING)
        db.add(copy_request)
        db.flush()
        uow.audit("copy_request.create", work, after={"request_id": copy_request.id},
                  reason=message)
        for librarian in _librarians(db):
            mail.queue(db, librarian, _l("New copy request for “%(title)s”", title=work.title),
                       _l("%(requester)s asks for a copy of “%(title)s”.\n\n%(message)s",
                          title=work.title, requester=actor.name, message=message))
        uow.on_commit(lambda: mail.deliver_quietly(db))
    return copy_request


def _check_not_pending(db: Session, actor: Actor, work: Work) -> None:
    pending = db.scalar(select(CopyRequest.id).where(
        CopyRequest.user_id == actor.user_id, CopyRequest.work_id == work.id,
        CopyRequest.status == PENDING))
    if pending is not None:
        raise UserError("request_pending",
                        "You have already asked for this work; the librarians will answer soon.")


def _check_rate(db: Session, actor: Actor) -> None:
    limit = int(current_app.config["COPY_REQUESTS_PER_HOUR"])
    recent = db.scalar(select(func.count()).select_from(CopyRequest).where(
        CopyRequest.user_id == actor.user_id,
        CopyRequest.created_at > utcnow() - timedelta(hours=1)))
    if recent >= limit:
        raise UserError("too_many_requests",
                        "You have sent %(limit)s requests in the last hour. "
                        "Please try again later.",
                        status=429, limit=limit)


def _librarians(db: Session) -> list[User]:
    query = select(User).where(User.role.in_([str(r) for r in STAFF_ROLES]), User.active)
    return list(db.scalars(query.order_by(User.id)))


def pending(db: Session, actor: Actor) -> list[CopyRequest]:
    """Requests waiting for a librarian, oldest first."""
    access.require(actor, Action.CHANGE_ACCESS)
    query = select(CopyRequest).where(CopyRequest.status == PENDING).order_by(CopyRequest.id)
    return list(db.scalars(query.options(selectinload(CopyRequest.work),
                                         selectinload(CopyRequest.user))))


def mine(db: Session, actor: Actor) -> list[CopyRequest]:
    """The actor's own requests and their decisions, newest first."""
    if actor.user_id is None:
        raise LoginRequired()
    query = select(CopyRequest).where(CopyRequest.user_id == actor.user_id)
    return list(db.scalars(query.order_by(CopyRequest.id.desc()).options(
        selectinload(CopyRequest.work), selectinload(CopyRequest.grant))))


def _pending_request(uow: UnitOfWork, request_id: int) -> CopyRequest:
    """A request still waiting, on a work this librarian may change the access of."""
    uow.require(Action.CHANGE_ACCESS)
    copy_request = uow.db.get(CopyRequest, request_id)
    if copy_request is None:
        raise NotFound()
    if copy_request.status != PENDING:
        raise UserError("already_decided", "This request has already been answered.")
    uow.require(Action.CHANGE_ACCESS, copy_request.work)
    return copy_request


def grant(db: Session, actor: Actor, request_id: int, days: int | None, reason: str,
          addresses: Addresses) -> CopyRequest:
    """Give the requester read and download access to the work for ``days`` days.

    ``addresses`` makes the work's address for the message to the requester.
    """
    with UnitOfWork(db, actor) as uow:
        copy_request = _pending_request(uow, request_id)
        if days is None or not 1 <= days <= MAX_GRANT_DAYS:
            raise UserError("bad_days", "Access can be granted for 1 to %(max)s days.",
                            field="days", max=MAX_GRANT_DAYS)
        reason = _reason(reason, required=False)
        now = utcnow()
        access_grant = AccessGrant(user_id=copy_request.user_id, work_id=copy_request.work_id,
                                   granted_by_id=actor.user_id, granted_at=now,
                                   expires_at=now + timedelta(days=days), reason=reason)
        db.add(access_grant)
        db.flush()
        _decide(copy_request, actor, GRANTED, reason)
        copy_request.grant_id = access_grant.id
        uow.audit("copy_request.grant", copy_request.work,
                  before={"request_id": copy_request.id, "status": PENDING},
                  after={"request_id": copy_request.id, "status": GRANTED,
                         "user_id": copy_request.user_id,
                         "expires_at": access_grant.expires_at.isoformat()},
                  reason=reason)
        title = copy_request.work.title
        mail.queue(db, copy_request.user, _l("Your request for “%(title)s” was granted", title=title),
                   _l("You may read and download “%(title)s” until %(until)s.\n%(url)s",
                      title=title, until=LazyString(local_date, access_grant.expires_at),
                      url=addresses.work(copy_request.work_id)))
        uow.on_commit(lambda: mail.deliver_quietly(db))
    return copy_request


def decline(db: Session, actor: Actor, request_id: int, reason: str,
            addresses: Addresses) -> CopyRequest:
    """Refuse the request; the reason is required because the requester is told it."""
    with UnitOfWork(db, actor) as uow:
        copy_request = _pending_request(uow, request_id)
        reason = _reason(reason, required=True)
        _decide(copy_request, actor, DECLINED, reason)
        uow.audit("copy_request.decline", copy_request.work,
                  before={"request_id": copy_request.id, "status": PENDING},
                  after={"request_id": copy_request.id, "status": DECLINED,
                         "user_id": copy_request.user_id},
                  reason=reason)
        title = copy_request.work.title
        mail.queue(db, copy_request.user, _l("Your request for “%(title)s” was declined", title=title),
                   _l("The library declined your request for “%(title)s”.\nReason: %(reason)s\n%(url)s",
                      title=title, reason=reason, url=addresses.work(copy_request.work_id)))
        uow.on_commit(lambda: mail.deliver_quietly(db))
    return copy_request


def _reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise UserError("reason_required", "Give the requester a reason.", field="reason")
    if len(reason) > MAX_REASON_CHARS:
        raise UserError("reason_too_long", "The reason is longer than %(n)s characters.",
                        field="reason", n=MAX_REASON_CHARS)
    return reason


def _decide(copy_request: CopyRequest, actor: Actor, status: str, reason: str) -> None:
    copy_request.status = status
    copy_request.decided_at = utcnow()
    copy_request.decided_by_id = actor.user_id
    copy_request.decision_reason = reason


def notifications_for(db: Session, actor: Actor) -> list[Notification]:
    """The actor's own messages, newest first (the on-site copy of what is mailed)."""
    if actor.user_id is None:
        raise LoginRequired()
    query = select(Notification).where(Notification.user_id == actor.user_id)
    return list(db.scalars(query.order_by(Notification.id.desc()).limit(50)))
