"""What counting a use costs a work page: buffered (the default), written at once, not counted.

Builds the app on a temporary SQLite data directory with the demo
collection, then asks one open work's page ``--requests`` times through the
WSGI stack (Flask's test client, so no network noise) in three ways,
alternating rounds: as a robot (not counted: the baseline), as distinct
browsers with the default buffer (``REPO_USAGE_FLUSH_SECONDS`` 10, so the
timer writes in the background), and with each hit written at once (0).
Prints the median and p95 per request and each case's cost over the
baseline. Usage: ``python bench/usage_bench.py [--requests 300]``, under
``flock /tmp/bench.lock``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


def build(data_dir: str):
    os.environ["REPO_DATA_DIR"] = data_dir
    os.environ["REPO_JOBS_EAGER"] = "1"
    from repo_app import create_app
    from repo_app.db import standalone_session
    from repo_app.resources import initialize
    from repo_app.services import demo

    app = create_app({"BASE_URL": "http://127.0.0.1:5000"})
    with app.app_context():
        initialize(app)
        with app.test_request_context(), standalone_session(app) as db:
            demo.load(db)
    return app


def timed(client, url: str, agent: str, n: int) -> list[float]:
    times = []
    for i in range(n):
        start = time.perf_counter()
        response = client.get(url, headers={"User-Agent": f"{agent} r{i}"},
                              environ_base={"REMOTE_ADDR": f"203.0.{i // 250}.{i % 250}"})
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = build(tmp)
        client = app.test_client()
        url = "/works/1"
        timed(client, url, ROBOT, 20)  # warm-up
        cases = {"robot (not counted)": (ROBOT, 10.0), "buffered (10 s)": (BROWSER, 10.0),
                 "written at once (0)": (BROWSER, 0.0)}
        results: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(3):
            for name, (agent, flush) in cases.items():
                app.extensions.pop("repo_usage", None)
                app.config["USAGE_FLUSH_SECONDS"] = flush
                results[name] += timed(client, url, agent, args.requests // 3)
        base = statistics.median(results["robot (not counted)"])
        print(f"{'case':24} {'median ms':>10} {'p95 ms':>8} {'vs robot':>9}")
        for name, times in results.items():
            times.sort()
            median, p95 = statistics.median(times), times[int(len(times) * 0.95)]
            print(f"{name:24} {median * 1000:10.2f} {p95 * 1000:8.2f} {median / base:8.2f}x")


if __name__ == "__main__":
    main()
