"""/api/v1 additions: the list of works, deposit with a bearer token, the OpenAPI document."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import update

from helpers import login
from repo_app.db import standalone_session
from repo_app.models import ApiToken
from repo_app.models.types import utcnow

DRAFT = {"title": "Ứng dụng học sâu cho tiếng Việt", "type": "master_thesis", "year": 2024,
         "creators": ["Phạm Minh Đức"], "keywords": ["học sâu"], "language": "vi",
         "accept_licence": True}


def new_token(runner, email: str = "depositor@test.vn", days: str = "30") -> str:
    result = runner.invoke(args=["tokens", "create", email, "--days", days])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()[0]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def error_of(response) -> str:
    return response.get_json()["error"]["code"]


@pytest.fixture
def token(runner, accounts) -> str:
    return new_token(runner)


def test_a_depositor_creates_uploads_and_submits_with_a_token(client, token, make_pdf):
    created = client.post("/api/v1/works", json=DRAFT, headers=bearer(token))
    assert created.status_code == 201
    work = created.get_json()
    assert work["status"] == "draft" and work["title"] == DRAFT["title"]
    assert work["creators"] == ["Phạm Minh Đức"]
    assert created.headers["Location"].endswith(f"/api/v1/works/{work['id']}")
    pdf = make_pdf("Nội dung chương một.")
    with pdf.open("rb") as stream:
        uploaded = client.post(f"/api/v1/works/{work['id']}/files", headers=bearer(token),
                               data={"file": (stream, "luan-van.pdf")})
    assert uploaded.status_code == 201
    assert [f["name"] for f in uploaded.get_json()["files"]] == ["luan-van.pdf"]
    submitted = client.post(f"/api/v1/works/{work['id']}/submit", headers=bearer(token))
    assert submitted.status_code == 200
    assert submitted.get_json()["status"] == "submitted"


@pytest.mark.parametrize(("headers", "code"), [
    ({}, "token_missing"),
    ({"Authorization": "Basic dXNlcjpwYXNz"}, "token_missing"),
    ({"Authorization": "Bearer "}, "token_missing"),
    ({"Authorization": "Bearer vnir_not-a-real-token"}, "token_invalid"),
])
def test_a_missing_or_invalid_token_is_401(client, accounts, headers, code):
    response = client.post("/api/v1/works", json=DRAFT, headers=headers)
    assert response.status_code == 401
    assert error_of(response) == code


def test_an_expired_token_is_401_with_its_own_code(app: Flask, client, token):
    with standalone_session(app) as db:
        db.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.commit()
    response = client.post("/api/v1/works", json=DRAFT, headers=bearer(token))
    assert response.status_code == 401
    assert error_of(response) == "token_expired"


def test_a_logged_in_session_without_a_token_cannot_deposit(client, accounts):
    login(client, "depositor@test.vn")
    response = client.post("/api/v1/works", json=DRAFT)
    assert response.status_code == 401
    assert error_of(response) == "token_missing"


def test_a_reader_token_may_not_deposit(client, runner, accounts):
    response = client.post("/api/v1/works", json=DRAFT,
                           headers=bearer(new_token(runner, "reader@test.vn")))
    assert response.status_code == 403
    assert error_of(response) == "forbidden"


@pytest.mark.parametrize(("body", "code"), [
    ({**DRAFT, "creators": []}, "creators_required"),
    ({**DRAFT, "title": " "}, "title_required"),
    ({**DRAFT, "type": "novel"}, "bad_type"),
    ({**DRAFT, "year": "2024"}, "bad_field"),
    ({**DRAFT, "collection_id": 1}, "unknown_field"),
    ({**DRAFT, "access_level": "open"}, "unknown_field"),
    (["not", "an", "object"], "bad_json"),
])
def test_invalid_deposits_are_400_with_the_field(client, token, body, code):
    response = client.post("/api/v1/works", json=body, headers=bearer(token))
    assert response.status_code == 400
    assert error_of(response) == code


def test_submitting_without_a_file_is_refused(client, token):
    work_id = client.post("/api/v1/works", json=DRAFT, headers=bearer(token)).get_json()["id"]
    response = client.post(f"/api/v1/works/{work_id}/submit", headers=bearer(token))
    assert response.status_code == 400
    assert error_of(response) == "file_required"


def test_uploading_a_non_pdf_is_refused(client, token, tmp_path):
    work_id = client.post("/api/v1/works", json=DRAFT, headers=bearer(token)).get_json()["id"]
    fake = tmp_path / "virus.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf")
    with fake.open("rb") as stream:
        response = client.post(f"/api/v1/works/{work_id}/files", headers=bearer(token),
                               data={"file": (stream, "virus.pdf")})
    assert response.status_code == 400
    assert error_of(response) == "not_pdf"


def test_another_depositors_draft_is_not_found(client, runner, token):
    work_id = client.post("/api/v1/works", json=DRAFT, headers=bearer(token)).get_json()["id"]
    other = new_token(runner, "other@test.vn")
    response = client.post(f"/api/v1/works/{work_id}/submit", headers=bearer(other))
    assert response.status_code == 404
    assert DRAFT["title"] not in response.get_data(as_text=True)


def test_tokens_are_for_existing_accounts_only(runner, accounts):
    result = runner.invoke(args=["tokens", "create", "nobody@test.vn"])
    assert result.exit_code != 0
    assert "nobody@test.vn" in result.output


def test_the_list_shows_visible_works_newest_first(client, publish):
    first = publish("Luận văn thứ nhất", "open")
    restricted = publish("Luận văn hạn chế", "restricted")
    secret = publish("Hồ sơ mật", "confidential")
    response = client.get("/api/v1/works")
    assert response.status_code == 200
    body = response.get_json()
    ids = [hit["id"] for hit in body["hits"]]
    assert set(ids) == {first, restricted}
    assert body["total"] == 2 and body["page"] == 1
    assert secret not in ids
    assert "Hồ sơ mật" not in response.get_data(as_text=True)
    assert client.get(f"/api/v1/works/{secret}").status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "x"])
def test_a_bad_page_is_400(client, page):
    response = client.get(f"/api/v1/works?page={page}")
    assert response.status_code == 400
    assert error_of(response) == "bad_page"


def test_the_openapi_document_describes_the_api(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.")
    assert {"/search", "/works", "/works/{id}", "/works/{id}/files",
            "/works/{id}/submit"} <= set(doc["paths"])
    assert doc["paths"]["/works"]["post"]["security"] == [{"bearerAuth": []}]
    assert "401" in doc["paths"]["/works"]["post"]["responses"]
