"""``repo-app serve``: gunicorn with N workers on one data directory, production by default."""

from __future__ import annotations

import csv
import subprocess
import time
from pathlib import Path

import databases
import pytest
import requests
from production.server import REPO_APP, server_env, serving, worker_pids

pytestmark = pytest.mark.slow
VISIBLE_WITHIN = 30  # seconds: a bound so a broken server fails the test instead of hanging it


@pytest.fixture
def data_env(tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    env = server_env(tmp_path / "data", databases.lease(request))
    subprocess.run([REPO_APP, "init"], env=env, check=True, capture_output=True, timeout=120)
    return env


def test_serve_refuses_to_start_with_a_weak_secret(data_env):
    result = subprocess.run([REPO_APP, "serve", "--workers", "2", "--port", "9"],
                            env={**data_env, "REPO_SECRET_KEY": "sec-test"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "REPO_SECRET_KEY is missing or too weak" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_runs_the_workers_asked_for_in_production_mode(data_env):
    with serving(data_env, workers=3) as (base, master):
        assert len(worker_pids(master, 3)) == 3
        response = requests.get(f"{base}/", timeout=10)
        assert response.status_code == 200
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert requests.get(f"{base}/", headers={"Host": "evil.example"}, timeout=10).status_code == 400


def _import_one(env: dict[str, str], folder: Path, make_pdf) -> None:
    folder.mkdir()
    make_pdf("Nghiên cứu phù sa sông Hồng.").rename(folder / "a.pdf")
    with (folder / "m.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "creators", "year", "type", "access"])
        writer.writerow(["a.pdf", "Phù sa sông Hồng", "Đỗ Văn E", "2011", "master_thesis", "open"])
    result = subprocess.run([REPO_APP, "import", str(folder), "--manifest", str(folder / "m.csv")],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_a_work_added_by_another_process_is_found_by_every_worker(data_env, tmp_path, make_pdf):
    with serving(data_env, workers=2) as (base, _master):
        for _ in range(4):  # warm both workers' searchers on the empty index
            assert requests.get(f"{base}/api/v1/search?q=phu+sa", timeout=10).json()["total"] == 0
        _import_one(data_env, tmp_path / "lot", make_pdf)
        deadline = time.monotonic() + VISIBLE_WITHIN
        found = []
        while time.monotonic() < deadline and len(found) < 6:
            total = requests.get(f"{base}/api/v1/search?q=phu+sa", timeout=10).json()["total"]
            found = found + [total] if total == 1 else []
            time.sleep(0.1)
        assert found == [1] * 6  # six answers in a row, spread over both workers
