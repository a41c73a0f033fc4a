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
@click.option("--partner", "key", default=None,
              help="The partner's key, when its Identify does not say who it is "
                   "(several base URLs of one repository share one key).")
@click.option("--map", "mapping", multiple=True, metavar="NAME=VALUE",
              help="A mapping setting kept for this partner: date=earliest|first|last, "
                   "link=landing|identifier|relation, html=strip|keep, "
                   "legacy_fonts=auto|tcvn3|vni|off.")
@with_appcontext
def harvest_command(url: str, set_spec: str, since: str | None, key: str | None,
                    mapping: tuple[str, ...]) -> None:
    """Harvest a partner's OAI-PMH endpoint (oai_dc) into the union catalogue.

    Exits 1 on any OAI error but noRecordsMatch and on malformed XML; the
    pages before the failure are kept and the next run resumes after them.
    """
    from repo_app import db
    from repo_app.access import SYSTEM
    from repo_app.errors import UserError
    from repo_app.services import harvest

    try:
        report = harvest.run(db.session(), SYSTEM, url, set_spec=set_spec, since=since, key=key,
                             mapping=list(mapping))
    except harvest.HarvestError as exc:
        if exc.report.pages:
            click.echo(_summary(exc.report), err=True)
        fail(str(exc))
    except UserError as exc:
        fail(str(exc))
    click.echo(_summary(report))


def _summary(report) -> str:
    start = "resumed" if report.resumed else f"from {report.since or 'the beginning'}"
    if report.restarted:
        start += "; the partner's resumption token had expired, the list was restarted"
    return (f"{report.source}: {report.pages} pages ({start}); {report.added} added, "
            f"{report.updated} updated, {report.deleted} deleted")


COMMANDS = (harvest_command,)
