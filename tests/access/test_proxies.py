"""X-Forwarded-For is believed only from REPO_TRUSTED_PROXIES; a forged header changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from access.world import (
    CAMPUS,
    OFF_CAMPUS,
    READING_ROOM,
    deposit,
    file_ids,
    make_accounts,
    make_app,
)
from flask import Flask

PROXY, SECOND_PROXY = "192.0.2.10", "192.0.2.11"


@dataclass
class Site:
    app: Flask
    campus_file: str
    restricted_page: str

    def status(self, url: str, peer: str, forwarded: str | None = None) -> int:
        client = self.app.test_client()
        client.environ_base["REMOTE_ADDR"] = peer
        headers = {"X-Forwarded-For": forwarded} if forwarded else {}
        return client.get(url, headers=headers).status_code


def _site(app: Flask, make_pdf) -> Site:
    accounts = make_accounts(app)
    campus = deposit(app, accounts, [make_pdf("Một.")], "Nội bộ", "campus")
    restricted = deposit(app, accounts, [make_pdf("Hai.")], "Hạn chế", "restricted")
    return Site(app, f"/works/{campus}/files/{file_ids(app, campus)[0]}",
                f"/works/{restricted}/files/{file_ids(app, restricted)[0]}/pages/1.png")


@pytest.fixture
def direct(tmp_path, monkeypatch, request, make_pdf) -> Site:
    """No proxies configured: the default."""
    monkeypatch.delenv("REPO_TRUSTED_PROXIES", raising=False)
    return _site(make_app(tmp_path / "direct", monkeypatch, request), make_pdf)


@pytest.fixture
def proxied(tmp_path, monkeypatch, request, make_pdf) -> Site:
    monkeypatch.setenv("REPO_TRUSTED_PROXIES", "192.0.2.0/28")
    return _site(make_app(tmp_path / "proxied", monkeypatch, request), make_pdf)


@pytest.mark.parametrize("forged", [CAMPUS, f"{CAMPUS}, {CAMPUS}", f"{CAMPUS}, {PROXY}"])
def test_without_trusted_proxies_a_forged_header_changes_nothing(direct, forged):
    assert direct.status(direct.campus_file, OFF_CAMPUS, forged) == 403
    assert direct.status(direct.restricted_page, OFF_CAMPUS, READING_ROOM) == 403
    assert direct.status(direct.campus_file, PROXY, CAMPUS) == 403
    assert direct.status(direct.campus_file, CAMPUS) == 200


def test_a_forged_header_from_an_untrusted_peer_changes_nothing(proxied):
    assert proxied.status(proxied.campus_file, OFF_CAMPUS, CAMPUS) == 403
    assert proxied.status(proxied.restricted_page, OFF_CAMPUS, READING_ROOM) == 403


def test_a_trusted_proxy_sets_the_campus_network(proxied):
    assert proxied.status(proxied.campus_file, PROXY, CAMPUS) == 200
    assert proxied.status(proxied.campus_file, PROXY, OFF_CAMPUS) == 403
    assert proxied.status(proxied.campus_file, PROXY, f"{CAMPUS}, {SECOND_PROXY}") == 200


def test_a_trusted_proxy_sets_the_reading_room_network(proxied):
    assert proxied.status(proxied.restricted_page, PROXY, READING_ROOM) == 200
    assert proxied.status(proxied.restricted_page, PROXY, CAMPUS) == 403


def test_a_client_cannot_prepend_a_campus_address_through_the_proxy(proxied):
    # The proxy appends the address it saw; only the hops it vouches for are believed.
    assert proxied.status(proxied.campus_file, PROXY, f"{CAMPUS}, {OFF_CAMPUS}") == 403
