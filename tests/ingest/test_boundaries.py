"""The ingest package stands alone: no web framework, database, index or app imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ingest

PACKAGE = Path(ingest.__file__).resolve().parent
FORBIDDEN = {"flask", "sqlalchemy", "whoosh", "repo_app", "search"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("module", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_module_imports_nothing_from_the_app_side(module):
    assert imported_roots(module) & FORBIDDEN == set()
