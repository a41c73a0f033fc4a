"""Issue 14, item 13, verified from outside: odd numbers and deep queries never reach a 500.

The interop tests cover ids in paths; these cover what arrives in query
strings — page numbers and ids of any size, in any Unicode digits
(``"²".isdigit()`` is true but ``int("²")`` fails) — and queries nested far
deeper than the parser reads, on every route that takes them.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from access.world import OFF_CAMPUS, client_from, file_ids
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
NUMBERS = st.one_of(
    st.integers(min_value=-2**70, max_value=2**70).map(str),
    st.sampled_from(["²", "٣", "১২", "①", "0x10", "1e9", "-0", "00", " 7", "7\x00", "", "1.5",
                     str(2**63), str(2**64)]),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=6),
)
NUMBER_ROUTES = ["/search?q=luan&page={n}", "/api/v1/search?q=luan&page={n}",
                 "/api/v1/works?page={n}", "/audit?work={n}", "/audit?page={n}",
                 "/reports/coverage/missing?year={n}", "/review?page={n}",
                 "/works/{work}/read/{file}?page={n}", "/oai?verb=GetRecord&identifier={n}"
                 "&metadataPrefix=oai_dc", "/sitemap.xml?page={n}"]


@pytest.fixture
def world(app, accounts, publish):
    work_id = publish("Luận văn mở", "open")
    return app, work_id, file_ids(app, work_id)[0]


@pytest.mark.parametrize("route", NUMBER_ROUTES)
def test_a_number_of_any_shape_in_a_query_is_never_a_server_error(world, route):
    app, work_id, file_id = world
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")

    @SETTINGS
    @given(NUMBERS)
    def check(number: str) -> None:
        url = route.format(n=quote(number, safe=""), work=work_id, file=file_id)
        response = librarian.get(url)
        assert response.status_code < 500, (url, response.status_code)
        assert b"Traceback" not in response.data
    check()


@pytest.mark.parametrize("route", ["/search?q={q}", "/api/v1/search?q={q}",
                                   "/search/cite.bib?q={q}", "/search/cite.ris?q={q}"])
@pytest.mark.parametrize("depth", [9, 330, 1000])
def test_a_query_nested_deeper_than_the_parser_reads_is_answered(world, route, depth):
    app, _, _ = world
    query = "(" * depth + "luan" + ")" * depth
    response = client_from(app, OFF_CAMPUS).get(route.format(q=quote(query)))
    assert response.status_code in (200, 400), response.status_code


def test_a_deep_query_in_bulk_access_is_answered(world):
    app, _, _ = world
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    response = librarian.get("/access/bulk?q=" + quote("(" * 400 + "a" + ")" * 400))
    assert response.status_code in (200, 400)
