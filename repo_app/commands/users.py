"""``repo-app users``: accounts."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from repo_app.commands.common import fail


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
    from repo_app import db
    from repo_app.errors import UserError
    from repo_app.services import users

    password = click.prompt("Password", hide_input=True, confirmation_prompt=True,
                            err=True)
    try:
        user = users.create_user(db.session(), email, password, role, name)
    except UserError as exc:
        fail(str(exc))
    click.echo(f"Created {user.role} {user.email}")


COMMANDS = (users_group,)
