"""What every command shares: how a command gives up."""

from __future__ import annotations

import sys
from typing import NoReturn

import click


def fail(message: str) -> NoReturn:
    """Print ``message`` on standard error and exit non-zero (CONTRACT.md: exit status)."""
    click.echo(message, err=True)
    sys.exit(1)
