"""``repo-app tokens create|list|revoke``: API tokens for depositing and reading by script."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from repo_app.commands.common import fail

SCOPES = ("deposit", "read")


@click.group("tokens")
def tokens_group() -> None:
    """API tokens for depositing and reading by script."""


@tokens_group.command("create")
@click.argument("email")
@click.option("--days", default=30, show_default=True, help="Days until the token expires (1-365).")
@click.option("--scope", "scopes", multiple=True, type=click.Choice(SCOPES),
              help="What the token may do (repeat for both); default: deposit and read.")
@with_appcontext
def tokens_create(email: str, days: int, scopes: tuple[str, ...]) -> None:
    """Create a token for the account EMAIL and print it (it is shown only once)."""
    from repo_app import db
    from repo_app.access import SYSTEM
    from repo_app.errors import UserError
    from repo_app.services import api_tokens

    try:
        row, token = api_tokens.create(db.session(), SYSTEM, email, days, scopes or SCOPES)
    except UserError as exc:
        fail(str(exc))
    click.echo(f"token {row.id} ({row.scopes}) expires {row.expires_at.isoformat()}", err=True)
    click.echo(token)


@tokens_group.command("list")
@click.argument("email", required=False, default="")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@with_appcontext
def tokens_list(email: str, fmt: str) -> None:
    """Every token (or EMAIL's): number, account, scopes, dates and state. Never the token."""
    from repo_app import db
    from repo_app.access import SYSTEM
    from repo_app.models.types import utcnow
    from repo_app.services import api_tokens

    now = utcnow()
    rows = [{"id": t.id, "user": t.user.email, "scopes": t.scopes,
             "created_at": t.created_at.isoformat(), "expires_at": t.expires_at.isoformat(),
             "last_used_at": t.last_used_at.isoformat() if t.last_used_at else "",
             "state": "revoked" if t.revoked_at else "expired" if t.expires_at <= now else "active"}
            for t in api_tokens.listing(db.session(), SYSTEM, email)]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['id']:>5}  {row['state']:<8} {row['user']:<32} {row['scopes']:<13} "
                   f"expires {row['expires_at']}  last used {row['last_used_at'] or '-'}")


@tokens_group.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def tokens_revoke(token_id: int) -> None:
    """Revoke token number TOKEN_ID (from ``tokens list``) at once; it is refused from now on."""
    from repo_app import db
    from repo_app.access import SYSTEM
    from repo_app.errors import UserError
    from repo_app.services import api_tokens

    try:
        row = api_tokens.revoke(db.session(), SYSTEM, token_id)
    except UserError as exc:
        fail(str(exc))
    click.echo(f"revoked token {row.id} of {row.user.email}")


COMMANDS = (tokens_group,)
