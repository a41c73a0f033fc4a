"""Ids an attacker types: any integer, on every route that takes one, is a 404 (or the
protocol's own error), never a 500 — checked by hypothesis over the routes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import csrf_token, login

from .conftest import NS

# Around every boundary a database integer has: 2^31 (PostgreSQL), 2^63 (SQLite), 2^64.
IDS = st.one_of(
    st.integers(min_value=0, max_value=2**70),
    st.sampled_from([2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64, 2**64 + 1, 10**30]),
)
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
GET_ROUTES = ["/works/{id}", "/works/{id}/cite.bib", "/works/{id}/cite.ris",
              "/works/{id}/export.marcxml", "/works/{id}/export.mrc", "/api/v1/works/{id}",
              "/works/{id}/read", "/works/{id}/files/{id}", "/review/{id}",
              "/works/{id}/edit"]
POST_ROUTES = ["/api/v1/works/{id}/files", "/api/v1/works/{id}/submit"]


@pytest.fixture
def librarian(app, accounts):
    client = app.test_client()
    login(client, "librarian@test.vn")
    return client


@pytest.mark.parametrize("route", GET_ROUTES)
def test_a_path_id_of_any_size_is_not_found(librarian, seed, route):
    known = seed(1)[0]

    @SETTINGS
    @given(IDS)
    def check(work_id: int) -> None:
        if work_id == known:
            return
        response = librarian.get(route.format(id=work_id))
        assert response.status_code == 404, (route, work_id)
        assert b"Traceback" not in response.data
        if route.startswith("/api/"):
            assert response.get_json()["error"]["code"] == "not_found"
    check()


@pytest.mark.parametrize("route", POST_ROUTES)
def test_an_api_post_to_any_id_is_not_found(client, route):
    @SETTINGS
    @given(st.integers(min_value=2**31, max_value=2**70))
    def check(work_id: int) -> None:
        response = client.post(route.format(id=work_id),
                               headers={"Authorization": "Bearer nothing"})
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
    check()


def test_an_audit_filter_of_any_size_is_a_clear_400(librarian):
    @SETTINGS
    @given(st.integers(min_value=2**31, max_value=2**70))
    def check(work_id: int) -> None:
        response = librarian.get(f"/audit?work={work_id}")
        assert response.status_code == 400
        assert "Traceback" not in response.get_data(as_text=True)
    check()
    assert librarian.get("/audit?work=2&page=99999999999999999999999").status_code == 200


def test_an_oai_identifier_of_any_size_does_not_exist(client, seed):
    seed(1)

    @SETTINGS
    @given(IDS.filter(lambda i: i > 10))
    def check(work_id: int) -> None:
        response = client.get("/oai", query_string={
            "verb": "GetRecord", "metadataPrefix": "oai_dc",
            "identifier": f"oai:repo.test:{work_id}"})
        assert response.status_code == 200
        assert b'code="idDoesNotExist"' in response.data
    check()


def test_list_sets_names_no_faculty_whose_works_are_all_confidential(client, seed, oai_schema):
    from lxml import etree

    seed(1)
    seed(2, faculty="ns", faculty_name="Khoa Nghiên cứu Mật", access_level="confidential",
         was_public=False)
    body = client.get("/oai?verb=ListSets").data
    doc = etree.fromstring(body)
    assert oai_schema.validate(doc), oai_schema.error_log.last_error
    specs = [s.text for s in doc.findall("o:ListSets/o:set/o:setSpec", NS)]
    assert "faculty.cntt" in specs
    assert "faculty.ns" not in specs
    assert "Nghiên cứu Mật".encode() not in body
    assert "type.doctoral_dissertation" not in specs


def _set_specs(client) -> list[str]:
    from lxml import etree

    doc = etree.fromstring(client.get("/oai?verb=ListSets").data)
    return [s.text for s in doc.findall("o:ListSets/o:set/o:setSpec", NS)]


def test_list_sets_names_no_faculty_whose_only_work_was_withdrawn(client, seed, oai_schema):
    seed(1)
    gone = seed(1, faculty="rut", faculty_name="Khoa Đã Rút", status="withdrawn",
                was_public=True)[0]
    # The withdrawn work stays a deleted record (a harvester must learn to drop it) ...
    body = client.get(f"/oai?verb=GetRecord&identifier=oai:repo.test:{gone}"
                      "&metadataPrefix=oai_dc").data
    assert b'status="deleted"' in body
    # ... but its faculty holds no public record, so no set names it: not ListSets, not the
    # deleted header (which keeps the sets still listed, here its type).
    assert "faculty.rut" not in _set_specs(client)
    assert "Khoa Đã Rút".encode() not in client.get("/oai?verb=ListSets").data
    listing = client.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").data
    assert b"faculty.rut" not in body and b"faculty.rut" not in listing
    assert b"<setSpec>type.master_thesis</setSpec>" in body
    # A harvester of the faculty's set still learns of the deletion.
    in_set = client.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&set=faculty.rut").data
    assert f"oai:repo.test:{gone}".encode() in in_set and b'status="deleted"' in in_set


def test_list_sets_follows_a_policy_that_hides_embargoed_records(app, client, seed, monkeypatch):
    from datetime import date, timedelta

    from access.world import make_app

    seed(1)
    seed(1, faculty="cam", faculty_name="Khoa Cấm Vận", access_level="embargoed",
         embargo_until=date.today() + timedelta(days=30), was_public=True)
    assert "faculty.cam" in _set_specs(client)  # embargoed metadata is public by default
    monkeypatch.setenv("REPO_EMBARGO_METADATA_PUBLIC", "0")
    hidden = make_app(app.config["DATA_DIR"], monkeypatch).test_client()
    assert "faculty.cam" not in _set_specs(hidden)
    assert "Khoa Cấm Vận".encode() not in hidden.get("/oai?verb=ListSets").data
    assert "faculty.cntt" in _set_specs(hidden)


def test_list_sets_of_an_empty_repository_is_no_set_hierarchy(client, oai_app, oai_schema):
    from lxml import etree

    doc = etree.fromstring(client.get("/oai?verb=ListSets").data)
    assert oai_schema.validate(doc), oai_schema.error_log.last_error
    assert doc.find("o:error", NS).get("code") == "noSetHierarchy"


def test_every_route_with_an_id_in_its_path_answers_any_id_without_a_server_error(app, accounts):
    """Every rule of the app with a variable in its path, found from the URL map (so a new
    route is covered the day it is added), asked by an administrator with ids of any size in
    every variable, by each of its methods: never a 500."""
    from werkzeug.routing import IntegerConverter

    admin = app.test_client()
    login(admin, "admin@test.vn")
    rules = [r for r in app.url_map.iter_rules()
             if r.arguments and r.endpoint != "static"]
    assert len(rules) > 30
    token = csrf_token(admin, "/review")  # so a form's id is reached, not only its CSRF check
    seen: set[int] = set()

    @settings(max_examples=15, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(IDS, st.sampled_from(["x", "0", "-1", "²", "01", "1e3"]))
    def check(number: int, other: str) -> None:
        for rule in rules:
            values = {}
            for name in rule.arguments:
                converter = rule._converters.get(name)
                values[name] = str(number) if isinstance(converter, IntegerConverter) else other
            path = _build(rule, values)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = admin.open(path, method=method, data={"csrf_token": token})
                seen.add(response.status_code)
                assert response.status_code < 500, (method, path, response.status_code)
                assert b"Traceback" not in response.data
    check()
    assert 404 in seen


def _build(rule, values: dict[str, str]) -> str:
    """The rule's path with ``values`` put in its variables (as text, whatever the converter)."""
    import re

    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: values[m.group(1)], rule.rule)
