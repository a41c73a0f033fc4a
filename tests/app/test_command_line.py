"""The shape of ``repo-app``: every command in ``repo_app.commands``, a menu without the app."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner
from flask.cli import ScriptInfo

from repo_app import cli

HEAVY = ("whoosh", "numpy", "pdfminer", "sqlalchemy", "PIL", "fpdf", "lxml")


def test_help_lists_every_command_without_building_the_app():
    def refuse():
        raise AssertionError("--help built the app")

    result = CliRunner().invoke(cli.main, ["--help"], obj=ScriptInfo(create_app=refuse))
    assert result.exit_code == 0, result.output
    for name in ("init", "users", "demo", "import", "reindex", "check", "embargoes",
                 "holdings", "coverage", "harvest", "tokens"):
        assert f"  {name} " in result.output
    assert "Traceback" not in result.output


def test_the_console_script_imports_no_heavy_library():
    probe = ("import sys, repo_app.cli; "
             f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout.split()
    assert loaded == []
