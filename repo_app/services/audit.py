"""Recording audit events: part of the same transaction as the change they describe."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from repo_app.access import Actor
from repo_app.models import AuditEvent, Work


def record(
    db: Session,
    actor: Actor,
    action: str,
    work: Work | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Add an audit row; the caller's commit makes it durable together with the change."""
    event = AuditEvent(
        actor_id=actor.user_id,
        action=action,
        work_id=work.id if work is not None else None,
        before=before,
        after=after,
        reason=reason,
    )
    db.add(event)
    return event
