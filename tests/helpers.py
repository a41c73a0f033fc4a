"""Helpers for tests that drive the app over HTTP like a person with a browser would."""

from __future__ import annotations

import csv
import re
from pathlib import Path

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


def write_manifest(folder: Path, columns: list[str], rows: list[dict],
                   encoding: str = "utf-8") -> Path:
    """An import manifest of ``rows``, over defaults for the columns a row leaves out."""
    path = folder / "manifest.csv"
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({"year": "2015", "type": "master_thesis", "language": "vi",
                             "access": "open", "creators": "Trần Văn B", **row})
    return path
