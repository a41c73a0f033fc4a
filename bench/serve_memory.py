"""The web server's memory at N works: RSS of ``repo-app serve`` workers after real searches.

    .venv/bin/python bench/serve_memory.py [--works 50000] [--text-kb 10] [--workers 4]
                                           [--queries 400] [--keep DIR]

Builds a data directory with N published theses (Vietnamese text from the
shared Wikipedia sample, ``--text-kb`` of full text each, five faculties,
four types, thirty years) written straight into the database and the text
store, then ``repo-app reindex --procs 2``; starts ``repo-app serve
--workers N`` on a free loopback port, reads each process's RSS idle, then
after ``--queries`` searches (results pages with facets and snippets,
one to three words, a quarter without diacritics) spread over the workers,
then after as many work pages. Prints the RSS of the master and each worker
and their sum, with ``REPO_SEARCH_CACHE_MB`` (the postings cache each worker
may fill) beside it. Run it under ``flock /tmp/bench.lock``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BIN = Path(sys.executable).parent
FACULTIES = ["Khoa Kinh tế", "Khoa Nông nghiệp", "Khoa Thủy sản", "Khoa Sư phạm", "Khoa Luật"]
TYPES = ["master_thesis", "bachelor_thesis", "doctoral_dissertation", "research_report"]
BATCH = 1000


def build(data: Path, works: int, text_kb: int) -> None:
    """``works`` published theses with their text, then the index, in ``data``."""
    from pipeline_bench import vietnamese_sentences

    env = {**os.environ, "REPO_DATA_DIR": str(data)}
    subprocess.run([str(BIN / "repo-app"), "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    os.environ["REPO_DATA_DIR"] = str(data)
    from repo_app import create_app
    from repo_app.db import standalone_session
    from repo_app.resources import store

    app = create_app()
    sentences, rng = vietnamese_sentences(), random.Random(7)
    started = time.perf_counter()
    with app.app_context(), standalone_session(app) as db:
        faculties = _faculties(db)
        for first in range(0, works, BATCH):
            for n in range(first, min(works, first + BATCH)):
                _add_work(db, store(), n, faculties, sentences, rng, text_kb)
            db.commit()
            print(f"  {min(works, first + BATCH)} works written", end="\r", flush=True)
    print(f"\n{works} works written in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    subprocess.run([str(BIN / "repo-app"), "reindex", "--procs", "2"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"indexed in {time.perf_counter() - started:.0f} s")


def _faculties(db) -> list[int]:
    from repo_app.services import works

    return [works.faculty_named(db, name).id for name in FACULTIES]


def _add_work(db, store, n: int, faculties: list[int], sentences: list[str],
              rng: random.Random, text_kb: int) -> None:
    from repo_app.models import File, Work

    title = " ".join(rng.choice(sentences).split()[:12])
    text = ""
    while len(text) < text_kb * 1024:
        text += rng.choice(sentences) + " "
    sha = hashlib.sha256(text.encode()).hexdigest()
    store.put_text(sha, text)
    work = Work(status="published", identifier=f"bench/{n}", title=title, type=rng.choice(TYPES),
                year=rng.randint(1995, 2024), creators=[f"Nguyễn Văn {n}"],
                abstract=" ".join(rng.choice(sentences) for _ in range(4)),
                collection_id=rng.choice(faculties), access_level="open", was_public=True)
    work.files.append(File(original_name=f"{n}.pdf", size=len(text), sha256=sha,
                           extraction_status="ok", pages=max(1, len(text) // 2400),
                           chars=len(text)))
    db.add(work)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def processes(master: int) -> dict[str, float]:
    """RSS of the server's master and of each of its workers (its children), in MB."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {"master": rss_mb(master), **{f"worker {pid}": rss_mb(int(pid)) for pid in children}}


def queries(count: int) -> list[str]:
    from pipeline_bench import vietnamese_sentences

    from search.spelling import fold

    rng = random.Random(11)
    words = [w.strip(".,;:()\"'").lower() for s in vietnamese_sentences()[:3000] for w in s.split()]
    words = [w for w in words if w.isalpha()]
    chosen = []
    for n in range(count):
        query = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
        chosen.append(fold(query) if n % 4 == 0 else query)
    return chosen


def serve(data: Path, workers: int, args: argparse.Namespace) -> None:
    env = {**os.environ, "REPO_DATA_DIR": str(data), "REPO_JOBS_EAGER": "0",
           "REPO_SECRET_KEY": secrets.token_urlsafe(32)}
    port = free_port()
    server = subprocess.Popen([str(BIN / "repo-app"), "serve", "--workers", str(workers),
                               "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base)
        report("idle", processes(server.pid))
        searches = [(f"{base}/search", {"q": query}) for query in queries(args.queries)]
        _fetch_all(searches, workers)
        report(f"after {args.queries} searches", processes(server.pid))
        pages = [(f"{base}/works/{work_id}", {})
                 for work_id in random.Random(3).sample(range(1, args.works + 1), args.queries)]
        _fetch_all(pages, workers)
        report(f"after {args.queries} work pages", processes(server.pid))
    finally:
        server.terminate()
        server.wait(30)


def _fetch_all(requests_: list[tuple[str, dict[str, str]]], workers: int) -> None:
    """GET each, ``workers`` at a time on fresh connections, so every worker takes a share."""
    def fetch(item: tuple[str, dict[str, str]]) -> None:
        requests.get(item[0], params=item[1], timeout=120).raise_for_status()

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(fetch, requests_))


def _wait_for(base: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/", timeout=5).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not answer within 120 s")


def report(label: str, sizes: dict[str, float]) -> None:
    workers = [v for k, v in sizes.items() if k.startswith("worker")]
    print(f"{label:>28}: master {sizes['master']:.0f} MB; workers "
          + ", ".join(f"{v:.0f}" for v in workers)
          + f" MB; total {sum(sizes.values()):.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=50_000)
    parser.add_argument("--text-kb", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--keep", type=Path, help="build here (or reuse what is here)")
    args = parser.parse_args()
    data = args.keep or Path(tempfile.mkdtemp(prefix="serve-memory-"))
    if not (data / "bench-built").exists():
        build(data, args.works, args.text_kb)
        (data / "bench-built").touch()
    print(f"{args.works} works, {args.text_kb} KB of text each; REPO_SEARCH_CACHE_MB="
          f"{os.environ.get('REPO_SEARCH_CACHE_MB', '256')}; serve --workers {args.workers}")
    serve(data, args.workers, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
