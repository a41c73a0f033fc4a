"""Every ``repo-app`` command, one module per area (CONTRACT.md lists them).

A command parses its arguments, calls one service as ``access.SYSTEM`` and
prints what it returns. Modules here import only click and Flask at the
top; services (and through them numpy, Whoosh and pdfminer) are imported
inside the command functions, so ``repo-app --help`` starts in a blink.
Views never import from here, and nothing here is imported by a view.
"""

from __future__ import annotations

import click

from repo_app.commands import (
    agency,
    coverage,
    embargoes,
    exporting,
    harvest,
    importing,
    index,
    jobs,
    serving,
    site,
    tokens,
    users,
)

COMMANDS: tuple[click.Command, ...] = (
    *site.COMMANDS,
    *users.COMMANDS,
    *importing.COMMANDS,
    *index.COMMANDS,
    *embargoes.COMMANDS,
    *coverage.COMMANDS,
    *harvest.COMMANDS,
    *tokens.COMMANDS,
    *serving.COMMANDS,
    *exporting.COMMANDS,
    *agency.COMMANDS,
    *jobs.COMMANDS,
)


def register(group: click.Group) -> None:
    """Add every command to ``group`` (the console script's group, or an app's ``cli``)."""
    for command in COMMANDS:
        group.add_command(command)
