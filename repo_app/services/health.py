"""Whether the parts the site needs answer: the database and the search index (``/healthz``)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from repo_app import resources


def check(db: Session) -> dict[str, str]:
    """``{"database": "ok", "index": "ok" | "error"}``; a dead database raises."""
    db.execute(text("SELECT 1"))
    return {"database": "ok", "index": "ok" if resources.index().healthy() else "error"}
