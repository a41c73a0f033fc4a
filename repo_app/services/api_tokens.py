"""API tokens: created by an administrator for a depositor, checked on every API deposit.

The token is shown once; only its SHA-256 is stored. Checking tells
missing, unknown and expired tokens apart (distinct error codes), because a
depositor's script must know whether to fix its header or ask for a new token.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_app.access import Action, Actor
from repo_app.errors import UserError
from repo_app.models import ApiToken, User
from repo_app.models.types import utcnow
from repo_app.services import users
from repo_app.services.grants import active_work_ids
from repo_app.services.unit_of_work import UnitOfWork
from repo_app.vocab import Role

PREFIX = "vnir_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(db: Session, actor: Actor, email: str, days: int = 90) -> tuple[ApiToken, str]:
    """A new token for the account ``email``; returns the row and the token (shown once)."""
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.MANAGE_USERS)
        if not 1 <= days <= 3650:
            raise UserError("bad_days", "A token lasts between 1 and 3650 days.")
        user = users.find_by_email(db, email)
        if user is None or not user.active:
            raise UserError("unknown_user", "No active account with the e-mail %(email)s.",
                            email=email)
        token = PREFIX + secrets.token_urlsafe(32)
        row = ApiToken(user_id=user.id, token_hash=_hash(token),
                       expires_at=utcnow() + timedelta(days=days))
        db.add(row)
        db.flush()
        uow.audit("api_token.create",
                  after={"user": user.email, "expires_at": row.expires_at.isoformat()})
    return row, token


def unauthorized(code: str, message: str) -> UserError:
    return UserError(code, message, status=401)


def authenticate(db: Session, header: str | None) -> User:
    """The account behind ``Authorization: Bearer <token>``, or a 401 saying what is wrong."""
    if not header:
        raise unauthorized("token_missing", "An API token is required (Authorization: Bearer).")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("token_missing", "An API token is required (Authorization: Bearer).")
    row = db.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(token.strip())))
    if row is None or not row.user.active:
        raise unauthorized("token_invalid", "The API token is not valid.")
    if row.expires_at <= utcnow():
        raise unauthorized("token_expired", "The API token has expired; ask for a new one.")
    row.last_used_at = utcnow()
    db.commit()
    return row.user


def actor_of(db: Session, user: User) -> Actor:
    """The actor a token acts as: its account and grants, from no particular network."""
    return Actor(user_id=user.id, role=Role(user.role), name=user.display_name,
                 granted_work_ids=frozenset(active_work_ids(db, user.id)))
