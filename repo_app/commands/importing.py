"""``repo-app import``: the back catalogue from a folder and a CSV manifest."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from repo_app.services.importing import ImportReport

POLL_SECONDS = 0.5


@click.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--manifest", required=True, type=click.Path(exists=True, dir_okay=False,
                                                           path_type=Path))
@click.option("--workers", default=1, show_default=True,
              help="Jobs this command runs at once while it waits for the text.")
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@click.option("--no-wait", is_flag=True,
              help="Return once the files are stored and their text queued for the workers.")
@with_appcontext
def import_command(directory: Path, manifest: Path, workers: int, dry_run: bool,
                   no_wait: bool) -> None:
    """Import the back catalogue: files under DIRECTORY described by a CSV manifest."""
    from repo_app import db
    from repo_app.access import SYSTEM
    from repo_app.services import importing

    started = time.monotonic()
    report = importing.run(db.session(), SYSTEM, directory.resolve(), manifest, dry_run=dry_run)
    if not dry_run:
        if not no_wait:
            _work_until_done(db.session(), report.batch, workers)
        importing.settle(db.session(), report, seconds=time.monotonic() - started)
    _print_import_summary(report, dry_run, waited=not no_wait)
    if report.bad_rows:
        sys.exit(1)


def _work_until_done(session: Session, batch: str, workers: int) -> None:
    """Run a worker child for this import's jobs and show their progress until none is left."""
    from tqdm import tqdm

    from repo_app import jobqueue
    from repo_app.services import jobs

    total = jobs.outstanding(session, batch=batch)
    if total == 0:
        return
    worker = None if current_app.config["JOBS_EAGER"] else jobqueue.start_worker(workers)
    try:
        with tqdm(total=total, unit="job", desc="Extracting") as bar:
            while (left := jobs.outstanding(session, batch=batch)) > 0:
                bar.total = max(bar.total, bar.n + left)
                bar.update(max(0, bar.total - left - bar.n))
                session.rollback()  # see other processes' commits on the next count
                time.sleep(POLL_SECONDS)
            bar.update(bar.total - bar.n)
    finally:
        if worker is not None:
            jobqueue.stop_worker(worker)


def _print_import_summary(report: ImportReport, dry_run: bool, *, waited: bool) -> None:
    for outcome in report.outcomes:
        if outcome.status in ("invalid",) or outcome.status.startswith(("empty_file", "too_large")):
            click.echo(f"line {outcome.line}: {outcome.file}: {outcome.message}", err=True)
        elif dry_run:
            click.echo(f"line {outcome.line}: {outcome.status} {outcome.file}")
    text = (f"{report.files_extracted} files, {report.pages} pages" if waited
            else f"text queued for the workers (batch {report.batch})")
    click.echo(
        f"{report.rows} rows: {report.imported} imported, {report.skipped} already imported, "
        f"{report.bad_rows} rejected; {text} in {report.seconds:.1f} s; "
        f"{len(report.failures)} problems"
    )
    if report.report_path is not None:
        click.echo(f"Report: {report.report_path}")


COMMANDS = (import_command,)
