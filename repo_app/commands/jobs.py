"""``repo-app worker``, ``repo-app jobs`` and ``repo-app run``: the background jobs' commands."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from repo_app.commands.common import fail


@click.command("worker")
@click.option("--concurrency", default=0, type=int,
              help="Jobs run at once [default: REPO_JOB_CONCURRENCY, else the number of cores].")
@with_appcontext
def worker_command(concurrency: int) -> None:
    """Run background jobs (extraction, OCR, indexing) until stopped; any number of hosts may."""
    from repo_app import jobqueue

    if current_app.config["JOBS_EAGER"]:
        fail("REPO_JOBS_EAGER=1 runs jobs where they are queued: there is nothing for a worker.")
    jobqueue.work(current_app._get_current_object(),
                  concurrency or current_app.config["JOB_CONCURRENCY"])


@click.command("jobs")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("--retry", "retry_ids", type=int, multiple=True, help="Queue this failed job again.")
@click.option("--retry-failed", is_flag=True, help="Queue every failed job again.")
@with_appcontext
def jobs_command(fmt: str, retry_ids: tuple[int, ...], retry_failed: bool) -> None:
    """Queued, running, failed and done jobs, and pages per minute over the last hour."""
    from repo_app import db
    from repo_app.services import job_reports, jobs

    session = db.session()
    if retry_ids or retry_failed:
        count = jobs.retry(session, list(retry_ids) if retry_ids else None)
        session.commit()
        click.echo(f"{count} job(s) queued again.", err=True)
    report = job_reports.summary(session)
    click.echo(job_reports.as_json(report) if fmt == "json" else job_reports.as_table(report))


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def run_command(host: str, port: int) -> None:
    """Serve the site (development server) and work the job queue: no other service needed."""
    from repo_app import jobqueue

    app = current_app._get_current_object()
    worker = None
    if not app.config["JOBS_EAGER"]:
        worker = jobqueue.start_worker(app.config["JOB_CONCURRENCY"], quiet=False)
    from werkzeug.serving import run_simple

    try:
        # werkzeug directly: Flask ignores app.run() inside its own command line.
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        if worker is not None:
            jobqueue.stop_worker(worker)


COMMANDS = (worker_command, jobs_command, run_command)
