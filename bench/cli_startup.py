"""How long ``repo-app`` takes to start, against bare Python and Flask's CLI in the same run.

Runs each command several times, alternating, and prints the median and
range of each, and each command's cost over ``python -c "import flask.cli"``
(what any Flask command line pays). Issue 11 asks commands to start in
under 0.3 s. Usage: ``python bench/cli_startup.py [--runs N]``; run it under
``flock /tmp/bench.lock``: on a busy machine the figures are noisy.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
CASES = {
    "python": [sys.executable, "-c", "pass"],
    "flask.cli (baseline)": [sys.executable, "-c", "import flask.cli"],
    "repo-app --help": [str(BIN / "repo-app"), "--help"],
    "repo-app import --help": [str(BIN / "repo-app"), "import", "--help"],
}


def seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(runs):
        for name, command in CASES.items():
            times[name].append(seconds(command))
    baseline = statistics.median(times["flask.cli (baseline)"])
    print(f"{'command':<26}{'median s':>10}{'min s':>8}{'max s':>8}{'over baseline s':>17}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<26}{median:>10.3f}{min(values):>8.3f}{max(values):>8.3f}"
              f"{median - baseline:>17.3f}")


if __name__ == "__main__":
    main()
