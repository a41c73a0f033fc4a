"""The layer edges hold: views and commands -> services -> core -> search, ingest (.importlinter)."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


def test_every_import_follows_the_layers(tmp_path):
    cli = pytest.importorskip("importlinter.cli", reason="import-linter is in the test extras")
    status = cli.lint_imports(config_filename=str(PROJECT / ".importlinter"),
                              cache_dir=str(tmp_path), no_logo=True)
    assert status == cli.EXIT_STATUS_SUCCESS, "a contract of .importlinter is broken (see above)"
