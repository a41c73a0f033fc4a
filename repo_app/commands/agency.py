"""``repo-app report``: the managing agency's report for a quarter or a year."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from repo_app.commands.common import fail


@click.command("report")
@click.option("--period", required=True, help="A year (2026) or a quarter (2026Q3).")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "json"]), default="xlsx",
              show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write (default: agency-report-PERIOD.xlsx; CSV and JSON to "
                   "standard output).")
@click.option("--submit", is_flag=True,
              help="Freeze this report as submitted (its XLSX and checksum are kept).")
@with_appcontext
def report_command(period: str, fmt: str, output: Path | None, submit: bool) -> None:
    """The plan's indicators as of the period's last day, laid out for the managing agency."""
    from repo_app import db
    from repo_app.access import SYSTEM
    from repo_app.errors import UserError
    from repo_app.services import agency_report, agency_report_formats

    try:
        report = agency_report.build(db.session(), SYSTEM, agency_report.Period.parse(period))
    except UserError as exc:
        fail(str(exc))
    if submit:
        row = agency_report.submit(db.session(), SYSTEM, report,
                                   agency_report_formats.as_xlsx(report))
        click.echo(f"Submitted {row.period} as of {row.as_of}: sha256 {row.sha256}", err=True)
    if fmt == "xlsx":
        target = output or Path(f"agency-report-{report.period.code}.xlsx")
        target.write_bytes(agency_report_formats.as_xlsx(report))
        click.echo(f"Wrote {target}")
        return
    text = (agency_report_formats.as_csv(report) if fmt == "csv"
            else json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n")
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}")


COMMANDS = (report_command,)
