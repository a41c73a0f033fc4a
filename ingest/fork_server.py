"""Where extraction processes come from: a fork server that has pdfminer loaded.

Apart from :mod:`ingest.workers` so that a command can start the server
(``start``) without importing pdfminer itself: the server imports it, in a
process of its own, on another core, while the command builds its app.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
from multiprocessing.context import BaseContext

# What the fork server imports once, so that a worker forked from it starts at once instead
# of spending a tenth of a second on imports (the main module it always loads, and the
# worker's module, which imports pdfminer).
PRELOAD = ["__main__", "ingest.workers"]


def context() -> BaseContext:
    """``forkserver`` where available (fast, no inherited state), else ``spawn``."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    forkserver = multiprocessing.get_context("forkserver")
    forkserver.set_forkserver_preload(PRELOAD)
    return forkserver


def start() -> None:
    """Start the fork server now rather than at the first file, which is then extracted as
    soon as it is queued."""
    if context().get_start_method() == "forkserver":
        multiprocessing.forkserver.ensure_running()
