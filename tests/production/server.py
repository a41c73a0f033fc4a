"""Running ``repo-app serve`` for real: a gunicorn master on a free loopback port."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

REPO_APP = str(Path(sys.executable).parent / "repo-app")
START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(data_dir: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    env = {**os.environ, "REPO_DATA_DIR": str(data_dir), "REPO_SECRET_KEY": secrets.token_urlsafe(32),
           "REPO_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", **extra}
    env.pop("REPO_DATABASE_URL", None)
    env.pop("REPO_ENV", None)
    if database_url:
        env["REPO_DATABASE_URL"] = database_url
    return env


@contextmanager
def serving(env: dict[str, str], workers: int = 2) -> Iterator[tuple[str, subprocess.Popen]]:
    """``repo-app serve`` until the block ends; yields its base URL and the master process."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**env, "REPO_BASE_URL": base}
    master = subprocess.Popen([REPO_APP, "serve", "--workers", str(workers), "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_up(base, master)
        yield base, master
    finally:
        master.send_signal(signal.SIGTERM)
        try:
            master.wait(timeout=30)
        except subprocess.TimeoutExpired:
            master.kill()
            master.wait()


def _wait_until_up(base: str, master: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if master.poll() is not None:
            raise AssertionError(f"serve exited: {master.stderr.read()[-2000:]}")
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise AssertionError("serve did not answer /healthz in time")


def worker_pids(master: subprocess.Popen, expected: int) -> list[int]:
    """The master's worker processes, once ``expected`` of them have booted (or the time is up)."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
        if len(children) >= expected or time.monotonic() > deadline:
            return [int(pid) for pid in children]
        time.sleep(0.2)
