"""The outbox: messages to accounts, kept as ``Notification`` rows and mailed after the commit.

Subjects are built from data people typed (a work's title, which the API
accepts with a newline in it), so a header is made safe when the message is
queued — line breaks and other control characters become spaces — and a
message the mail library still refuses is marked failed on its row, never
retried in a loop. Each message is written in its recipient's language
(``language_of``): a message is handed over as lazy strings (``lazy_gettext``
with their parameters) and translated for each recipient when it is queued, so
librarians told of one event each read it in the language they chose.
Delivery runs after the change committed and never fails the request that
caused it: a broken SMTP server loses no request and no message (it stays in
the outbox with its error, and on the site).
"""

from __future__ import annotations

import re
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from typing import TYPE_CHECKING

from flask import current_app, has_app_context
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_app.config import LOCALES
from repo_app.models import Notification, User
from repo_app.models.types import utcnow

if TYPE_CHECKING:
    from flask_babel.speaklater import LazyString

MAX_SUBJECT_CHARS = 300
SMTP_TIMEOUT = 10
# Anything a header must not carry: line breaks (header injection), other control
# characters, and Unicode's own line and paragraph separators.
_UNSAFE_IN_HEADER = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def header_text(value: str, limit: int = MAX_SUBJECT_CHARS) -> str:
    """``value`` on one line, safe as a header: control characters become single spaces."""
    return " ".join(_UNSAFE_IN_HEADER.sub(" ", value).split())[:limit]


def language_of(user: User, asked_in: str | None = None) -> str:
    """The language to write to ``user`` in: the one they chose on the site, else that of the
    page the message was asked from (a password reset asked for in English), else the site's."""
    for choice in (user.locale, asked_in):
        if choice in LOCALES:
            return choice
    return current_app.config["DEFAULT_LOCALE"]


def queue(db: Session, user: User, subject: LazyString, body: LazyString, *,
          asked_in: str | None = None) -> Notification:
    """Add a message for ``user`` to the outbox (the caller's transaction commits it), its
    lazy subject and body written out in the recipient's language (``language_of``)."""
    with force_locale(language_of(user, asked_in)):
        note = Notification(user_id=user.id, address=user.email, subject=header_text(str(subject)),
                            body=str(body))
    db.add(note)
    return note


@dataclass(frozen=True)
class Mailer:
    host: str
    port: int
    sender: str


def _mailer() -> Mailer | None:
    config = current_app.config
    host = config["SMTP_HOST"]
    if not host:
        return None
    return Mailer(host, int(config["SMTP_PORT"]), config["SMTP_FROM"] or f"repository@{host}")


def deliver_pending(db: Session) -> int:
    """Mail unsent messages when SMTP is configured; each failure is kept on its row."""
    mailer = _mailer()
    if mailer is None:
        return 0
    unsent = list(db.scalars(select(Notification).where(Notification.sent_at.is_(None),
                                                        Notification.error == "")))
    sent = 0
    for note in unsent:
        try:
            _send(mailer, note)
        except (OSError, smtplib.SMTPException, ValueError, UnicodeError) as exc:
            current_app.logger.warning("notification %s not sent: %s", note.id, exc)
            note.error = str(exc)[:500] or type(exc).__name__
        else:
            note.sent_at = utcnow()
            sent += 1
    db.commit()
    return sent


def deliver_quietly(db: Session) -> None:
    """``deliver_pending`` for an after-commit hook: whatever goes wrong is logged, not raised.

    The change the request made is already committed; its answer must not
    turn into an error page because the mail server is down.
    """
    try:
        deliver_pending(db)
    except Exception:  # noqa: BLE001 - a hook after the commit must never fail the request
        db.rollback()
        if has_app_context():
            current_app.logger.exception("delivering the outbox failed; messages stay queued")


def _send(mailer: Mailer, note: Notification) -> None:
    _, address = parseaddr(note.address)
    if not address or address != note.address or header_text(address) != address:
        raise ValueError(f"not a deliverable address: {note.address!r}")
    message = EmailMessage()
    message["From"] = mailer.sender
    message["To"] = address
    message["Subject"] = header_text(note.subject)
    message.set_content(note.body)
    with smtplib.SMTP(mailer.host, mailer.port, timeout=SMTP_TIMEOUT) as smtp:
        smtp.send_message(message)
