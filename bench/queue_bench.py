"""The job queue's own cost per job, and how two workers share a queue, in one run.

N one-page PDFs are imported with ``--no-wait`` (rows and jobs written, no
worker running). Baseline: ``ingest.extract.extract`` on the same files one
after another, in one reused extraction process (what an extract job does
besides the queue and the database).
Then one worker (one job at a time) is started and the time from its start
until its first job is done (start-up) and until the last one is done is
measured; the queue's cost per job is what remains of the difference after
the extraction itself. Then the same with two worker processes on the same
queue, reporting each one's share. With ``--redis URL`` the queue is Redis
(the scale-out case); without, the embedded SQLite queue.

Usage: ``python bench/queue_bench.py [--jobs N] [--redis redis://127.0.0.1:6379/0]``,
under ``flock /tmp/bench.lock``.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

BIN = Path(sys.executable).parent


def corpus(folder: Path, count: int) -> Path:
    from ingest.sample_pdf import write_pdf

    manifest = folder / "manifest.csv"
    rows = ["file,title,creators,year,type,access"]
    for i in range(count):
        write_pdf(folder / f"f{i}.pdf", [f"Tài liệu số {i}: kinh tế nông thôn."])
        rows.append(f"f{i}.pdf,Tài liệu {i},Ngô F,2015,research_report,open")
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest


def direct(folder: Path, count: int) -> float:
    """The same extractions in one reused worker process, as a job worker's thread runs them."""
    from ingest.extract import Extractor, extract

    extractor = Extractor()
    extract(folder / "f0.pdf", ocr=False, extractor=extractor)  # the process started
    started = time.perf_counter()
    for i in range(count):
        extract(folder / f"f{i}.pdf", ocr=False, extractor=extractor)
    elapsed = time.perf_counter() - started
    extractor.close()
    return elapsed


def extract_jobs(data: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data / "repo.sqlite3") as db:
        return db.execute("SELECT state, worker FROM jobs WHERE kind = 'extract'").fetchall()


def run_workers(folder: Path, manifest: Path, count: int, workers: int,
                queue_url: str) -> tuple[float, float, Counter[str]]:
    """Seconds to the first extract job done and to the last; jobs per worker process."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        env = {**os.environ, "REPO_DATA_DIR": str(data), "REPO_JOBS_EAGER": "0",
               "REPO_QUEUE_URL": queue_url, "REPO_QUEUE_NAME": f"bench-{uuid.uuid4().hex[:8]}"}
        subprocess.run([str(BIN / "repo-app"), "init"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([str(BIN / "repo-app"), "import", str(folder), "--manifest", str(manifest),
                        "--no-wait"], env=env, check=True, capture_output=True)
        started = time.perf_counter()
        procs = [subprocess.Popen([str(BIN / "repo-app"), "worker", "--concurrency", "1"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for _ in range(workers)]
        first = None
        try:
            while True:
                states = [state for state, _ in extract_jobs(data)]
                if first is None and "done" in states:
                    first = time.perf_counter() - started
                if states.count("done") == count:
                    break
                time.sleep(0.02)
            total = time.perf_counter() - started
            shares = Counter(worker for _, worker in extract_jobs(data))
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait()
    return first or total, total, shares


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--redis", default="", help="a Redis URL (default: the SQLite queue)")
    args = parser.parse_args()
    queue = args.redis or "SQLite in the data directory"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = corpus(folder, args.jobs)
        baseline = direct(folder, args.jobs)
        first, total, _ = run_workers(folder, manifest, args.jobs, 1, args.redis)
        _, total_two, shares = run_workers(folder, manifest, args.jobs, 2, args.redis)
    per_job = baseline / args.jobs
    overhead = (total - first - per_job * (args.jobs - 1)) / (args.jobs - 1)
    print(f"{args.jobs} extract jobs of one-page PDFs; queue: {queue}")
    print(f"extract() directly, one after another: {baseline:.2f} s ({1000 * per_job:.1f} ms a file)")
    print(f"one worker: first job done after {first:.2f} s (start-up), all after {total:.2f} s")
    print(f"queue cost per job (beyond the extraction itself): {1000 * overhead:.1f} ms")
    speedup = (total - first) / max(total_two - first, 1e-9)
    print(f"two workers: all done after {total_two:.2f} s ({speedup:.2f}x one worker after start-up)")
    counts = sorted(shares.values())
    print(f"jobs per worker: {counts} (smaller share {counts[0] / sum(counts):.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
