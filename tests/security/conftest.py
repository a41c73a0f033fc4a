"""Fixtures for the attacker's tests: publish a given PDF file at an access level."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from repo_app.access import Actor
from repo_app.db import standalone_session
from repo_app.services import files, works
from repo_app.vocab import Role


@pytest.fixture
def publish_file(app: Flask, accounts: dict[str, int]):
    """Deposit ``pdf`` as the depositor (a draft, or published at ``level`` by the librarian)."""
    def _publish(pdf: Path, level: str | None = "restricted", title: str = "Luận văn") -> int:
        with app.test_request_context(), standalone_session(app) as db:
            with pdf.open("rb") as stream:
                staged = files.stage(stream, pdf.name)
            owner = Actor(user_id=accounts["depositor"], role=Role.DEPOSITOR)
            work = works.create(db, owner, works.WorkFields(
                title=title, type="master_thesis", year=2020, creators=["Nguyễn Văn A"]),
                [staged], submit=level is not None)
            if level is not None:
                librarian = Actor(user_id=accounts["librarian"], role=Role.LIBRARIAN)
                works.publish(db, librarian, work, works.AccessSettings(
                    level=level, embargo_until=None, after_embargo="open", reason="test"))
            return work.id
    return _publish
