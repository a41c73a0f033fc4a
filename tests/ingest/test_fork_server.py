"""The extraction processes' fork server can be started ahead of the first file (a command
starts it while it builds its app), once, and extraction then goes through it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import fork_server
from ingest.extract import extract
from ingest.sample_pdf import write_pdf

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(),
                                reason="needs /proc to list this process's children")


def _fork_servers() -> list[int]:
    """This process's children that are multiprocessing fork servers."""
    children: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        children |= {int(pid) for pid in (task / "children").read_text().split()}
    return [pid for pid in children
            if b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def test_a_fork_server_started_ahead_is_started_once_and_serves_the_extraction(tmp_path):
    fork_server.start()
    fork_server.start()
    pdf = write_pdf(tmp_path / "a.pdf", ["Trường Đại học Cần Thơ"])
    assert "Cần Thơ" in extract(pdf).text
    assert len(_fork_servers()) == 1  # (counted once it has certainly started: after a file)


def test_starting_the_fork_server_does_not_load_pdfminer_in_the_caller():
    """A command starts it before building its app: pdfminer loads in the server, not on the
    command's start-up path."""
    code = ("import sys; from ingest import fork_server; fork_server.start(); "
            "print('pdfminer' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == "False"
