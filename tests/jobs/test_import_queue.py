"""``repo-app import`` on the real queue: waiting (it works the queue itself) and --no-wait."""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

from ingest.sample_pdf import write_pdf

from .conftest import BIN, wait_until
from .test_workers import PLACES, statuses


def lot(folder: Path, count: int) -> Path:
    folder.mkdir()
    manifest = folder / "manifest.csv"
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "creators", "year", "type", "access"])
        for i, place in enumerate(PLACES[:count]):
            write_pdf(folder / f"t{i}.pdf", [f"Kinh tế biển {place}", "Chương hai", "Chương ba"])
            writer.writerow([f"t{i}.pdf", f"Kinh tế {place}", "Phan D", "2011", "master_thesis",
                             "open"])
    return manifest


def repo_app(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "repo-app"), *args], env=os.environ.copy(),
                          capture_output=True, text=True, timeout=300)


def test_import_works_the_queue_itself_until_the_text_is_in(jobs_app, tmp_path):
    manifest = lot(tmp_path / "lot", 4)
    done = repo_app("import", str(manifest.parent), "--manifest", str(manifest), "--workers", "2")
    assert done.returncode == 0, done.stderr
    # Its extraction processes end with it, quietly (they printed an EOFError each).
    assert "Traceback" not in done.stderr
    assert statuses(jobs_app) == ["ok"] * 4  # no server, no worker: the command did it
    # The summary is in the site's language (Vietnamese).
    assert "4 đã nhập" in done.stdout and "4 tệp, 12 trang" in done.stdout
    # Searchable when the command returns: it wrote the index itself, not leaving the
    # batch's (slower) index job to do it.
    found = jobs_app.test_client().get("/api/v1/search?q=kinh+te+bien").get_json()
    assert found["total"] == 4
    report = Path(done.stdout.split("Báo cáo:")[1].strip()).read_text(encoding="utf-8")
    assert report.count(",ok,") == 4


def test_import_no_wait_returns_with_the_text_queued_for_the_workers(jobs_app, start_worker,
                                                                     tmp_path):
    manifest = lot(tmp_path / "lot", 3)
    done = repo_app("import", str(manifest.parent), "--manifest", str(manifest), "--no-wait")
    assert done.returncode == 0, done.stderr
    assert "văn bản đang chờ tiến trình nền xử lý" in done.stdout
    assert statuses(jobs_app) == ["queued"] * 3
    start_worker(1)
    wait_until(lambda: statuses(jobs_app) == ["ok"] * 3, what="the workers extracted them")
