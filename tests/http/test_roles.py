"""Every role on every foundation view: the exact status, and nothing forbidden in the body."""

from __future__ import annotations

import pytest

from helpers import login

ROLE_EMAILS = {
    "anonymous": None,
    "reader": "reader@test.vn",
    "depositor": "depositor@test.vn",
    "other_depositor": "other@test.vn",
    "librarian": "librarian@test.vn",
    "admin": "admin@test.vn",
}

# route → role → status (302 = sent to the login page)
PAGES = {
    "/": dict.fromkeys(ROLE_EMAILS, 200),
    "/search?q=luan+van": dict.fromkeys(ROLE_EMAILS, 200),
    "/login": dict.fromkeys(ROLE_EMAILS, 200),
    "/healthz": dict.fromkeys(ROLE_EMAILS, 200),
    "/deposit": {"anonymous": 302, "reader": 403, "depositor": 200, "other_depositor": 200,
                 "librarian": 200, "admin": 200},
    "/my/works": {"anonymous": 302, "reader": 200, "depositor": 200, "other_depositor": 200,
                  "librarian": 200, "admin": 200},
    "/review": {"anonymous": 302, "reader": 403, "depositor": 403, "other_depositor": 403,
                "librarian": 200, "admin": 200},
}


@pytest.mark.parametrize("role", list(ROLE_EMAILS))
@pytest.mark.parametrize("path", list(PAGES))
def test_page_status(client, accounts, role, path):
    if ROLE_EMAILS[role]:
        login(client, ROLE_EMAILS[role])
    assert client.get(path).status_code == PAGES[path][role]


SECRET = "bimatquocgia"

# level → role → (work page, file download)
WORK_ROUTES = {
    "open": dict.fromkeys(ROLE_EMAILS, (200, 200)),
    "restricted": {"anonymous": (200, 403), "reader": (200, 403), "depositor": (200, 200),
                   "other_depositor": (200, 403), "librarian": (200, 200), "admin": (200, 200)},
    "confidential": {"anonymous": (404, 404), "reader": (404, 404), "depositor": (200, 200),
                     "other_depositor": (404, 404), "librarian": (200, 200), "admin": (200, 200)},
}


@pytest.mark.parametrize("role", list(ROLE_EMAILS))
@pytest.mark.parametrize("level", list(WORK_ROUTES))
def test_work_and_file_routes(client, app, accounts, publish, role, level):
    work_id = publish(f"Luận văn {level} {SECRET}title", level, text=f"Văn bản {SECRET}text")
    with app.app_context():
        from repo_app.db import standalone_session
        from repo_app.models import Work
        with standalone_session(app) as db:
            file_id = db.get(Work, work_id).files[0].id
    if ROLE_EMAILS[role]:
        login(client, ROLE_EMAILS[role])
    page_status, file_status = WORK_ROUTES[level][role]
    page = client.get(f"/works/{work_id}")
    download = client.get(f"/works/{work_id}/files/{file_id}")
    assert (page.status_code, download.status_code) == (page_status, file_status)
    if page_status == 404:
        assert f"{SECRET}title" not in page.get_data(as_text=True)
    if file_status != 200:
        assert not download.data.startswith(b"%PDF")
    api = client.get(f"/api/v1/works/{work_id}")
    assert api.status_code == page_status
    if page_status == 200:
        record = api.get_json()
        assert ("download_url" in record["files"][0]) == (file_status == 200)
    search = client.get(f"/api/v1/search?q={SECRET}text").get_json()
    readable = file_status == 200 or (level == "restricted" and role != "anonymous")
    assert (search["total"] == 1) == readable
    if not readable:
        assert f"{SECRET}text" not in str(search)


def test_file_id_of_another_work_is_404(client, accounts, publish, app):
    first = publish("Một", "open")
    second = publish("Hai", "confidential")
    with app.app_context():
        from repo_app.db import standalone_session
        from repo_app.models import Work
        with standalone_session(app) as db:
            secret_file = db.get(Work, second).files[0].id
    assert client.get(f"/works/{first}/files/{secret_file}").status_code == 404


def test_guessed_confidential_id_is_404_like_a_missing_one(client, accounts, publish):
    work_id = publish("Tài liệu mật", "confidential")
    assert client.get(f"/works/{work_id}").status_code == 404
    assert client.get(f"/works/{work_id + 1000}").status_code == 404
    assert client.get(f"/api/v1/works/{work_id}").get_json()["error"]["code"] == "not_found"
