"""Request a copy: a member asks the librarians for access to a work they cannot download.

A librarian grants a time-limited ``AccessGrant`` (which ``access.decide``
honours until it expires, with no job) or declines with a reason. Messages
go to accounts only, never to an address typed into a form: the requester
writes to "the librarians", and replies go to the requester's own account.
They are written to the ``notifications`` outbox in the same transaction as
the change, and mailed after the commit when ``REPO_SMTP_HOST`` is set.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, replace
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from repo_app import resources
from repo_app.access import STAFF_ROLES, Action, Actor, decide
from repo_app.errors import Forbidden, NotFound, UserError
from repo_app.models import AccessGrant, CopyRequest, Notification, User, Work
from repo_app.models.types import utcnow
from repo_app.services import audit, works
from repo_app.vocab import Role

PENDING, GRANTED, DECLINED = "pending", "granted", "declined"
DEFAULT_GRANT_DAYS = 30
MAX_GRANT_DAYS = 365
DEFAULT_REQUESTS_PER_HOUR = 5
MAX_MESSAGE_CHARS = 2000


def setting(name: str, default: object) -> str:
    """``name`` from the app's config (``config.from_environment`` reads ``REPO_<name>``)."""
    return str(current_app.config.get(name) or default)


def may_request(actor: Actor, work: Work) -> bool:
    """Whether the form is offered: some file (or the work itself) is not downloadable."""
    policy = resources.policy()
    targets = work.files or [None]
    return any(decide(actor, Action.REQUEST_COPY, work, f, policy=policy) for f in targets)


def guest_could_request(actor: Actor, work: Work) -> bool:
    """Whether logging in would let a guest ask for something they cannot download now."""
    policy = resources.policy()
    member = replace(actor, user_id=0, role=Role.READER)
    targets = work.files or [None]
    return any(decide(member, Action.REQUEST_COPY, work, f, policy=policy) for f in targets)


def create(db: Session, actor: Actor, work_id: int, message: str) -> CopyRequest:
    """Record a request and tell the librarians; one pending request per work, a few an hour."""
    work = works.get_visible(db, actor, work_id)
    if actor.user_id is None:
        raise Forbidden("login")
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
    audit.record(db, actor, "copy_request.create", work, after={"request_id": copy_request.id},
                 reason=message)
    for librarian in _librarians(db):
        _notify(db, librarian, "New copy request for “%(title)s”",
                "%(requester)s asks for a copy of “%(title)s”.\n\n%(message)s",
                title=work.title, requester=actor.name, message=message)
    db.commit()
    deliver_pending(db)
    return copy_request


def _check_not_pending(db: Session, actor: Actor, work: Work) -> None:
    pending = db.scalar(select(CopyRequest.id).where(
        CopyRequest.user_id == actor.user_id, CopyRequest.work_id == work.id,
        CopyRequest.status == PENDING))
    if pending is not None:
        raise UserError("request_pending",
                        "You have already asked for this work; the librarians will answer soon.")


def _check_rate(db: Session, actor: Actor) -> None:
    limit = int(setting("COPY_REQUESTS_PER_HOUR", DEFAULT_REQUESTS_PER_HOUR))
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


def require_staff(actor: Actor) -> None:
    """The request queue and decisions are for librarians (403 for anyone else)."""
    decision = decide(actor, Action.CHANGE_ACCESS)
    if not decision:
        raise Forbidden(decision.reason)


def pending(db: Session, actor: Actor) -> list[CopyRequest]:
    """Requests waiting for a librarian, oldest first."""
    require_staff(actor)
    query = select(CopyRequest).where(CopyRequest.status == PENDING).order_by(CopyRequest.id)
    return list(db.scalars(query.options(selectinload(CopyRequest.work),
                                         selectinload(CopyRequest.user))))


def mine(db: Session, actor: Actor) -> list[CopyRequest]:
    """The actor's own requests and their decisions, newest first."""
    if actor.user_id is None:
        raise Forbidden("login")
    query = select(CopyRequest).where(CopyRequest.user_id == actor.user_id)
    return list(db.scalars(query.order_by(CopyRequest.id.desc()).options(
        selectinload(CopyRequest.work), selectinload(CopyRequest.grant))))


def _pending_request(db: Session, actor: Actor, request_id: int) -> CopyRequest:
    require_staff(actor)
    copy_request = db.get(CopyRequest, request_id)
    if copy_request is None:
        raise NotFound()
    if copy_request.status != PENDING:
        raise UserError("already_decided", "This request has already been answered.")
    decision = decide(actor, Action.CHANGE_ACCESS, copy_request.work, policy=resources.policy())
    if not decision:
        raise Forbidden(decision.reason)
    return copy_request


def grant(db: Session, actor: Actor, request_id: int, days: int = DEFAULT_GRANT_DAYS,
          reason: str = "") -> CopyRequest:
    """Give the requester read and download access to the work for ``days`` days."""
    copy_request = _pending_request(db, actor, request_id)
    if not 1 <= days <= MAX_GRANT_DAYS:
        raise UserError("bad_days", "Access can be granted for 1 to %(max)s days.", field="days",
                        max=MAX_GRANT_DAYS)
    now = utcnow()
    access = AccessGrant(user_id=copy_request.user_id, work_id=copy_request.work_id,
                         granted_by_id=actor.user_id, granted_at=now,
                         expires_at=now + timedelta(days=days), reason=reason.strip())
    db.add(access)
    db.flush()
    _decide(copy_request, actor, GRANTED, reason)
    copy_request.grant_id = access.id
    audit.record(db, actor, "copy_request.grant", copy_request.work,
                 before={"request_id": copy_request.id, "status": PENDING},
                 after={"request_id": copy_request.id, "status": GRANTED,
                        "user_id": copy_request.user_id,
                        "expires_at": access.expires_at.isoformat()},
                 reason=reason.strip())
    _notify(db, copy_request.user, "Your request for “%(title)s” was granted",
            "You may read and download “%(title)s” until %(until)s.\n%(url)s",
            title=copy_request.work.title, until=access.expires_at.date().isoformat(),
            url=_work_url(copy_request.work))
    db.commit()
    deliver_pending(db)
    return copy_request


def decline(db: Session, actor: Actor, request_id: int, reason: str) -> CopyRequest:
    """Refuse the request; the reason is required because the requester is told it."""
    copy_request = _pending_request(db, actor, request_id)
    if not reason.strip():
        raise UserError("reason_required", "Give the requester a reason.", field="reason")
    _decide(copy_request, actor, DECLINED, reason)
    audit.record(db, actor, "copy_request.decline", copy_request.work,
                 before={"request_id": copy_request.id, "status": PENDING},
                 after={"request_id": copy_request.id, "status": DECLINED,
                        "user_id": copy_request.user_id},
                 reason=reason.strip())
    _notify(db, copy_request.user, "Your request for “%(title)s” was declined",
            "The library declined your request for “%(title)s”.\nReason: %(reason)s\n%(url)s",
            title=copy_request.work.title, reason=reason.strip(), url=_work_url(copy_request.work))
    db.commit()
    deliver_pending(db)
    return copy_request


def _decide(copy_request: CopyRequest, actor: Actor, status: str, reason: str) -> None:
    copy_request.status = status
    copy_request.decided_at = utcnow()
    copy_request.decided_by_id = actor.user_id
    copy_request.decision_reason = reason.strip()


def _work_url(work: Work) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/works/{work.id}"


def _notify(db: Session, user: User, subject: str, body: str, **params: str) -> None:
    """Queue a message to an account, written in the site's default language."""
    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        db.add(Notification(user_id=user.id, address=user.email,
                            subject=gettext(subject, **params)[:300],
                            body=gettext(body, **params)))


def notifications_for(db: Session, actor: Actor) -> list[Notification]:
    """The actor's own messages, newest first (the on-site copy of what is mailed)."""
    if actor.user_id is None:
        raise Forbidden("login")
    query = select(Notification).where(Notification.user_id == actor.user_id)
    return list(db.scalars(query.order_by(Notification.id.desc()).limit(50)))


@dataclass(frozen=True)
class Mailer:
    host: str
    port: int
    sender: str


def _mailer() -> Mailer | None:
    host = setting("SMTP_HOST", "")
    if not host:
        return None
    return Mailer(host, int(setting("SMTP_PORT", 25)),
                  setting("SMTP_FROM", f"repository@{host}"))


def deliver_pending(db: Session) -> int:
    """Mail unsent notifications when SMTP is configured; a failure is kept on the row."""
    mailer = _mailer()
    if mailer is None:
        return 0
    unsent = list(db.scalars(select(Notification).where(Notification.sent_at.is_(None),
                                                        Notification.error == "")))
    sent = 0
    for note in unsent:
        try:
            _send(mailer, note)
            note.sent_at = utcnow()
            sent += 1
        except (OSError, smtplib.SMTPException) as exc:
            current_app.logger.warning("notification %s not sent: %s", note.id, exc)
            note.error = str(exc)[:500]
    db.commit()
    return sent


def _send(mailer: Mailer, note: Notification) -> None:
    message = EmailMessage()
    message["From"] = mailer.sender
    message["To"] = note.address
    message["Subject"] = note.subject
    message.set_content(note.body)
    with smtplib.SMTP(mailer.host, mailer.port, timeout=10) as smtp:
        smtp.send_message(message)
