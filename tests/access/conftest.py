"""A shared, read-only repository for the access matrix, and clients for every kind of visitor.

Building the works once per module (instead of once per case) keeps the
matrix fast enough to cover every role × level × route; its tests only
read, so sharing the data cannot couple them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from access.world import (
    LEVELS,
    VISITORS,
    Published,
    deposit,
    file_ids,
    grant_onsite_permit,
    make_app,
    write_pdf,
)
from conftest import make_accounts
from flask import Flask
from flask.testing import FlaskClient

from helpers import login


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory,
          request: pytest.FixtureRequest) -> Iterator[tuple[Flask, dict[str, Published]]]:
    """One published work per level (the embargo ends tomorrow), each with its own secrets."""
    root = tmp_path_factory.mktemp("access-world")
    with pytest.MonkeyPatch.context() as monkeypatch:
        app = make_app(root / "data", monkeypatch, request)
        accounts = make_accounts(app)
        published = {}
        for level in LEVELS:
            words = (f"qx{level}tim", f"hx{level}an", f"tx{level}tieude")
            pdf = write_pdf(root / f"{level}.pdf", f"Văn bản {words[0]} và {words[1]}.")
            title = f"Luận văn {level} {words[2]}"
            until = date.today() + timedelta(days=1) if level == "embargoed" else None
            work_id = deposit(app, accounts, [pdf], title, level, until)
            ids = file_ids(app, work_id)
            published[level] = Published(work_id, ids[0], *words, file_ids=ids)
        grant_onsite_permit(app, accounts, published["onsite"].work_id)
        yield app, published


@pytest.fixture(scope="module")
def visitor(world) -> Callable[[str], FlaskClient]:
    """A logged-in (or anonymous) client per visitor, from the right network, made once."""
    app, _ = world
    clients: dict[str, FlaskClient] = {}

    def _get(name: str) -> FlaskClient:
        if name not in clients:
            address, email = VISITORS[name]
            client = app.test_client()
            client.environ_base["REMOTE_ADDR"] = address
            if email:
                login(client, email)
            clients[name] = client
        return clients[name]
    return _get
