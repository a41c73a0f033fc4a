"""``repo-app import``: the back catalogue from a folder and a CSV manifest."""

from __future__ import annotations

import sys
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from repo_app.services.importing import ImportReport

POLL_SECONDS = 0.1
# Seconds between the waiting command's index writes: each is a Whoosh commit (and the
# segment merges it sets off), so writing per finished file would take the cores the
# extraction needs; every few seconds the index stays close behind at a fraction of the cost.
DRAIN_EVERY = 5.0
# ... or sooner, once this many pages of text wait: a long file's text is indexed while the
# next files are read, not all at the end when one core is left with nothing to do.
DRAIN_PAGES = 150


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
    from repo_app.services import importing, indexing

    started = time.monotonic()
    # The workers start first, so they are ready (and busy) while the rows are written.
    with _working(workers, dry_run or no_wait):
        report = importing.run(db.session(), SYSTEM, directory.resolve(), manifest,
                               dry_run=dry_run)
        if not (dry_run or no_wait):
            _wait(db.session(), report.batch, workers)
        indexing.drain(db.session())  # the works as they are now: findable from here on
    if not dry_run:
        importing.settle(db.session(), report, seconds=time.monotonic() - started)
    _print_import_summary(report, dry_run, waited=not no_wait)
    if report.bad_rows:
        sys.exit(1)


def _working(workers: int, no_jobs: bool) -> AbstractContextManager[None]:
    """Worker threads in this process for the import's jobs while it runs (none when it does
    not wait for them, or when jobs run eagerly, as in tests)."""
    from repo_app import jobqueue

    if no_jobs or current_app.config["JOBS_EAGER"]:
        return nullcontext()
    return jobqueue.working_here(current_app._get_current_object(), workers)


def _wait(session: Session, batch: str, workers: int) -> None:
    """Show the batch's jobs' progress until none is left, writing the index meanwhile.

    This process has nothing else to do while the workers extract, so it
    indexes their results as they come (the workers' own index jobs then find
    little left): with one worker, extraction and indexing use both cores. It
    writes every few seconds, or sooner once a long file's pages are in. A
    work whose text is still coming waits for it, to be written once. When
    only the last files are left, what is done is indexed beside them, so
    that the index write after them, which nothing else overlaps, is small.
    """
    from tqdm import tqdm

    from repo_app.services import indexing, jobs

    total = jobs.outstanding(session, batch=batch)
    if total == 0:
        return
    drained, tail_drained, pages_then = time.monotonic(), False, 0
    with tqdm(total=total, unit="job", desc="Extracting") as bar:
        while (progress := jobs.batch_progress(session, batch))[0] > 0:
            left, pages = progress
            bar.total = max(bar.total, bar.n + left)
            bar.update(max(0, bar.total - left - bar.n))
            session.rollback()  # see other processes' commits on the next count
            last_ones = left <= workers and not tail_drained
            if last_ones or pages - pages_then >= DRAIN_PAGES \
                    or time.monotonic() - drained >= DRAIN_EVERY:
                indexing.drain(session, text_pending=False)
                drained, tail_drained, pages_then = \
                    time.monotonic(), tail_drained or last_ones, pages
            time.sleep(POLL_SECONDS)
        bar.update(bar.total - bar.n)


def _print_import_summary(report: ImportReport, dry_run: bool, *, waited: bool) -> None:
    from repo_app.services import import_messages

    for line in import_messages.summary(report, dry_run, waited=waited):
        click.echo(line.text, err=line.problem)


COMMANDS = (import_command,)
