"""The task queue that carries job ids to workers: Huey, on SQLite or Redis.

``REPO_QUEUE_URL`` empty: a SQLite file in the data directory (the embedded
default, no other service); ``redis://…``: Redis, so ``repo-app worker`` may
run on any number of hosts that share the database and the file store.
docs/jobs.md says why Huey. The queue holds only ``run_job(id)`` messages
and the one-minute ``sweep``: what a job is, and whether it is done, lives in
the ``jobs`` table (``services.jobs``), so a lost or repeated message costs
nothing.

Workers are threads of one consumer process: the heavy work of every job
runs in child processes anyway (pdfminer in ingest's limited workers,
pdftoppm and tesseract), and Huey's process workers are daemonic, which may
not start children of their own.

``REPO_JOBS_EAGER=1`` (the test suite's default) runs a job in the process
that queued it, right after the commit, with no queue at all.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from huey import Huey, PriorityRedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer

log = logging.getLogger(__name__)

# The consumer polls an idle queue at most this often (seconds), and backs off to it.
POLL_MAX_DELAY = 0.25
_APP: Flask | None = None  # the app a worker process runs jobs with


def queue(app: Flask) -> Huey:
    """The app's queue, made on first use."""
    huey = app.extensions.get("repo_queue")
    if huey is None:
        huey = app.extensions["repo_queue"] = _make(app)
    return huey


def _make(app: Flask) -> Huey:
    url, name = app.config["QUEUE_URL"], app.config["QUEUE_NAME"]
    if url.startswith(("redis://", "rediss://", "unix://")):
        huey: Huey = PriorityRedisHuey(name, url=url, results=False)
    else:
        path = Path(app.config["DATA_DIR"]) / "queue.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        # fsync off: a message lost in a power cut is re-sent by the sweep from the jobs table.
        huey = SqliteHuey(name, filename=str(path), results=False, fsync=False)
    app.extensions["repo_run_job"] = huey.task(name="run_job")(_run_job)
    huey.periodic_task(crontab(minute="*"), name="sweep")(_sweep)
    return huey


def send(app: Flask, job_id: int, delay: int = 0, *, priority: int = 0) -> None:
    """Put ``run_job(job_id)`` on the queue, due in ``delay`` seconds, ahead of messages of
    lower ``priority`` (eager mode: run it now)."""
    if app.config["JOBS_EAGER"]:
        from repo_app.services import jobs

        jobs.run(app, job_id)
        return
    queue(app)
    task = app.extensions["repo_run_job"]
    if delay:  # Huey's scheduler enqueues it when due
        task.schedule(args=(job_id,), delay=delay, priority=priority)
    else:
        task(job_id, priority=priority)  # a Huey task called is a message enqueued


def _run_job(job_id: int) -> None:
    from repo_app.services import jobs

    jobs.run(_worker_app(), job_id)


def _sweep() -> None:
    from repo_app.db import standalone_session
    from repo_app.services import jobs

    app = _worker_app()
    with app.app_context(), standalone_session(app) as db:
        swept = jobs.sweep(db, queue_empty=queue(app).pending_count() == 0)
    if any(swept.values()):
        log.info("sweep: %s", swept)


def _worker_app() -> Flask:
    if _APP is None:
        raise RuntimeError("no app: run jobs through repo-app worker")
    return _APP


def work(app: Flask, concurrency: int) -> None:
    """Run a consumer in this process until SIGINT/SIGTERM (``repo-app worker``)."""
    _consumer(app, concurrency).run()


@contextmanager
def working_here(app: Flask, concurrency: int) -> Iterator[None]:
    """Run ``concurrency`` worker threads in this process while the block runs.

    ``repo-app import`` works the queue itself this way: a worker child
    would start a second interpreter and build a second app (most of a
    second on a small machine) before its first job, and Huey's graceful
    stop of a child waits out its polling. Ctrl+C still interrupts the
    command: Huey's signal handlers, meant for a consumer's own main loop,
    are put back to Python's. Leaving the block finishes the jobs running.
    """
    consumer = _consumer(app, concurrency)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer.start()
    for sig, handler in handlers.items():
        signal.signal(sig, handler)
    try:
        yield
    finally:
        consumer.stop(graceful=True)


def _consumer(app: Flask, concurrency: int) -> Consumer:
    """A consumer of ``app``'s queue with thread workers, after a sweep of this host's jobs."""
    global _APP
    _APP = app
    with app.app_context():
        _sweep()  # take back what a killed worker on this host held, at once
    return queue(app).create_consumer(
        workers=max(1, concurrency), worker_type="thread", periodic=True,
        initial_delay=0.05, backoff=1.5, max_delay=POLL_MAX_DELAY, check_worker_health=True)


def start_worker(concurrency: int, *, quiet: bool = True) -> subprocess.Popen[bytes]:
    """A ``repo-app worker`` child that dies with this process (``repo-app run`` and ``import``)."""
    command = [sys.executable, "-c", "from repo_app.cli import main; main()",
               "worker", "--concurrency", str(concurrency)]
    output = subprocess.DEVNULL if quiet else None
    return subprocess.Popen(command, stdout=output, stderr=output, env=os.environ.copy(),
                            preexec_fn=_die_with_parent)


def stop_worker(process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Ask a worker child to finish its current jobs and stop (Huey's graceful SIGINT);
    kill it if it will not."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM if the command that started it dies (even by kill -9)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass
