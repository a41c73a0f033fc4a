"""An index written by an older release: reported by ``check``, rebuilt by ``init`` or
``check --repair``, and meanwhile search answers with a notice instead of an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parents[1] / "search" / "fixtures" / "index-0.1.0"


@pytest.fixture
def outdated(app, publish) -> int:
    """One published work, and the index replaced by the previous release's."""
    work_id = publish("Nuôi cá tra thương phẩm", "open")
    root = app.config["DATA_DIR"] / "index"
    shutil.rmtree(root)
    shutil.copytree(FIXTURE, root, symlinks=True)
    return work_id


def test_check_reports_the_format_and_repair_rebuilds(outdated, runner, client):
    report = runner.invoke(args=["check"])
    assert report.exit_code == 1
    assert "index_format" in report.output and "repo-app reindex" in report.output
    assert runner.invoke(args=["check", "--repair"]).exit_code == 0
    assert runner.invoke(args=["check"]).exit_code == 0, runner.invoke(args=["check"]).output
    hits = client.get("/api/v1/search?q=ca+tra").get_json()["hits"]
    assert [hit["id"] for hit in hits] == [outdated]


def test_search_answers_with_a_notice_meanwhile(outdated, client):
    page = client.get("/search?q=cá+tra")
    assert page.status_code == 200
    assert "chỉ mục đang được xây dựng lại" in page.get_data(as_text=True)
    api = client.get("/api/v1/search?q=ca+tra")
    assert api.status_code == 200 and api.get_json()["total"] == 0
    assert client.get(f"/works/{outdated}").status_code == 200
    assert client.get("/healthz").status_code == 503


def test_init_rebuilds_it(outdated, runner, client):
    assert runner.invoke(args=["init"]).exit_code == 0
    assert client.get("/api/v1/search?q=ca+tra").get_json()["total"] == 1

