"""How long ``repo-app`` takes to start, against bare Python and Flask's CLI in the same run.

Runs each command several times, alternating, and prints the median and
range of each, and each command's cost over ``python -c "import flask.cli"``
(what any Flask command line pays), and the median CPU time. Issue 11 asks commands to start in
under 0.3 s. ``--help`` cases list a menu without building the app;
``coverage`` builds it and runs a small database query, on a data directory
this script initialises in a temporary folder (``REPO_DATA_DIR``).
Usage: ``python bench/cli_startup.py [--runs N]``; run it under
``flock /tmp/bench.lock``: on a busy machine the figures are noisy.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
REPO_APP = str(BIN / "repo-app")
CASES = {
    "python": [sys.executable, "-c", "pass"],
    "flask.cli (baseline)": [sys.executable, "-c", "import flask.cli"],
    "repo-app --help": [REPO_APP, "--help"],
    "repo-app import --help": [REPO_APP, "import", "--help"],
    "repo-app users --help": [REPO_APP, "users", "--help"],
    "repo-app coverage --format json": [REPO_APP, "coverage", "--format", "json"],
}


def seconds(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run.

    CPU time moves less than wall time when other processes share the cores.
    """
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(command, check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in CASES}
    print(f"load average (1 min) before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="cli-startup-") as data_dir:
        env = {**os.environ, "REPO_DATA_DIR": data_dir}
        env.pop("REPO_DATABASE_URL", None)
        # Compiled bytecode cached, as in any installed copy: the warm-up run writes it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([REPO_APP, "init"], check=True, env=env, stdout=subprocess.DEVNULL)
        for command in CASES.values():
            seconds(command, env)
        for _ in range(runs):
            for name, command in CASES.items():
                times[name].append(seconds(command, env))
    baseline = statistics.median(wall for wall, _ in times["flask.cli (baseline)"])
    print(f"{'command':<34}{'median s':>10}{'min s':>8}{'max s':>8}{'over baseline s':>17}"
          f"{'median cpu s':>14}")
    for name, runs_of in times.items():
        walls = [wall for wall, _ in runs_of]
        median = statistics.median(walls)
        print(f"{name:<34}{median:>10.3f}{min(walls):>8.3f}{max(walls):>8.3f}"
              f"{median - baseline:>17.3f}{statistics.median(cpu for _, cpu in runs_of):>14.3f}")
    print(f"load average (1 min) after: {os.getloadavg()[0]:.2f}")

if __name__ == "__main__":
    main()
