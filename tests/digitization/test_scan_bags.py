"""A scan's searchable copy travels in its BagIt bag and comes back checked."""

from __future__ import annotations

import bagit
import databases
import pytest
from flask import Flask
from sqlalchemy import select

from repo_app import create_app
from repo_app.db import standalone_session
from repo_app.models import File
from repo_app.resources import initialize


@pytest.fixture
def empty_instance(tmp_path, monkeypatch, request) -> Flask:
    monkeypatch.setenv("REPO_DATA_DIR", str(tmp_path / "second"))
    url = databases.lease(request)
    if url:
        monkeypatch.setenv("REPO_DATABASE_URL", url)
    else:
        monkeypatch.delenv("REPO_DATABASE_URL", raising=False)
    app = create_app({"TESTING": True, "SERVER_NAME": "repo.test", "BASE_URL": "http://repo.test"})
    with app.app_context():
        initialize(app)
    yield app
    databases.dispose(app)


def test_the_searchable_copy_is_bagged_and_restored(app, runner, scanned, tmp_path,
                                                     empty_instance):
    with standalone_session(app) as db:
        file = db.get(File, scanned.id)
    bags = tmp_path / "bags"
    assert runner.invoke(args=["export", "--bagit", str(bags)]).exit_code == 0
    [bag] = list(bags.iterdir())
    assert bagit.Bag(str(bag)).is_valid()
    assert (bag / "data" / "files" / file.derivative_sha256).is_file()
    cli = empty_instance.test_cli_runner()
    assert cli.invoke(args=["import-bag", str(bags)]).exit_code == 0
    with standalone_session(empty_instance) as db:
        restored = db.scalar(select(File))
    assert (restored.sha256, restored.derivative_sha256) == (file.sha256, file.derivative_sha256)
    assert cli.invoke(args=["check"]).exit_code == 0  # the copy is in the store, intact
