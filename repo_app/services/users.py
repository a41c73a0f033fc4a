"""Accounts: creation and authentication."""

from __future__ import annotations

import secrets
from functools import lru_cache

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from repo_app.config import LOCALES
from repo_app.errors import UserError
from repo_app.models import User
from repo_app.vocab import Role

MIN_PASSWORD_LENGTH = 8


def normalize_email(email: str) -> str:
    return email.strip().lower()


def create_user(db: Session, email: str, password: str, role: str, name: str = "") -> User:
    """Create an account; an invalid role, e-mail or short password is the caller's error."""
    email = normalize_email(email)
    if "@" not in email or len(email) > 254:
        raise UserError("invalid_email", "Not a valid e-mail address: %(email)s", email=email)
    if role not in {r.value for r in Role} or role == Role.ANONYMOUS:
        raise UserError("invalid_role", "Unknown role: %(role)s", role=role)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError("weak_password", "The password needs at least %(n)s characters.",
                        n=MIN_PASSWORD_LENGTH)
    if find_by_email(db, email) is not None:
        raise UserError("duplicate_email", "An account for %(email)s already exists.", email=email)
    user = User(email=email, name=name, role=role)
    user.set_password(password, current_app.config["PASSWORD_HASH_METHOD"])
    db.add(user)
    db.commit()
    return user


def find_by_email(db: Session, email: str) -> User | None:
    return db.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def authenticate(db: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None.

    Unknown, disabled and wrong all answer None after the same work: an
    unknown address is checked against a dummy hash made with the same
    method, so the time taken does not tell who has an account.
    """
    user = find_by_email(db, email)
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    matches = user.check_password(password)
    return user if matches and user.active else None


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def remember_locale(db: Session, user_id: int | None, locale: str | None) -> None:
    """Keep the interface language a member chose, so what is mailed to them later
    (``services.mail``) is written in it; a guest or an unknown language changes nothing."""
    user = db.get(User, user_id) if user_id is not None and locale in LOCALES else None
    if user is not None and user.locale != locale:
        user.locale = locale
        db.commit()
