"""Index writes and first readings jump a queue full of OCR pages, on both brokers.

A scanning campaign queues thousands of ``ocr_page`` messages; a deposit's
``index`` message sent after them must still be taken first, or a new work
would not be searchable for hours. Real queues: Huey's SQLite file and a
real Redis.
"""

from __future__ import annotations

import pytest
from conftest import redis_or_skip

from repo_app import jobqueue
from repo_app.services import jobs


@pytest.fixture(params=["sqlite", "redis"])
def queue_url(request: pytest.FixtureRequest) -> str:
    return "" if request.param == "sqlite" else redis_or_skip()


def test_messages_are_taken_by_priority_then_in_order(jobs_app):
    sent = [(1, "ocr_page"), (2, "ocr_page"), (3, "extract"), (4, "index"), (5, "ocr_page"),
            (6, "scan_assemble")]
    with jobs_app.app_context():
        for job_id, kind in sent:
            jobs.send(job_id, kind=kind)
        huey = jobqueue.queue(jobs_app)
        taken = [huey.dequeue().args[0] for _ in sent]
    assert taken == [4, 6, 3, 1, 2, 5]
