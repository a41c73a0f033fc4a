"""Bad input to the API answered plainly, and the answers described (OpenAPI response schemas)."""

from __future__ import annotations

import pytest

from .test_api import DRAFT, bearer, error_of, new_token


@pytest.fixture
def token(runner, accounts) -> str:
    return new_token(runner)


def test_a_page_past_the_end_is_empty(client, seed):
    seed(3)
    last = client.get("/api/v1/works?page=1").get_json()
    assert len(last["hits"]) == 3
    past = client.get("/api/v1/works?page=2")
    assert past.status_code == 200
    body = past.get_json()
    assert body["page"] == 2 and body["hits"] == [] and body["total"] == 3
    assert client.get("/api/v1/works?page=99999999999999999999").get_json()["hits"] == []


@pytest.mark.parametrize(("field", "value", "allowed"), [
    ("degree_level", "phd", "'bachelor', 'master', 'doctoral'"),
    ("type", "novel", "'bachelor_thesis', 'master_thesis'"),
    ("language", "vietnamese", "vi, en, fr"),
    ("language", "zz", "vi, en, fr"),
])
def test_an_unknown_vocabulary_value_is_400_listing_the_allowed_ones(client, token, field, value,
                                                                      allowed):
    response = client.post("/api/v1/works", json={**DRAFT, field: value}, headers=bearer(token))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == field
    assert allowed in error["message"] and value in error["message"]


def test_a_depositor_reads_their_own_draft_with_their_token(client, runner, token):
    work = client.post("/api/v1/works", json=DRAFT, headers=bearer(token)).get_json()
    mine = client.get(f"/api/v1/works/{work['id']}", headers=bearer(token))
    assert mine.status_code == 200 and mine.get_json()["status"] == "draft"
    assert client.get(f"/api/v1/works/{work['id']}").status_code == 404
    other = new_token(runner, "other@test.vn")
    assert client.get(f"/api/v1/works/{work['id']}", headers=bearer(other)).status_code == 404
    wrong = client.get(f"/api/v1/works/{work['id']}", headers=bearer("nonsense"))
    assert wrong.status_code == 401 and error_of(wrong) == "token_invalid"


def test_english_title_abstract_and_keywords_go_through_the_api(client, token):
    english = {"title_en": "Deep learning for Vietnamese", "abstract_en": "We study it.",
               "keywords_en": ["deep learning", "Vietnamese"]}
    work = client.post("/api/v1/works", json={**DRAFT, **english}, headers=bearer(token))
    assert work.status_code == 201
    body = client.get(f"/api/v1/works/{work.get_json()['id']}", headers=bearer(token)).get_json()
    assert {k: body[k] for k in english} == english


def test_every_openapi_answer_has_a_schema(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            for status, response in op["responses"].items():
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.rsplit("/", 1)[1] in schemas, (path, method, status)
    assert schemas["WorkFields"]["properties"]["degree_level"]["enum"] == [
        "bachelor", "master", "doctoral", ""]
    assert {"title_en", "abstract_en", "keywords_en"} <= set(schemas["Work"]["properties"])


@pytest.mark.parametrize(("query", "field", "allowed"), [
    ("type=thesis", "type", "'bachelor_thesis', 'master_thesis'"),
    ("degree_level=phd", "degree_level", "'bachelor', 'master', 'doctoral'"),
    ("access=secret", "access", "'open', 'campus'"),
    ("sort=best", "sort", "'relevance', 'newest', 'title'"),
])
def test_an_unknown_search_filter_value_is_400_listing_the_allowed_ones(client, seed, query,
                                                                         field, allowed):
    seed(1)
    response = client.get(f"/api/v1/search?q=&{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == field and allowed in error["message"]
    assert query.partition("=")[2] in error["message"]


def test_known_search_filter_values_and_open_lists_still_answer(client, seed):
    seed(1)
    for query in ("type=master_thesis", "degree_level=master", "access=open", "sort=newest",
                  "faculty=nowhere", "year=1900", "language=xx"):
        assert client.get(f"/api/v1/search?q=&{query}").status_code == 200, query


def test_a_search_page_past_the_end_is_empty(client, seed):
    seed(3)
    body = client.get("/api/v1/search?q=&page=5").get_json()
    assert body["page"] == 5 and body["hits"] == [] and body["total"] == 3
