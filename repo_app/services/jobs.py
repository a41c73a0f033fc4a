"""Durable background jobs: schedule, claim, run, retry, sweep.

The ``jobs`` table is the truth; the task queue (``repo_app.jobqueue``)
only tells a worker "job 42 may be ready". So:

- ``schedule`` adds the row in the caller's transaction (a rolled-back
  deposit queues nothing) and sends the id only after the commit; a job
  whose key is already outstanding is not added twice.
- ``claim`` is one conditional UPDATE, so however often an id is sent and
  however many workers receive it, one runs it.
- A handler commits its results together with the job's end where it can
  (``finish(db, job)`` inside its own transaction), so a crash before that
  commit leaves the job to run again, and a crash after it leaves nothing
  to redo. Handlers are written to be run twice without harm.
- A failure is retried with backoff up to ``max_attempts``, then the job is
  ``failed`` with the reason, and its kind's ``give_up`` hook tells the file.
- ``sweep`` (every minute in every worker, and when a worker starts) takes
  back jobs whose worker died or stopped beating, and re-sends queued jobs
  the queue may have lost.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest.storage import process_alive
from repo_app.db import after_commit, standalone_session
from repo_app.models import IndexQueueItem, Job
from repo_app.models.jobs import DONE, FAILED, QUEUED, RUNNING
from repo_app.models.types import utcnow

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 20
STALE_AFTER = timedelta(seconds=120)  # a running job whose worker was silent this long is taken back
KEEP_DONE = timedelta(days=14)
RETRY_BASE_SECONDS = 30
RETRY_FACTOR = 4
RESEND_AT_MOST = 1000
# Messages of these kinds jump the queue (higher first; others are 0). A campaign queues
# thousands of ``ocr_page`` jobs: behind them, a new deposit would wait hours to be
# searchable. Index writes are short and make works findable; a scan's assembly and a
# file's first reading come before the pages of OCR already waiting.
PRIORITIES = {"index": 30, "scan_assemble": 20, "extract": 10}


@dataclass(frozen=True)
class Kind:
    """What running a job of one kind means, and what to do when it finally fails."""

    run: Callable[[Session, Job], None]
    give_up: Callable[[Session, Job], None] | None = None


KINDS: dict[str, Kind] = {}


def kind(name: str, *, give_up: Callable[[Session, Job], None] | None = None):
    """Register the function that runs jobs of ``name`` (a decorator)."""
    def register(run: Callable[[Session, Job], None]) -> Callable[[Session, Job], None]:
        KINDS[name] = Kind(run, give_up)
        return run
    return register


def load_kinds() -> None:
    """Import the modules that register job kinds (``kind``), once, before a job runs."""
    from repo_app.services import scan_jobs, text_jobs  # noqa: F401


def worker_name() -> str:
    """``host:pid`` of this process: whom a running job belongs to."""
    return f"{socket.gethostname()}:{os.getpid()}"


# --- scheduling ---------------------------------------------------------------------------


def schedule(db: Session, kind_name: str, key: str, *, file_id: int | None = None,
             batch: str = "", payload: dict[str, Any] | None = None, delay: int = 0) -> Job:
    """Queue a job in the caller's transaction, or return the outstanding one with ``key``.

    The id is sent to the workers once the caller commits. ``delay`` seconds
    let more work join a job while it waits (one index write for many files);
    jobs run at once where they are queued in eager mode.
    """
    existing = db.scalar(select(Job).where(Job.unique_key == key))
    if existing is not None:
        return existing
    if current_app.config["JOBS_EAGER"]:
        delay = 0
    job = Job(kind=kind_name, key=key, unique_key=key, file_id=file_id, batch=batch,
              payload=payload or {}, state=QUEUED, run_after=utcnow() + timedelta(seconds=delay),
              worker="", message="")
    try:
        with db.begin_nested():
            db.add(job)
    except IntegrityError:  # another process queued the same key a moment ago
        return db.scalar(select(Job).where(Job.unique_key == key))
    job_id = job.id
    after_commit(db, lambda: send(job_id, delay, kind=kind_name))
    return job


def send(job_id: int, delay: int = 0, *, kind: str = "") -> None:
    """Tell the workers about a job of ``kind`` (or, in eager mode, run it here and now)."""
    from repo_app import jobqueue

    jobqueue.send(current_app._get_current_object(), job_id, delay,
                  priority=PRIORITIES.get(kind, 0))


# --- running ------------------------------------------------------------------------------


def claim(db: Session, job_id: int, worker: str) -> Job | None:
    """Take a queued, due job for ``worker``; None when someone else has it or it is not due."""
    now = utcnow()
    taken = db.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == QUEUED, Job.run_after <= now)
        .values(state=RUNNING, worker=worker, started_at=now, heartbeat=now,
                attempts=Job.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.commit()
    return db.get(Job, job_id, populate_existing=True) if taken else None


def run(app: Flask, job_id: int) -> str | None:
    """Run one job if it can be claimed; return its final state (None when not claimed)."""
    with app.app_context(), standalone_session(app) as db:
        job = claim(db, job_id, worker_name())
        if job is None:
            return None
        load_kinds()
        with _Heartbeat(app, job_id):
            try:
                KINDS[job.kind].run(db, job)
                if job.state == RUNNING:
                    finish(db, job)
                db.commit()
            except Exception as error:  # noqa: BLE001 - any failure is recorded on the job
                db.rollback()
                log.exception("job %s (%s) failed", job_id, job.kind)
                fail(db, job_id, _reason(error))
        return db.get(Job, job_id, populate_existing=True).state


def finish(db: Session, job: Job, *, pages: int | None = None) -> None:
    """Mark the job done in the caller's transaction (commit it with the job's results)."""
    job.state, job.finished_at, job.unique_key = DONE, utcnow(), None
    job.message = ""
    if pages is not None:
        job.pages = pages


def fail(db: Session, job_id: int, reason: str) -> None:
    """Record a failed attempt: queue it again after a backoff, or give up for good."""
    job = db.get(Job, job_id, populate_existing=True)
    if job is None or job.state != RUNNING:
        return
    job.message = reason[:2000]
    job.worker = ""
    if job.attempts < job.max_attempts:
        delay = RETRY_BASE_SECONDS * RETRY_FACTOR ** (job.attempts - 1)
        job.state, job.run_after = QUEUED, utcnow() + timedelta(seconds=delay)
    else:
        _give_up(db, job)
    db.commit()


def _give_up(db: Session, job: Job) -> None:
    job.state, job.finished_at, job.unique_key = FAILED, utcnow(), None
    load_kinds()
    hook = KINDS[job.kind].give_up if job.kind in KINDS else None
    if hook is not None:
        hook(db, job)


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


class _Heartbeat:
    """Beats for a running job from a thread, so a sweep can tell a live worker from a dead one."""

    def __init__(self, app: Flask, job_id: int) -> None:
        self.app, self.job_id = app, job_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True, name=f"beat-{job_id}")

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=5)

    def _beat(self) -> None:
        while not self.stop.wait(HEARTBEAT_SECONDS):
            try:
                with standalone_session(self.app) as db:
                    db.execute(update(Job).where(Job.id == self.job_id, Job.state == RUNNING)
                               .values(heartbeat=utcnow()))
                    db.commit()
            except Exception:  # noqa: BLE001 - a missed beat is retried; the job goes on
                log.warning("heartbeat of job %s failed", self.job_id, exc_info=True)


# --- librarians and the sweep -------------------------------------------------------------


def retry(db: Session, job_ids: list[int] | None = None) -> int:
    """Queue failed jobs again with fresh attempts (all failed ones when ``job_ids`` is None).

    A failed job whose key has meanwhile got a newer outstanding job is left
    as history. The caller commits; the ids are sent after the commit.
    """
    query = select(Job).where(Job.state == FAILED)
    if job_ids is not None:
        query = query.where(Job.id.in_(job_ids))
    count = 0
    for job in db.scalars(query).all():
        if db.scalar(select(Job.id).where(Job.unique_key == job.key)) is not None:
            continue
        job.state, job.unique_key, job.attempts = QUEUED, job.key, 0
        job.run_after, job.finished_at, job.message = utcnow(), None, ""
        db.flush()
        job_id, kind_name = job.id, job.kind
        after_commit(db, lambda job_id=job_id, kind_name=kind_name: send(job_id, kind=kind_name))
        count += 1
    return count


def sweep(db: Session, *, queue_empty: bool = True) -> dict[str, int]:
    """Take back abandoned jobs, re-send due ones the queue may have lost, prune old history."""
    taken_back = _take_back(db)
    _index_what_waits(db)
    db.commit()
    resent = _resend_due(db) if queue_empty or taken_back else []
    pruned = db.execute(delete(Job).where(Job.state == DONE,
                                          Job.finished_at < utcnow() - KEEP_DONE)).rowcount
    db.commit()
    for job_id, kind_name in resent:
        send(job_id, kind=kind_name)
    return {"taken_back": taken_back, "resent": len(resent), "pruned": pruned or 0}


def _take_back(db: Session) -> int:
    """Running jobs whose worker is gone: silent too long, or a dead process on this host."""
    silent = utcnow() - STALE_AFTER
    host = socket.gethostname()
    count = 0
    for job in db.scalars(select(Job).where(Job.state == RUNNING)).all():
        name, _, pid = job.worker.rpartition(":")
        dead_here = name == host and pid.isdigit() and not process_alive(int(pid))
        if dead_here or job.heartbeat is None or job.heartbeat < silent:
            job.worker = ""
            if job.attempts >= job.max_attempts:
                job.message = job.message or "The worker stopped while running this job."
                _give_up(db, job)
            else:
                job.state = QUEUED
            count += 1
    return count


def _index_what_waits(db: Session) -> None:
    """Index changes queued by a job that died before its ``index`` job was sent."""
    if db.scalar(select(IndexQueueItem.id).limit(1)) is not None:
        schedule(db, "index", "index")


def _resend_due(db: Session) -> list[tuple[int, str]]:
    query = (select(Job.id, Job.kind).where(Job.state == QUEUED, Job.run_after <= utcnow())
             .order_by(Job.id).limit(RESEND_AT_MOST))
    return [(job_id, kind_name) for job_id, kind_name in db.execute(query)]


# --- what is outstanding ------------------------------------------------------------------


def batch_progress(db: Session, batch: str) -> tuple[int, int]:
    """The batch's jobs not yet done or failed, and the pages its done jobs read or
    recognised, in one query (a waiting import asks ten times a second)."""
    left = func.count().filter(Job.state.in_((QUEUED, RUNNING)))
    pages = func.coalesce(func.sum(Job.pages).filter(Job.state == DONE), 0)
    outstanding_, pages_done = db.execute(select(left, pages).where(Job.batch == batch)).one()
    return outstanding_, pages_done


def outstanding(db: Session, *, batch: str | None = None) -> int:
    """Jobs not yet done or failed (of one batch when given)."""
    query = select(func.count()).select_from(Job).where(Job.state.in_((QUEUED, RUNNING)))
    if batch is not None:
        query = query.where(Job.batch == batch)
    return db.scalar(query) or 0
