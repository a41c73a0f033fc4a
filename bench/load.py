"""Load test: readers and API depositors against ``repo-app serve`` on loopback.

    .venv/bin/python bench/load.py [--workers 4] [--readers 50] [--depositors 5] [--seconds 60]
                                   [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Builds a fresh data directory with the demo collection (and, with
``--database-url``, a fresh PostgreSQL database on that server, dropped
afterwards), starts ``repo-app serve --workers N`` on a free loopback port,
and runs for ``--seconds``: each reader in a loop picks a search page, a work
page, an API search or an API work record and then thinks for a second;
each depositor creates a work through the API, uploads a PDF, submits it,
and thinks for a second. Everything is bounded in count and time and goes
to 127.0.0.1 only. Afterwards every deposit the server acknowledged is
looked up in the database, the file store and the review queue, and
``repo-app check`` must come back clean.

Prints reads/s, p50/p95/p99 (ms), errors and the deposit verification; a
baseline measured in the same run is ``--workers 1`` when ``--baseline`` is
given. Figures on the shared 2-core machine are noisy: run under
``flock /tmp/bench.lock``.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
REPO_APP = str(Path(sys.executable).parent / "repo-app")
QUERIES = ["luận văn", "kinh tế", "giáo dục", "nông nghiệp", "sông", "dai hoc", "quản trị",
           "môi trường", "y tế", "công nghệ"]
MAX_REQUESTS = 200_000  # a hard bound whatever the duration


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    deposits: list[int] = field(default_factory=list)
    deposit_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self, seconds: float, problem: str = "") -> None:
        with self.lock:
            self.latencies.append(seconds)
            if problem:
                self.errors.append(problem)


def run(cmd: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, **kwargs)


def prepare(data_dir: Path, database_url: str | None) -> tuple[dict[str, str], str]:
    """A data directory with the demo collection and a depositor's API token."""
    env = {**os.environ, "REPO_DATA_DIR": str(data_dir),
           "REPO_SECRET_KEY": secrets.token_urlsafe(32)}
    env.pop("REPO_ENV", None)
    if database_url:
        env["REPO_DATABASE_URL"] = database_url
    run([REPO_APP, "init"], env)
    run([REPO_APP, "demo"], env)
    run([REPO_APP, "users", "create", "load@thuvien.local", "--role", "depositor"], env,
        input="mat-khau-tai\nmat-khau-tai\n")
    token = run([REPO_APP, "tokens", "create", "load@thuvien.local"], env).stdout.strip().splitlines()[-1]
    return env, token


def start_server(env: dict[str, str], workers: int, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [REPO_APP, "serve", "--workers", str(workers), "--host", "127.0.0.1", "--port", str(port)],
        env={**env, "REPO_BASE_URL": f"http://127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).ok:
                return server
        except requests.ConnectionError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not start")


def reader(base: str, work_ids: list[int], until: float, tally: Tally, budget: list[int]) -> None:
    session = requests.Session()
    rng = random.Random()
    while time.monotonic() < until and budget[0] > 0:
        budget[0] -= 1
        kind = rng.choice(["search", "work", "api_search", "api_work"])
        url = {
            "search": f"{base}/search?q={rng.choice(QUERIES)}",
            "work": f"{base}/works/{rng.choice(work_ids)}",
            "api_search": f"{base}/api/v1/search?q={rng.choice(QUERIES)}",
            "api_work": f"{base}/api/v1/works/{rng.choice(work_ids)}",
        }[kind]
        started = time.perf_counter()
        try:
            status = session.get(url, timeout=30).status_code
            problem = "" if status == 200 else f"{status} {url}"
        except requests.RequestException as exc:
            problem = f"{exc.__class__.__name__} {url}"
        tally.read(time.perf_counter() - started, problem)
        time.sleep(1.0)


def depositor(base: str, token: str, pdf: bytes, until: float, tally: Tally) -> None:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    while time.monotonic() < until:
        tag = uuid.uuid4().hex[:8]
        try:
            made = session.post(f"{base}/api/v1/works", timeout=60, json={
                "title": f"Luận văn tải thử {tag}", "type": "master_thesis", "year": 2024,
                "creators": ["Người Gửi Thử"], "accept_licence": True})
            made.raise_for_status()
            work_id = made.json()["id"]
            # Distinct bytes per deposit: the same file twice is refused as a duplicate.
            body = pdf + f"\n% {tag}\n".encode()
            session.post(f"{base}/api/v1/works/{work_id}/files", timeout=60,
                         files={"file": (f"{tag}.pdf", body, "application/pdf")}).raise_for_status()
            session.post(f"{base}/api/v1/works/{work_id}/submit", timeout=60).raise_for_status()
            with tally.lock:
                tally.deposits.append(work_id)
        except (requests.RequestException, ValueError, KeyError) as exc:
            with tally.lock:
                tally.deposit_errors.append(f"{exc.__class__.__name__}: {str(exc)[:120]}")
        time.sleep(1.0)


def public_ids(base: str) -> list[int]:
    """The works a guest may see (readers ask for those: a hidden work's 404 is no error)."""
    hits = requests.get(f"{base}/api/v1/works", timeout=30).json()["hits"]
    return [hit["id"] for hit in hits]


def verify(env: dict[str, str], deposits: list[int]) -> dict[str, int]:
    """How many acknowledged deposits are in the database, the file store and the review queue."""
    code = f"""
from repo_app import create_app, resources
from repo_app.access import SYSTEM
from repo_app.db import standalone_session
from repo_app.models import Work
from repo_app.services import works
ids = {deposits!r}
app = create_app()
with app.app_context(), standalone_session(app) as db:
    rows = [db.get(Work, i) for i in ids]
    in_db = sum(1 for w in rows if w is not None and w.status == "submitted" and w.files)
    in_store = sum(1 for w in rows if w is not None and w.files
                   and all(resources.store().verify(f.sha256) == "ok" for f in w.files))
    queue = {{w.id for w in works.review_queue(db, SYSTEM)}}
    print(in_db, in_store, sum(1 for i in ids if i in queue))
"""
    in_db, in_store, in_queue = (int(x) for x in run([sys.executable, "-c", code], env).stdout.split())
    check = subprocess.run([REPO_APP, "check"], env=env, capture_output=True, text=True)
    return {"acknowledged": len(deposits), "in_database": in_db, "in_store": in_store,
            "in_review_queue": in_queue, "check_exit": check.returncode,
            "check_output": check.stdout.strip().splitlines()[-6:] + check.stderr.strip().splitlines()[-3:]}


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))] * 1000


def load_run(args: argparse.Namespace, workers: int) -> dict[str, object]:
    work_dir = Path(tempfile.mkdtemp(prefix="repo-load-"))
    database_url, drop = fresh_database(args.database_url)
    try:
        env, token = prepare(work_dir / "data", database_url)
        from ingest.sample_pdf import write_pdf

        pdf = write_pdf(work_dir / "deposit.pdf", ["Nội dung luận văn gửi qua API."]).read_bytes()
        port = free_port()
        server = start_server(env, workers, port)
        base = f"http://127.0.0.1:{port}"
        ids = public_ids(base)
        tally, budget = Tally(), [MAX_REQUESTS]
        until = time.monotonic() + args.seconds
        threads = [threading.Thread(target=reader, args=(base, ids, until, tally, budget))
                   for _ in range(args.readers)]
        threads += [threading.Thread(target=depositor, args=(base, token, pdf, until, tally))
                    for _ in range(args.depositors)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
            time.sleep(1.0 / max(1, len(threads)))  # spread the first requests over a second
        for thread in threads:
            thread.join(args.seconds + 120)
        elapsed = time.monotonic() - started
        server.terminate()
        server.wait(60)
        checked = verify(env, tally.deposits)
        return {"workers": workers, "reads": len(tally.latencies),
                "reads_per_s": len(tally.latencies) / elapsed,
                "p50": percentile(tally.latencies, 50), "p95": percentile(tally.latencies, 95),
                "p99": percentile(tally.latencies, 99), "errors": len(tally.errors),
                "error_samples": tally.errors[:5], "deposit_errors": tally.deposit_errors[:5],
                **checked}
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
        drop()


def fresh_database(server: str | None):
    """A uniquely named database on ``server`` and a function that drops it (none for SQLite)."""
    if not server:
        return None, lambda: None
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"repoload_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False), drop


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def print_report(reports: list[dict[str, object]], database: str) -> None:
    print(f"database: {database}")
    print(f"{'workers':>7} {'reads':>6} {'reads/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'errors':>6} {'deposits':>8} {'in db':>6} {'stored':>6} {'queued':>6} {'check':>5}")
    for r in reports:
        print(f"{r['workers']:>7} {r['reads']:>6} {r['reads_per_s']:>8.1f} {r['p50']:>7.0f} "
              f"{r['p95']:>7.0f} {r['p99']:>7.0f} {r['errors']:>6} {r['acknowledged']:>8} "
              f"{r['in_database']:>6} {r['in_store']:>6} {r['in_review_queue']:>6} "
              f"{'clean' if r['check_exit'] == 0 else 'FAIL':>5}")
        for sample in [*r["error_samples"], *r["deposit_errors"]]:
            print(f"        {sample}")
        if r["check_exit"]:
            for line in r["check_output"]:
                print(f"        check: {line}")
    if len(reports) == 2:
        base, new = reports
        print(f"p95 ratio {new['workers']} workers / {base['workers']}: {new['p95'] / base['p95']:.2f}x; "
              f"reads/s ratio: {new['reads_per_s'] / base['reads_per_s']:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--depositors", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--database-url", default="", help="a PostgreSQL server to test on")
    parser.add_argument("--baseline", action="store_true", help="also run with one worker first")
    args = parser.parse_args()
    args.seconds = min(args.seconds, 600)
    sys.path.insert(0, str(ROOT))
    reports = [load_run(args, 1)] if args.baseline else []
    reports.append(load_run(args, args.workers))
    print_report(reports, "PostgreSQL" if args.database_url else "SQLite")


if __name__ == "__main__":
    main()
