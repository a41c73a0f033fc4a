"""``REPO_BASE_URL`` is the only source of the site's address in anything generated.

An attacker sends a forged ``Host`` (and ``X-Forwarded-Host``/``-Proto``,
which no proxy we trust added) with every request, then reads every answer
that carries an absolute address: the sitemap and its pages, robots.txt,
OAI-PMH in its three formats, the API, citation exports, MARC, the work
page's citation tags, the API's ``Location`` and the mails the site writes
(a password-reset link, a copy request's decision). None may name the
forged host. (Production refuses the forged host outright:
tests/production/test_production_mode.py.)
"""

from __future__ import annotations

import re

import pytest
from access.world import OFF_CAMPUS
from flask.testing import FlaskClient
from sqlalchemy import select

from helpers import csrf_token, login
from repo_app.db import standalone_session
from repo_app.models import CopyRequest, Notification

SITE = "https://thuvien.example.edu.vn"
FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil2.example",
          "X-Forwarded-Proto": "http", "X-Forwarded-Port": "8080"}
# Every route whose answer holds an absolute address, with {work} for a published work.
ROUTES = [
    "/sitemap.xml", "/sitemap-1.xml", "/robots.txt", "/oai?verb=Identify",
    "/oai?verb=ListRecords&metadataPrefix=oai_dc",
    "/oai?verb=ListRecords&metadataPrefix=oai_etdms",
    "/oai?verb=ListRecords&metadataPrefix=marc21",
    "/api/v1/search?q=", "/api/v1/works", "/api/v1/works/{work}", "/api/v1/openapi.json",
    "/works/{work}", "/works/{work}/cite.bib", "/works/{work}/cite.ris", "/works/{work}/cite.json",
    "/works/{work}/export.marcxml", "/works/{work}/export.mrc",
    "/search/cite.bib?q=", "/search/cite.ris?q=", "/search/cite.json?q=",
]


@pytest.fixture
def site(app, accounts, publish):
    app.config["BASE_URL"] = SITE
    return publish("Luận văn mở về địa chỉ", "open")


def _absolute(text: str) -> set[str]:
    """The scheme and host of every absolute address in ``text``."""
    return {m.group(0) for m in re.finditer(r"https?://[^/\s\"'<>]+", text)}


@pytest.mark.parametrize("route", ROUTES)
def test_no_generated_address_comes_from_the_request(app, site, route):
    response = app.test_client().get(route.format(work=site), headers=FORGED)
    assert response.status_code == 200
    body = response.get_data().decode("utf-8", "replace")
    assert "evil" not in body and ":8080" not in body
    ours = {a for a in _absolute(body) if "example.edu.vn" in a or "repo.test" in a
            or "localhost" in a or "127.0.0.1" in a}
    assert ours <= {SITE}, ours
    assert SITE in body


def test_the_api_location_of_a_new_work_is_on_the_site(app, site, runner):
    from interop.test_api import DRAFT, bearer, new_token

    token = new_token(runner)
    response = app.test_client().post("/api/v1/works", json=DRAFT,
                                      headers={**bearer(token), **FORGED})
    assert response.status_code == 201
    assert response.headers["Location"].startswith(f"{SITE}/api/v1/works/")
    assert "evil" not in response.get_data(as_text=True)


class ForgedClient(FlaskClient):
    """A client that sends the forged headers with every request (its cookies kept for that host)."""

    def open(self, *args, **kwargs):
        kwargs["headers"] = {**FORGED, **(kwargs.get("headers") or {})}
        return super().open(*args, **kwargs)


def forged(app):
    app.test_client_class = ForgedClient
    try:
        return app.test_client()
    finally:
        app.test_client_class = None


def forged_client(app, email: str | None = None):
    client = forged(app)
    client.environ_base["REMOTE_ADDR"] = OFF_CAMPUS
    if email:
        login(client, email)
    return client


def _mails(app, email: str) -> list[Notification]:
    with app.app_context(), standalone_session(app) as db:
        return list(db.scalars(select(Notification).where(Notification.address == email)))


def test_a_reset_link_mailed_after_a_forged_request_points_at_the_site(app, site):
    client = forged(app)
    token = csrf_token(client, "/password/forgot")
    response = client.post("/password/forgot",
                           data={"email": "reader@test.vn", "csrf_token": token})
    assert response.status_code == 302
    [mail] = _mails(app, "reader@test.vn")
    assert f"{SITE}/password/reset/" in mail.body
    assert "evil" not in mail.body


def test_a_copy_decision_mailed_after_a_forged_request_points_at_the_site(app, accounts, publish):
    app.config["BASE_URL"] = SITE
    work_id = publish("Luận văn hạn chế về địa chỉ", "restricted")
    reader = forged_client(app, "reader@test.vn")
    url = f"/works/{work_id}/request-copy"
    asked = reader.post(url, data={"message": "Xin bản sao.",
                                   "csrf_token": csrf_token(reader, url)})
    assert asked.status_code == 302
    with app.app_context(), standalone_session(app) as db:
        request_id = db.scalar(select(CopyRequest.id))
    librarian = forged_client(app, "librarian@test.vn")
    token = csrf_token(librarian, "/requests")
    response = librarian.post(f"/requests/{request_id}/grant",
                              data={"days": "30", "csrf_token": token})
    assert response.status_code == 302
    [decision] = _mails(app, "reader@test.vn")
    assert f"{SITE}/works/{work_id}" in decision.body
    assert "evil" not in decision.body
    for mail in _mails(app, "librarian@test.vn"):
        assert "evil" not in mail.body


def test_the_forged_client_really_sends_the_forged_host(app):
    from flask import request

    seen = []
    app.before_request(lambda: seen.append(request.host))
    forged(app).get("/healthz")
    assert seen == ["evil.example"]
