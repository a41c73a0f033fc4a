"""``repo-app tokens create``: API tokens for depositing by script."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from repo_app.commands.common import fail


@click.group("tokens")
def tokens_group() -> None:
    """API tokens for depositing by script."""


@tokens_group.command("create")
@click.argument("email")
@click.option("--days", default=90, show_default=True, help="Days until the token expires.")
@with_appcontext
def tokens_create(email: str, days: int) -> None:
    """Create a token for the account EMAIL and print it (it is shown only once)."""
    from repo_app import db
    from repo_app.access import SYSTEM
    from repo_app.errors import UserError
    from repo_app.services import api_tokens

    try:
        row, token = api_tokens.create(db.session(), SYSTEM, email, days)
    except UserError as exc:
        fail(str(exc))
    click.echo(token)
    click.echo(f"expires {row.expires_at.isoformat()}", err=True)


COMMANDS = (tokens_group,)
