"""``repo-app embargoes lift``: write down the embargoes that have ended (cron, daily)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("embargoes")
def embargoes_group() -> None:
    """Embargo housekeeping."""


@embargoes_group.command("lift")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Lift as if today were this date (default: today).")
@with_appcontext
def lift_command(on) -> None:
    """Lift every embargo that has ended: new level, datestamp, audit event, re-index."""
    from repo_app import db
    from repo_app.access import SYSTEM
    from repo_app.services import embargoes

    with db.standalone_session(current_app) as session:
        lifted = embargoes.lift(session, SYSTEM, on.date() if on else None)
    click.echo(f"Lifted {len(lifted)} embargo(es)" + (f": works {lifted}" if lifted else ""))


COMMANDS = (embargoes_group,)
