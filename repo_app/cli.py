"""The ``repo-app`` console script: a Flask CLI group holding ``repo_app.commands``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo

from repo_app import commands
from repo_app.commands.common import fail


def _create_app() -> Flask:
    from repo_app import create_app

    return create_app()


# Commands that make the data directory, or need none.
NEEDS_NO_DATA = {"init", "demo", "shell", "routes"}
# Commands that extract text in processes of their own: their fork server starts before the
# app is built, so both happen at once (``ingest.fork_server.start``).
EXTRACTS_TEXT = {"import", "worker"}


class RepoGroup(FlaskGroup):
    """A FlaskGroup that lists its commands without building the app.

    Every command is registered on the group itself (``repo_app.commands``),
    so ``repo-app --help`` needs no app; Flask's own listing would build one,
    importing every view, service, numpy and Whoosh just to print a menu.
    A command still gets the app when it runs (``with_appcontext``).
    """

    def resolve_command(self, ctx: click.Context, args: list[str]):
        """Before a command that extracts text, start its fork server; before any command
        that needs a prepared data directory, check that it is one."""
        name, command, rest = super().resolve_command(ctx, args)
        runs = not ctx.resilient_parsing and "--help" not in rest
        if name in EXTRACTS_TEXT and runs and "--dry-run" not in rest:
            from ingest import fork_server

            fork_server.start()
        if name not in NEEDS_NO_DATA and runs:
            from repo_app import readiness
            from repo_app.config import ConfigError

            try:
                problem = readiness.problem(ctx.ensure_object(ScriptInfo).load_app())
            except ConfigError as exc:
                problem = str(exc)
            if problem:
                fail(problem)
        return name, command, rest

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """One of ours without looking for plugins first.

        Flask loads every ``flask.commands`` plugin before any lookup, and
        Flask-Limiter's ``limiter`` imports rich: a tenth of a second. Other
        names (plugins, the app's own commands) are looked up as Flask does.
        """
        return click.Group.get_command(self, ctx, name) or super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return sorted(click.Group.list_commands(self, ctx))


@click.group(cls=RepoGroup, create_app=_create_app, add_default_commands=True,
             add_version_option=False)
def main() -> None:
    """Institutional repository: administration commands."""


commands.register(main)


def register(app: Flask) -> None:
    """The same commands on ``app.cli``, for ``flask --app repo_app`` and the test runner."""
    commands.register(app.cli)
