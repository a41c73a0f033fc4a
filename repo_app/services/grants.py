"""Access grants: which works a user may currently read thanks to a librarian's grant."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_app.models import AccessGrant, Work
from repo_app.models.types import utcnow
from repo_app.vocab import AccessLevel


def active_work_ids(db: Session, user_id: int) -> frozenset[int]:
    """Works granted to ``user_id`` that have not expired (expiry needs no job).

    A grant never covers an on-site work (no copies of those), even one made
    before the work became on-site: ``access.decide`` says so per file, and
    leaving them out here keeps the search scope the same.
    """
    rows = db.scalars(
        select(AccessGrant.work_id).join(Work, Work.id == AccessGrant.work_id).where(
            AccessGrant.user_id == user_id, AccessGrant.expires_at > utcnow(),
            Work.access_level != AccessLevel.ONSITE,
        )
    )
    return frozenset(rows)
