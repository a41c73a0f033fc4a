"""``repo-app reindex`` and ``repo-app check``: the index rebuilt, the store and index verified."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from repo_app.commands.common import fail


@click.command("reindex")
@click.option("--procs", default=1, show_default=True, help="Whoosh writer processes.")
@with_appcontext
def reindex_command(procs: int) -> None:
    """Rebuild the search index from the database and stored text.

    Search keeps answering and deposits keep being indexed meanwhile; the
    new index is swapped in at the end with everything written in between.
    """
    from tqdm import tqdm

    from repo_app import db
    from repo_app.services import indexing
    from search.errors import RebuildRunningError

    with tqdm(unit="work", desc="Indexing") as bar:
        def progress(count: int) -> None:
            bar.update(count - bar.n)

        try:
            count = indexing.reindex(db.session(), procs=procs, progress=progress)
        except RebuildRunningError:
            fail("Another `repo-app reindex` is running; this one was not started.")
    click.echo(f"Indexed {count} works")


@click.command("check")
@click.option("--repair", is_flag=True,
              help="Re-extract and re-index what can be repaired; remove day-old orphan files.")
@with_appcontext
def check_command(repair: bool) -> None:
    """Fixity of stored files and consistency of the index with the database."""
    from repo_app import db
    from repo_app.services import checking

    report = checking.check(db.session(), repair=repair)
    for problem in report.problems:
        state = "repaired" if problem.repaired else "PROBLEM"
        click.echo(f"{state}: {problem.kind} work {problem.work_id}: {problem.detail}")
    click.echo(f"Checked {report.files_checked} files and {report.works_checked} works: "
               f"{len(report.problems)} problems, {len(report.unresolved)} unresolved")
    if report.unresolved:
        sys.exit(1)


@click.command("sweep")
@with_appcontext
def sweep_command() -> None:
    """Remove uploads no work took within a day and trim the reader's page cache."""
    from repo_app.services import sweeping

    swept = sweeping.sweep()
    click.echo(f"Removed {swept.staged_files} abandoned uploads and "
               f"{swept.cached_pages} cached reader pages")


COMMANDS = (reindex_command, check_command, sweep_command)
