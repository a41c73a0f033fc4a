"""Access grants: which works a user may currently read thanks to a librarian's grant."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_app.models import AccessGrant
from repo_app.models.types import utcnow


def active_work_ids(db: Session, user_id: int) -> frozenset[int]:
    """Works granted to ``user_id`` that have not expired (expiry needs no job)."""
    rows = db.scalars(
        select(AccessGrant.work_id).where(
            AccessGrant.user_id == user_id, AccessGrant.expires_at > utcnow()
        )
    )
    return frozenset(rows)
