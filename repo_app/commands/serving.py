"""``repo-app serve``: the production WSGI server (gunicorn) with N worker processes.

Every worker builds its own app (no database connection or index handle is
shared across a fork) on the same data directory: the database serialises
writers, the index has one writer at a time (its lock), and each search
opens the index's newest commit, so a work published through one worker is
found through every other within seconds. ``REPO_ENV`` defaults to
``production`` here; the configuration is checked once, before any worker
starts, so a weak secret stops the command with a message, not N tracebacks.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import click
from flask import Flask
from flask.cli import ScriptInfo

from repo_app.commands.common import fail

# Seconds a request may take before gunicorn replaces its worker: long work runs as jobs,
# so a request past this is stuck (a PDF page render has its own, shorter limit).
REQUEST_TIMEOUT = 120


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """The server's settings: threads overlap a worker's waits on disk and database."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": REQUEST_TIMEOUT,
        "graceful_timeout": 30,
        # Longer than a reader's pause between clicks, so a kept-alive connection is not
        # closed just as the next request goes out on it.
        "keepalive": 5,
        # Replace a worker now and then, so no slow leak (pdfminer, caches) grows for months.
        "max_requests": 5000,
        "max_requests_jitter": 500,
        "accesslog": "-",
        "errorlog": "-",
        "preload_app": False,
    }


@click.command("serve")
@click.option("--workers", default=2, show_default=True, help="Worker processes.")
@click.option("--threads", default=4, show_default=True, help="Threads per worker.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
def serve_command(workers: int, threads: int, host: str, port: int) -> None:
    """Serve the site with gunicorn (production: REPO_ENV defaults to production)."""
    os.environ.setdefault("REPO_ENV", "production")
    from repo_app.config import ConfigError

    factory = click.get_current_context().ensure_object(ScriptInfo).create_app
    try:
        factory()  # the configuration is checked once here, not by every worker
    except ConfigError as exc:
        fail(str(exc))
    _run_gunicorn(gunicorn_options(host, port, workers, threads), factory)


def _run_gunicorn(options: dict[str, Any], factory: Callable[[], Flask]) -> None:
    """gunicorn driven from Python: our options, and the app factory run in each worker."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return factory()

    Server().run()


COMMANDS = (serve_command,)
