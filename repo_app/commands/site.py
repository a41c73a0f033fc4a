"""``repo-app init`` and ``repo-app demo``: a data directory, and demo data in it."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create (or bring up to date) the database, file store and index. Safe to run twice."""
    from repo_app import db, resources
    from repo_app.services import indexing, policy_changes

    resources.initialize(current_app)
    if resources.index().outdated():
        # Written by an older release: its fields mean something else, so it is rebuilt whole.
        click.echo("The search index is from an older release; rebuilding it.")
        indexing.reindex(db.session())
    changed = policy_changes.sync(db.session())
    if changed:
        click.echo(f"Access settings changed: {len(changed)} works get a new OAI-PMH datestamp.")
    click.echo(f"Initialised data directory {current_app.config['DATA_DIR']}")


@click.command("demo")
@click.option("--admin-password", default=None, help="Password for admin@example.org.")
@with_appcontext
def demo_command(admin_password: str | None) -> None:
    """Load the demo collection and demo accounts (idempotent)."""
    from repo_app import db, resources
    from repo_app.services import demo

    resources.initialize(current_app)
    for line in demo.load(db.session(), admin_password):
        click.echo(line)


COMMANDS = (init_command, demo_command)
