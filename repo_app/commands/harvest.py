"""``repo-app harvest``: a partner's OAI-PMH records into the union catalogue."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from repo_app.commands.common import fail


@click.command("harvest")
@click.argument("url")
@click.option("--set", "set_spec", default="", help="Harvest only this set of the partner.")
@click.option("--from", "since", default=None,
              help="Start from this date (YYYY-MM-DD); default: where the last harvest ended.")
@with_appcontext
def harvest_command(url: str, set_spec: str, since: str | None) -> None:
    """Harvest a partner's OAI-PMH endpoint (oai_dc) into the union catalogue."""
    from repo_app import db
    from repo_app.access import SYSTEM
    from repo_app.errors import UserError
    from repo_app.services import harvest

    try:
        report = harvest.run(db.session(), SYSTEM, url, set_spec=set_spec, since=since)
    except UserError as exc:
        fail(str(exc))
    start = "resumed" if report.resumed else f"from {report.since or 'the beginning'}"
    click.echo(f"{report.source}: {report.pages} pages ({start}); {report.added} added, "
               f"{report.updated} updated, {report.deleted} deleted")


COMMANDS = (harvest_command,)
