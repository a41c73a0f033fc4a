"""`kill -9` during a batch import: the re-run completes with no duplicates and no orphan files.

Written against the `repo-app import DIR --manifest FILE` command line
contract (CONTRACT.md), so it keeps holding however the import runs inside.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from production.server import REPO_APP
from sqlalchemy import func, select

from repo_app.db import standalone_session
from repo_app.models import File, Work

pytestmark = pytest.mark.slow
WORKS = 24


def _lot(folder: Path, make_pdf) -> Path:
    folder.mkdir()
    manifest = folder / "manifest.csv"
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "creators", "year", "type", "faculty", "access"])
        for i in range(WORKS):
            pages = [f"Luận văn số {i}, trang {p}: đất phèn và lúa nước." * 20 for p in range(6)]
            make_pdf(*pages).rename(folder / f"w{i}.pdf")
            writer.writerow([f"w{i}.pdf", f"Luận văn số {i}", "Lý Văn H", "2009", "master_thesis",
                             "Khoa Nông học", "open"])
    return manifest


def _env(app) -> dict[str, str]:
    # The import works the real queue with its own worker process (not the suite's eager jobs).
    env = {**os.environ, "REPO_DATA_DIR": str(app.config["DATA_DIR"]),
           "REPO_DATABASE_URL": app.config["DATABASE_URL"], "REPO_JOBS_EAGER": "0"}
    env.pop("REPO_ENV", None)
    return env


def _count(app, model) -> int:
    with standalone_session(app) as db:
        return db.scalar(select(func.count()).select_from(model))


def test_an_import_killed_midway_is_completed_by_a_rerun_without_duplicates(app, tmp_path, make_pdf):
    folder = tmp_path / "lot"
    manifest = _lot(folder, make_pdf)
    command = [REPO_APP, "import", str(folder), "--manifest", str(manifest), "--workers", "2"]
    first = subprocess.Popen(command, env=_env(app), start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while _count(app, Work) == 0 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)  # the importer and its extraction workers, mid-way
    first.wait()
    assert _count(app, Work) < WORKS, "the import finished before it could be killed"
    with standalone_session(app) as db:
        done_before = db.scalar(select(func.count()).select_from(File)
                                .where(File.extraction_status == "ok"))

    rerun = subprocess.run(command, env={**_env(app), "REPO_DEFAULT_LOCALE": "en"},
                           capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    # Its summary counts every file whose text it waited for, the first run's included.
    assert f"; {WORKS - done_before} files, " in rerun.stdout, rerun.stdout

    with standalone_session(app) as db:
        titles = db.scalars(select(Work.title)).all()
        hashes = set(db.scalars(select(File.sha256)))
        assert sorted(titles) == sorted(f"Luận văn số {i}" for i in range(WORKS))
        assert _count(app, File) == WORKS == len(hashes)
        statuses = set(db.scalars(select(File.extraction_status)))
        assert statuses == {"ok"}  # the re-run waited for the text of the first run's works too
    store = app.config["DATA_DIR"] / "files"
    stored = {p.name for p in (store / "objects").rglob("*") if p.is_file()}
    assert stored == hashes  # no orphan object
    assert [p for p in (store / "tmp").iterdir()] == []  # no half-written file
    check = subprocess.run([REPO_APP, "check"], env=_env(app), capture_output=True, text=True,
                           timeout=300)
    assert check.returncode == 0, check.stdout
