"""Helpers for tests that drive the app over HTTP like a person with a browser would."""

from __future__ import annotations

import csv
import io
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


def deposit_form(client, **overrides) -> dict:
    data = {
        "title": "Quản trị kinh doanh trong doanh nghiệp nhỏ",
        "creators": "Nguyễn Văn Bình\nTrần Thị Cúc",
        "advisors": "TS. Lê Văn Đức",
        "type": "master_thesis",
        "year": "2022",
        "language": "vi",
        "collection_id": "0",
        "degree_name": "Thạc sĩ Quản trị kinh doanh",
        "degree_level": "master",
        "discipline": "Quản trị kinh doanh",
        "grantor": "",
        "abstract": "Luận văn nghiên cứu quản trị doanh nghiệp nhỏ và vừa.",
        "keywords": "quản trị; doanh nghiệp",
        "accept_licence": "y",
        "csrf_token": csrf_token(client, "/deposit"),
    }
    data.update(overrides)
    return data


def submit_deposit(client, pdf_bytes: bytes, name: str = "luan-van.pdf", **overrides):
    data = deposit_form(client, **overrides)
    data["files"] = [(io.BytesIO(pdf_bytes), name)]
    data["submit_work"] = "1"
    return client.post("/deposit", data=data, content_type="multipart/form-data")


def work_id_from(response) -> int:
    return int(re.search(r"/works/(\d+)", response.headers["Location"]).group(1))
