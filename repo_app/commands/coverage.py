"""``repo-app holdings import`` and ``repo-app coverage``: the register and the report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from repo_app.commands.common import fail


@click.group("holdings")
def holdings_group() -> None:
    """The holdings register (the denominator of coverage)."""


@holdings_group.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--category", default="endogenous", show_default=True,
              help="The category of every holding in a MARC file (MARC records carry none).")
@with_appcontext
def holdings_import_command(csv_file: Path, category: str) -> None:
    """Load or update the register from a holdings CSV, or from the catalogue's MARC 21 export
    (ISO 2709 or MARCXML, from Koha or Libol); bad rows go to a report file."""
    from repo_app import db
    from repo_app.access import SYSTEM
    from repo_app.errors import UserError
    from repo_app.services import holdings, holdings_messages

    try:
        result = holdings.import_file(db.session(), SYSTEM, csv_file.read_bytes(),
                                      category=category)
    except UserError as exc:
        fail(holdings_messages.file_refused(str(csv_file), exc))
    for line in holdings_messages.summary(result):
        click.echo(line.text, err=line.problem)
    if result.report_path is not None:
        sys.exit(1)


@click.command("coverage")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.option("--snapshot", is_flag=True, help="Record today's snapshot and print one line.")
@with_appcontext
def coverage_command(fmt: str, snapshot: bool) -> None:
    """The digitization coverage report (also records today's snapshot)."""
    from repo_app import db
    from repo_app.access import SYSTEM
    from repo_app.services import coverage, coverage_exports

    try:
        report = coverage.report(db.session(), SYSTEM)
    except ValueError as exc:
        fail(str(exc))
    if snapshot:
        click.echo(f"Snapshot recorded for {report.date.isoformat()}: "
                   f"{report.overall['digitized']}/{report.overall['holdings']} digitized")
    elif fmt == "json":
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(coverage_exports.as_csv(report), nl=False)
    else:
        click.echo(coverage_exports.as_text_table(report), nl=False)


COMMANDS = (holdings_group, coverage_command)
