"""A scan's searchable copy travels in its BagIt bag and comes back checked."""

from __future__ import annotations

import bagit
from sqlalchemy import select

from repo_app.db import standalone_session
from repo_app.models import File


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
