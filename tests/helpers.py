"""Helpers for tests that drive the app over HTTP like a person with a browser would."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

PASSWORD = "correct horse battery"


def csrf_token(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or \
        re.search(r'id="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
