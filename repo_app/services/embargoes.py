"""Tidying up after embargoes end.

``access.effective_level`` already treats an embargo past its date as
lifted, so readers never wait for this. Lifting writes that fact down:
the work takes its after-embargo level, its datestamp moves (incremental
OAI-PMH harvesters see the change), an ``embargo.lift`` audit event keeps
the embargo's history (its end date and reason, in ``before``), and the
index document is rewritten.

It runs from ``repo-app embargoes lift`` (cron, daily) and opportunistically
from the web app at most once an hour per process (``EMBARGO_LIFT_INTERVAL``
seconds, 0 to turn it off; the first run waits one interval after start-up).
"""

from __future__ import annotations

import threading
import time
from datetime import date

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_app import db as database
from repo_app.access import SYSTEM, Action, Actor
from repo_app.models import Work
from repo_app.services import works
from repo_app.services.unit_of_work import UnitOfWork
from repo_app.vocab import AccessLevel, WorkStatus

_STATE_KEY = "repo_embargo_lift"


def due(db: Session, today: date | None = None) -> list[Work]:
    """Works still stored as embargoed whose embargo has ended."""
    today = today or date.today()
    query = select(Work).where(Work.access_level == AccessLevel.EMBARGOED,
                               Work.embargo_until.is_not(None), Work.embargo_until <= today)
    return list(db.scalars(query.order_by(Work.id)))


def lift(db: Session, actor: Actor, today: date | None = None) -> list[int]:
    """Lift every ended embargo (staff or the system); returns the ids of the lifted works."""
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.CHANGE_ACCESS)
        lifted = []
        for work in due(db, today):
            _lift_one(uow, work)
            lifted.append(work.id)
    return lifted


def _lift_one(uow: UnitOfWork, work: Work) -> None:
    before = works.access_snapshot(work) | {"embargo_reason": work.embargo_reason}
    ended = work.embargo_until.isoformat() if work.embargo_until else ""
    work.access_level = work.access_after_embargo or AccessLevel.OPEN
    work.embargo_until = None
    work.touch()
    if work.access_level != AccessLevel.CONFIDENTIAL:
        work.was_public = work.was_public or work.status == WorkStatus.PUBLISHED
    reason = f"embargo ended {ended}" + (f": {work.embargo_reason}" if work.embargo_reason else "")
    uow.audit("embargo.lift", work, before=before, after=works.access_snapshot(work),
              reason=reason)
    uow.index(work)


def interval_seconds(app: Flask) -> int:
    return int(app.config["EMBARGO_LIFT_INTERVAL"])


def install_hourly(app: Flask) -> None:
    """Lift due embargoes from a request at most once per interval (a convenience, not a job)."""
    interval = interval_seconds(app)
    if interval <= 0:
        return
    app.extensions[_STATE_KEY] = {"next": time.monotonic() + interval, "lock": threading.Lock()}

    def maybe_lift() -> None:
        state = current_app.extensions[_STATE_KEY]
        if time.monotonic() < state["next"] or not state["lock"].acquire(blocking=False):
            return
        try:
            state["next"] = time.monotonic() + interval
            with database.standalone_session(current_app) as session:
                lift(session, SYSTEM)
        except Exception:
            current_app.logger.exception("lifting embargoes failed; the next interval retries")
        finally:
            state["lock"].release()

    app.before_request(maybe_lift)
