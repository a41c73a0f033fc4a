"""API tokens: created by an administrator for a depositor, checked on every API call.

The token is shown once; only its SHA-256 is stored. A token does only what
its scopes say (``deposit``: create, upload, submit; ``read``: the
account's own records), lasts 30 days unless asked otherwise (at most a
year), and can be listed and revoked (``repo-app tokens list|revoke``);
creating and revoking are audited. A disabled account's tokens are refused.
Checking tells missing, unknown, expired, revoked and out-of-scope tokens
apart (distinct error codes), because a depositor's script must know
whether to fix its header or ask for a new token.
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
DEPOSIT, READ = "deposit", "read"
SCOPES = (DEPOSIT, READ)
DEFAULT_DAYS = 30
MAX_DAYS = 365


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(db: Session, actor: Actor, email: str, days: int = DEFAULT_DAYS,
           scopes: tuple[str, ...] = SCOPES) -> tuple[ApiToken, str]:
    """A new token for the account ``email``; returns the row and the token (shown once)."""
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.MANAGE_USERS)
        if not 1 <= days <= MAX_DAYS:
            raise UserError("bad_days", "A token lasts between 1 and %(n)s days.", n=MAX_DAYS)
        unknown = sorted(set(scopes) - set(SCOPES))
        if unknown or not scopes:
            raise UserError("bad_scope", "A token's scopes are deposit and/or read, not %(scope)s.",
                            scope=", ".join(unknown) or "nothing")
        user = users.find_by_email(db, email)
        if user is None or not user.active:
            raise UserError("unknown_user", "No active account with the e-mail %(email)s.",
                            email=email)
        token = PREFIX + secrets.token_urlsafe(32)
        row = ApiToken(user_id=user.id, token_hash=_hash(token),
                       scopes=" ".join(s for s in SCOPES if s in scopes),
                       expires_at=utcnow() + timedelta(days=days))
        db.add(row)
        db.flush()
        uow.audit("api_token.create", after={"token_id": row.id, "user": user.email,
                                             "scopes": row.scopes,
                                             "expires_at": row.expires_at.isoformat()})
    return row, token


def listing(db: Session, actor: Actor, email: str = "") -> list[ApiToken]:
    """Every token (or one account's), newest first, revoked and expired ones included."""
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.MANAGE_USERS)
        query = select(ApiToken).join(ApiToken.user).order_by(ApiToken.id.desc())
        if email:
            query = query.where(User.email == users.normalize_email(email))
        return list(db.scalars(query))


def revoke(db: Session, actor: Actor, token_id: int) -> ApiToken:
    """End a token now; revoking twice is not an error (and not audited twice)."""
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.MANAGE_USERS)
        row = db.get(ApiToken, token_id)
        if row is None:
            raise UserError("unknown_token", "No API token has the number %(id)s.", id=token_id,
                            status=404)
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            uow.audit("api_token.revoke", before={"token_id": row.id, "user": row.user.email},
                      after={"token_id": row.id, "revoked_at": row.revoked_at.isoformat()})
    return row


def unauthorized(code: str, message: str) -> UserError:
    return UserError(code, message, status=401)


def authenticate(db: Session, header: str | None, scope: str) -> User:
    """The account behind ``Authorization: Bearer <token>`` for ``scope``, or a 401 (403 for
    a good token without that scope) saying what is wrong."""
    if not header:
        raise unauthorized("token_missing", "An API token is required (Authorization: Bearer).")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("token_missing", "An API token is required (Authorization: Bearer).")
    row = db.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(token.strip())))
    if row is None or not row.user.active:
        raise unauthorized("token_invalid", "The API token is not valid.")
    if row.revoked_at is not None:
        raise unauthorized("token_revoked", "The API token was revoked; ask for a new one.")
    if row.expires_at <= utcnow():
        raise unauthorized("token_expired", "The API token has expired; ask for a new one.")
    if scope not in row.scopes.split():
        raise UserError("token_scope", "The API token does not allow this (%(scope)s).",
                        status=403, scope=scope)
    row.last_used_at = utcnow()
    db.commit()
    return row.user


def actor_of(db: Session, user: User) -> Actor:
    """The actor a token acts as: its account and grants, from no particular network."""
    return Actor(user_id=user.id, role=Role(user.role), name=user.display_name,
                 granted_work_ids=frozenset(active_work_ids(db, user.id)))
