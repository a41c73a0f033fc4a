"""What the background jobs are doing: for ``repo-app jobs`` and the librarians' jobs page."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from repo_app.models import File, Job
from repo_app.models.jobs import DONE, FAILED, JOB_STATES, QUEUED, RUNNING
from repo_app.models.types import utcnow

LISTED = 50  # running and failed jobs listed by name (the counts cover all)
PACE_WINDOW = timedelta(hours=1)


def summary(db: Session) -> dict[str, Any]:
    """Counts by state and kind, pages per minute over the last hour, running and failed jobs."""
    counts = {state: 0 for state in JOB_STATES}
    by_kind: dict[str, dict[str, int]] = {}
    rows = db.execute(select(Job.kind, Job.state, func.count()).group_by(Job.kind, Job.state))
    for kind, state, count in rows:
        counts[state] += count
        by_kind.setdefault(kind, {s: 0 for s in JOB_STATES})[state] = count
    since = utcnow() - PACE_WINDOW
    pages = db.scalar(select(func.coalesce(func.sum(Job.pages), 0))
                      .where(Job.state == DONE, Job.finished_at >= since)) or 0
    return {
        "counts": counts,
        "by_kind": by_kind,
        "pages_last_hour": int(pages),
        "pages_per_minute": round(pages / (PACE_WINDOW.total_seconds() / 60), 1),
        "running": [_job(db, j) for j in _listed(db, RUNNING)],
        "failed": [_job(db, j) for j in _listed(db, FAILED)],
        "queued_oldest": _oldest_queued(db),
    }


def _listed(db: Session, state: str) -> list[Job]:
    order = Job.finished_at.desc() if state == FAILED else Job.started_at
    return list(db.scalars(select(Job).where(Job.state == state).order_by(order, Job.id)
                           .limit(LISTED)))


def _job(db: Session, job: Job) -> dict[str, Any]:
    file = db.get(File, job.file_id) if job.file_id else None
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state,
        "file_id": job.file_id,
        "work_id": file.work_id if file is not None else None,
        "file": file.original_name if file is not None else "",
        "page": job.payload.get("page"),
        "attempts": job.attempts,
        "worker": job.worker,
        "message": job.message,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def _oldest_queued(db: Session) -> str | None:
    oldest = db.scalar(select(func.min(Job.created_at)).where(Job.state == QUEUED))
    return oldest.isoformat() if oldest else None


def as_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def as_table(report: dict[str, Any]) -> str:
    """A plain-text summary for a terminal."""
    counts = report["counts"]
    lines = [f"{'kind':<12} {'queued':>8} {'running':>8} {'failed':>8} {'done':>8}"]
    for kind, row in sorted(report["by_kind"].items()):
        lines.append(f"{kind:<12} {row['queued']:>8} {row['running']:>8} {row['failed']:>8} "
                     f"{row['done']:>8}")
    lines.append(f"{'all':<12} {counts['queued']:>8} {counts['running']:>8} "
                 f"{counts['failed']:>8} {counts['done']:>8}")
    lines.append(f"pages per minute (last hour): {report['pages_per_minute']}")
    for job in report["failed"]:
        page = f" page {job['page'] + 1}" if job["page"] is not None else ""
        lines.append(f"failed #{job['id']} {job['kind']} {job['file']}{page}: {job['message']}")
    return "\n".join(lines)
