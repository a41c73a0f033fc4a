"""Fixtures for production behaviour: an app on PostgreSQL, and the app run as a real server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import databases
import pytest
from conftest import build_app
from flask import Flask


@pytest.fixture
def pg_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           request: pytest.FixtureRequest) -> Iterator[Flask]:
    """The app on a PostgreSQL database, whichever database the rest of the suite uses;
    skipped with the reason when no PostgreSQL server answers."""
    url = databases.lease(request, databases.postgres_server())
    monkeypatch.setenv("REPO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REPO_DATABASE_URL", url)
    app = build_app()
    yield app
    databases.dispose(app)
