"""The ``repo-app`` command line (a Flask CLI group; CONTRACT.md lists the commands)."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from repo_app import db, resources
from repo_app.errors import UserError
from repo_app.services import demo, indexing, users


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


def register(app: Flask) -> None:
    for command in (init_command, users_group, demo_command, reindex_command):
        app.cli.add_command(command)
