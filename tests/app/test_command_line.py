"""The shape of ``repo-app``: every command in ``repo_app.commands``, a menu without the app,
and an app built without the libraries only some requests and commands use."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner
from flask.cli import ScriptInfo

from repo_app import cli

HEAVY = ("whoosh", "numpy", "pdfminer", "sqlalchemy", "PIL", "fpdf", "lxml")
# Loaded where they are used (searching, the reader, workbooks, MARC, harvesting, preservation),
# never by building the app (docs/architecture.md, "Imports at start-up").
NOT_AT_START = ("whoosh", "numpy", "openpyxl", "pymarc", "PIL", "requests", "img2pdf", "fpdf",
                "bagit", "pdfminer", "pypdfium2", "pikepdf")


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


def _modules_after(args: list[str]) -> set[str]:
    """The modules a fresh ``repo-app ARGS`` process has loaded when it is done."""
    probe = ("import contextlib, io, sys; from repo_app.cli import main\n"
             "with contextlib.redirect_stdout(io.StringIO()):\n"
             f"    main({args!r}, standalone_mode=False)\n"
             "print(' '.join(sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_a_command_builds_the_app_and_queries_without_heavy_libraries(app):
    loaded = _modules_after(["coverage", "--format", "json"])
    assert {"repo_app.views", "repo_app.services.coverage"} <= loaded  # the app was built, and ran
    assert loaded & set(NOT_AT_START) == set()

