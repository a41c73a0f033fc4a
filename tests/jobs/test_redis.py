"""The same jobs through a real Redis broker: workers on any number of hosts share them."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import redis_or_skip
from sqlalchemy import select

from repo_app.models import Job

from .conftest import in_db, wait_until
from .test_workers import PLACES, deposit, statuses


@pytest.fixture
def queue_url() -> str:
    return redis_or_skip()


def _consuming(worker: subprocess.Popen[bytes]) -> bool:
    """The worker's consumer has started: while it builds its app a worker has one thread,
    then its scheduler and job threads join."""
    return len(list(Path(f"/proc/{worker.pid}/task").iterdir())) >= 3


def test_two_workers_on_one_redis_share_the_work(jobs_app, start_worker, tmp_path):
    first, second = start_worker(1), start_worker(1)
    # Both take jobs before there are any: one that started late would find them done (a
    # small file's text takes a tenth of a second), and the share would show start-up times.
    wait_until(lambda: _consuming(first) and _consuming(second), what="both workers consuming")
    for place in PLACES:
        deposit(jobs_app, tmp_path, f"Thủy sản {place}", f"Nuôi tôm ở {place} " * 200)
    wait_until(lambda: statuses(jobs_app) == ["ok"] * len(PLACES), what="every file extracted")
    holders = in_db(jobs_app, lambda db: Counter(
        db.scalars(select(Job.worker).where(Job.kind == "extract", Job.state == "done"))))
    pids = {name.rsplit(":", 1)[1] for name in holders}
    assert pids == {str(first.pid), str(second.pid)}, holders
    assert min(holders.values()) >= 2  # both did a real share, not one job each by chance
    client = jobs_app.test_client()
    wait_until(lambda: client.get("/api/v1/search?q=nuoi tom ca mau").get_json()["total"] == 1,
               timeout=60, what="the text indexed")
