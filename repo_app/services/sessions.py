"""Login sessions on the server: logging out, a password change and disabling end them.

Flask's session is a signed cookie: on its own, "logging out" only asks the
browser to forget it, and a copy taken earlier (a shared reading-room
computer, a stolen cookie) keeps working for a month. So the cookie also
carries a random token naming a row here, and a request is logged in only
while that row exists, has not expired, was made with the account's current
password, and the account is active. Logging out deletes the row; a new
password (reset, administrator, command line) changes the stamp every row is
compared with; a disabled account is refused whatever its rows say.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.orm import Session

from repo_app.models import LoginSession, User
from repo_app.models.types import utcnow
from repo_app.services import users


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_stamp(user: User) -> str:
    """A short digest of the password hash: it changes whenever the password does."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def lifetime() -> timedelta:
    """``REPO_SESSION_HOURS``: how long a login lasts, however active."""
    return timedelta(hours=float(current_app.config["SESSION_HOURS"]))


def log_in(db: Session, email: str, password: str,
           locale: str | None = None) -> tuple[User, str] | None:
    """Check the credentials and start a session: the account and the cookie's token, or None.

    ``locale`` is the language the visitor chose before logging in, kept for the account.
    """
    user = users.authenticate(db, email, password)
    if user is None:
        return None
    users.remember_locale(db, user.id, locale)
    return user, start(db, user)


def start(db: Session, user: User) -> str:
    """A new session for ``user``; returns the token for the cookie (committed)."""
    now = utcnow()
    db.execute(delete(LoginSession).where(LoginSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    db.add(LoginSession(id=_digest(token), user_id=user.id, password_stamp=password_stamp(user),
                        created_at=now, expires_at=now + lifetime()))
    db.commit()
    return token


def resume(db: Session, user_id: str, token: str | None) -> User | None:
    """The account a cookie's session belongs to, or None when that session has ended."""
    if not token or not user_id.isascii() or not user_id.isdigit():
        return None
    row = db.get(LoginSession, _digest(token))
    if row is None or str(row.user_id) != user_id or row.expires_at <= utcnow():
        return None
    user = db.get(User, row.user_id)
    if user is None or not user.active or row.password_stamp != password_stamp(user):
        return None
    return user


def end(db: Session, token: str | None) -> None:
    """Log one browser out: its session row goes, so a saved copy of the cookie is dead."""
    if token:
        db.execute(delete(LoginSession).where(LoginSession.id == _digest(token)))
        db.commit()

