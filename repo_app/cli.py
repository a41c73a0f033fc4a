"""The ``repo-app`` command line (a Flask CLI group; CONTRACT.md lists the commands)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from tqdm import tqdm

from repo_app import db, resources
from repo_app.access import Actor
from repo_app.errors import UserError
from repo_app.services import checking, demo, importing, indexing, users
from repo_app.vocab import Role

# Who the command line acts as: a librarian's tool, recorded as the system in the audit log.
SYSTEM = Actor(role=Role.ADMIN, name="repo-app")


def _create_app() -> Flask:
    from repo_app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True,
             add_version_option=False)
def main() -> None:
    """Institutional repository: administration commands."""


def fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create (or bring up to date) the database, file store and index. Safe to run twice."""
    initialize(current_app)
    click.echo(f"Initialised data directory {current_app.config['DATA_DIR']}")


def initialize(app: Flask) -> None:
    app.config["DATA_DIR"].mkdir(parents=True, exist_ok=True)
    db.migrate(app.config["DATABASE_URL"])
    resources.store().init()
    resources.index().create_or_open()
    if resources.index().outdated():
        # An index written by an older release: its fields mean something else.
        indexing.reindex(db.session())


@click.group("users")
def users_group() -> None:
    """Manage accounts."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", required=True,
              type=click.Choice(["reader", "depositor", "librarian", "admin"]))
@click.option("--name", default="", help="Display name.")
@with_appcontext
def users_create(email: str, role: str, name: str) -> None:
    """Create an account; the password comes from the prompt or two lines on standard input."""
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True,
                            err=True)
    try:
        user = users.create_user(db.session(), email, password, role, name)
    except UserError as exc:
        fail(str(exc))
    click.echo(f"Created {user.role} {user.email}")


@click.command("demo")
@click.option("--admin-password", default=None, help="Password for admin@example.org.")
@with_appcontext
def demo_command(admin_password: str | None) -> None:
    """Load the demo collection and demo accounts (idempotent)."""
    initialize(current_app)
    report = demo.load(db.session(), admin_password)
    for line in report:
        click.echo(line)


@click.command("reindex")
@click.option("--procs", default=1, show_default=True, help="Whoosh writer processes.")
@with_appcontext
def reindex_command(procs: int) -> None:
    """Rebuild the search index from the database and stored text (search keeps answering)."""
    count = indexing.reindex(db.session(), procs=procs)
    click.echo(f"Indexed {count} works")


@click.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--manifest", required=True, type=click.Path(exists=True, dir_okay=False,
                                                           path_type=Path))
@click.option("--workers", default=1, show_default=True, help="Extraction processes.")
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@with_appcontext
def import_command(directory: Path, manifest: Path, workers: int, dry_run: bool) -> None:
    """Import the back catalogue: files under DIRECTORY described by a CSV manifest."""
    with tqdm(unit="file", desc="Extracting", disable=dry_run) as bar:
        progress = ImportProgress(bar)
        report = importing.run(db.session(), SYSTEM, directory.resolve(), manifest,
                               workers=workers, dry_run=dry_run, on_file=progress)
    _print_import_summary(report, dry_run)
    if report.bad_rows:
        sys.exit(1)


class ImportProgress:
    """Feeds the progress bar: files done, pages per second, failures so far."""

    def __init__(self, bar: tqdm) -> None:
        self.bar = bar
        self.pages = 0
        self.failures = 0

    def __call__(self, _sha: str, result) -> None:
        self.pages += result.pages or 0
        self.failures += result.status not in ("ok", "ocr")
        rate = self.pages / max(self.bar.format_dict["elapsed"], 1e-6)
        self.bar.set_postfix(pages_per_s=f"{rate:.1f}", failures=self.failures, refresh=False)
        self.bar.update(1)


def _print_import_summary(report: importing.ImportReport, dry_run: bool) -> None:
    for outcome in report.outcomes:
        if outcome.status in ("invalid",) or outcome.status.startswith(("empty_file", "too_large")):
            click.echo(f"line {outcome.line}: {outcome.file}: {outcome.message}", err=True)
        elif dry_run:
            click.echo(f"line {outcome.line}: {outcome.status} {outcome.file}")
    click.echo(
        f"{report.rows} rows: {report.imported} imported, {report.skipped} already imported, "
        f"{report.bad_rows} rejected; {report.files_extracted} files, {report.pages} pages "
        f"in {report.seconds:.1f} s; {len(report.failures)} problems"
    )
    if report.report_path is not None:
        click.echo(f"Report: {report.report_path}")


@click.command("check")
@click.option("--repair", is_flag=True, help="Re-extract and re-index what can be repaired.")
@with_appcontext
def check_command(repair: bool) -> None:
    """Fixity of stored files and consistency of the index with the database."""
    report = checking.check(db.session(), repair=repair)
    for problem in report.problems:
        state = "repaired" if problem.repaired else "PROBLEM"
        click.echo(f"{state}: {problem.kind} work {problem.work_id}: {problem.detail}")
    click.echo(f"Checked {report.files_checked} files and {report.works_checked} works: "
               f"{len(report.problems)} problems, {len(report.unresolved)} unresolved")
    if report.unresolved:
        sys.exit(1)


def register(app: Flask) -> None:
    from repo_app.views.api_deposit import tokens_group
    from repo_app.views.audit import embargoes_group
    from repo_app.views.oai import harvest_command
    from repo_app.views.reports import coverage_command, holdings_group

    for command in (init_command, users_group, demo_command, reindex_command, import_command,
                    check_command, holdings_group, coverage_command):
        app.cli.add_command(command)
    app.cli.add_command(embargoes_group)
    app.cli.add_command(harvest_command)
    app.cli.add_command(tokens_group)
