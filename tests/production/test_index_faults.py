"""The index deleted or corrupted: search answers with a notice (not a 500), `repo-app check`
says what is wrong, and `repo-app reindex` rebuilds it from the database and the store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


def _current(app) -> Path:
    root = app.config["DATA_DIR"] / "index"
    return root / (root / "current").readlink()


def _delete(app) -> None:
    shutil.rmtree(app.config["DATA_DIR"] / "index")


def _corrupt(app) -> None:
    for path in _current(app).iterdir():
        if path.is_file() and path.stat().st_size > 0:
            path.chmod(0o644)
            path.write_bytes(b"\x00garbage" * 64)


@pytest.mark.parametrize("damage", [_delete, _corrupt], ids=["deleted", "corrupted"])
def test_a_damaged_index_is_reported_answered_calmly_and_rebuilt(app, client, runner, publish, damage):
    publish("Phù sa đồng bằng", text="Nghiên cứu phù sa sông Cửu Long.")
    assert client.get("/api/v1/search?q=phù sa").get_json()["total"] == 1
    damage(app)

    page = client.get("/search?q=phù sa")
    assert page.status_code == 200
    assert "Tạm thời chưa tìm kiếm được vì chỉ mục đang được xây dựng lại" in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)
    api = client.get("/api/v1/search?q=phù sa")
    assert api.status_code == 200 and api.get_json()["total"] == 0

    check = runner.invoke(args=["check"])
    assert check.exit_code == 1
    assert "index_unreadable" in check.output or "index_format" in check.output
    assert "repo-app reindex" in check.output

    rebuilt = runner.invoke(args=["reindex"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert client.get("/api/v1/search?q=phù sa").get_json()["total"] == 1
    assert runner.invoke(args=["check"]).exit_code == 0
