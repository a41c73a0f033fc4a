"""The same jobs through a real Redis broker: workers on any number of hosts share them."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import redis_or_skip
from sqlalchemy import select

from repo_app.models import Job

from .conftest import in_db, wait_until
from .test_workers import PLACES, deposit, statuses


@pytest.fixture
def queue_url() -> str:
    return redis_or_skip()


def test_two_workers_on_one_redis_share_the_work(jobs_app, start_worker, tmp_path):
    for place in PLACES:
        deposit(jobs_app, tmp_path, f"Thủy sản {place}", f"Nuôi tôm ở {place} " * 200)
    first, second = start_worker(1), start_worker(1)
    wait_until(lambda: statuses(jobs_app) == ["ok"] * len(PLACES), what="every file extracted")
    holders = in_db(jobs_app, lambda db: Counter(
        db.scalars(select(Job.worker).where(Job.kind == "extract", Job.state == "done"))))
    pids = {name.rsplit(":", 1)[1] for name in holders}
    assert pids == {str(first.pid), str(second.pid)}, holders
    assert min(holders.values()) >= 2  # both did a real share, not one job each by chance
    client = jobs_app.test_client()
    wait_until(lambda: client.get("/api/v1/search?q=nuoi tom ca mau").get_json()["total"] == 1,
               timeout=60, what="the text indexed")
