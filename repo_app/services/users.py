"""Accounts: creation and authentication."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
    """The active user with these credentials, or None (same answer for unknown and wrong)."""
    user = find_by_email(db, email)
    if user is None or not user.active or not user.check_password(password):
        return None
    return user
