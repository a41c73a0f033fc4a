"""Real workers: ``repo-app worker`` processes on the app's data directory and database.

Jobs are not eager here: a deposit queues them on the real queue (SQLite in
the data directory, or a real Redis) and worker processes started with the
console script run them, exactly as on a library's servers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import databases
import pytest
from flask import Flask

from repo_app import create_app
from repo_app.db import standalone_session
from repo_app.resources import initialize

BIN = Path(sys.executable).parent


@pytest.fixture
def queue_url() -> str:
    """The embedded queue (empty URL); the Redis tests override this fixture."""
    return ""


@pytest.fixture
def jobs_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest,
             queue_url: str) -> Iterator[Flask]:
    """An app whose jobs go to a real queue, and the environment its workers share."""
    monkeypatch.setenv("REPO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REPO_JOBS_EAGER", "0")
    monkeypatch.setenv("REPO_QUEUE_URL", queue_url)
    monkeypatch.setenv("REPO_QUEUE_NAME", f"test-{uuid.uuid4().hex[:12]}")
    monkeypatch.setenv("REPO_PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
    url = databases.lease(request)
    if url:
        monkeypatch.setenv("REPO_DATABASE_URL", url)
    app = create_app({"TESTING": True, "SERVER_NAME": "repo.test",
                      "BASE_URL": "http://repo.test"})
    with app.app_context():
        initialize(app)
    yield app
    if queue_url:
        from repo_app import jobqueue

        jobqueue.queue(app).storage.flush_all()
    databases.dispose(app)


@pytest.fixture
def start_worker(jobs_app: Flask) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start ``repo-app worker`` processes; whatever is still running is stopped afterwards."""
    started: list[subprocess.Popen[bytes]] = []

    def _start(concurrency: int = 1) -> subprocess.Popen[bytes]:
        process = subprocess.Popen([str(BIN / "repo-app"), "worker", "--concurrency",
                                    str(concurrency)], env=os.environ.copy(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started.append(process)
        return process

    yield _start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until(check: Callable[[], bool], *, timeout: float = 240.0, what: str = "") -> None:
    """Poll ``check`` until it holds; fail saying what never happened."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    pytest.fail(f"not within {timeout:.0f} s: {what}")


def in_db(app: Flask, query: Callable):
    """Run ``query(db)`` in a fresh session (seeing every process's commits)."""
    with app.app_context(), standalone_session(app) as db:
        return query(db)
