"""Managing accounts (administrators) and resetting a forgotten password (anyone).

Every change an administrator makes to an account is an audit event with
the values before and after. A reset link is signed with the site's secret
and carries a fingerprint of the current password hash, so it works once:
after the password changes, the same link is refused. It expires after an
hour. Asking for a link answers the same whether or not the address has an
account, so the form tells nobody who is registered.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_app.access import Action, Actor
from repo_app.errors import NotFound, UserError
from repo_app.models import User
from repo_app.services import mail, users
from repo_app.services.unit_of_work import UnitOfWork
from repo_app.vocab import Role

RESET_SALT = "password-reset"
RESET_MAX_AGE = 3600
ROLES = tuple(r.value for r in Role if r != Role.ANONYMOUS)


def all_accounts(db: Session, actor: Actor) -> list[User]:
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.MANAGE_USERS)
        return list(db.scalars(select(User).order_by(User.email)))


def create(db: Session, actor: Actor, email: str, role: str, name: str,
           reset_link: Callable[[str], str]) -> User:
    """A new account with an unusable password; its owner sets one through a mailed link."""
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.MANAGE_USERS)
    user = users.create_user(db, email, secrets.token_urlsafe(32), role, name)
    with UnitOfWork(db, actor) as uow:
        uow.audit("user.create", after={"user": user.email, "role": user.role})
        _mail_reset(db, user, reset_link)
        uow.on_commit(lambda: mail.deliver_quietly(db))
    return user


def set_role(db: Session, actor: Actor, user_id: int, role: str) -> User:
    if role not in ROLES:
        raise UserError("invalid_role", "Unknown role: %(role)s", role=role)
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.MANAGE_USERS)
        user = _other(db, actor, user_id)
        if user.role != role:
            uow.audit("user.role", before={"user": user.email, "role": user.role},
                      after={"user": user.email, "role": role})
            user.role = role
    return user


def set_active(db: Session, actor: Actor, user_id: int, active: bool) -> User:
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.MANAGE_USERS)
        user = _other(db, actor, user_id)
        if user.active != active:
            uow.audit("user.enable" if active else "user.disable",
                      before={"user": user.email, "active": user.active},
                      after={"user": user.email, "active": active})
            user.active = active
    return user


def _other(db: Session, actor: Actor, user_id: int) -> User:
    """The account to change; never one's own (an administrator cannot lock themselves out)."""
    user = db.get(User, user_id)
    if user is None:
        raise NotFound()
    if user.id == actor.user_id:
        raise UserError("own_account", "You cannot change your own role or lock your own account.")
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    return user.password_hash[-16:]


def request_reset(db: Session, email: str, reset_link: Callable[[str], str]) -> None:
    """Mail a reset link to an active account with this address; say nothing either way.

    The mail speaks the account's language, or else that of the page it was asked from.
    """
    user = users.find_by_email(db, email)
    if user is not None and user.active:
        _mail_reset(db, user, reset_link, asked_in=str(get_locale() or ""))
        db.commit()
        mail.deliver_quietly(db)


def _mail_reset(db: Session, user: User, reset_link: Callable[[str], str], *,
                asked_in: str | None = None) -> None:
    token = _serializer().dumps({"user": user.id, "hash": _fingerprint(user)})
    mail.queue(db, user, _l("Set your password"),
               _l("Open this link within an hour to set a new password: %(link)s",
                  link=reset_link(token)), asked_in=asked_in)


def reset_password(db: Session, token: str, password: str, confirmation: str) -> User:
    """Set the password of the account the link was made for, once, within the hour."""
    try:
        claim = _serializer().loads(token, max_age=RESET_MAX_AGE)
    except BadSignature:
        raise UserError("bad_reset_link", "This link is not valid or has expired; ask for a new "
                        "one.") from None
    user = db.get(User, claim.get("user"))
    if user is None or not user.active or claim.get("hash") != _fingerprint(user):
        raise UserError("bad_reset_link", "This link is not valid or has expired; ask for a new one.")
    if password != confirmation:
        raise UserError("password_mismatch", "The two passwords differ.", field="password")
    if len(password) < users.MIN_PASSWORD_LENGTH:
        raise UserError("weak_password", "The password needs at least %(n)s characters.",
                        field="password", n=users.MIN_PASSWORD_LENGTH)
    user.set_password(password, current_app.config["PASSWORD_HASH_METHOD"])
    with UnitOfWork(db, Actor(user_id=user.id, role=Role(user.role))) as uow:
        uow.audit("user.password_reset", after={"user": user.email})
    return user
