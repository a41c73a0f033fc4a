"""Odd queries through every route that parses one: never a 500, never a traceback."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpers import login

ROUTES = ("/search", "/api/v1/search", "/search/cite.bib", "/search/cite.json", "/access/bulk")
QUERIES = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(["(", ")", '"', "-", " OR ", "year:", "title:", "đất", "học", " "]),
             max_size=60).map("".join),
)


@pytest.fixture
def librarian(client, accounts, publish):
    """A librarian's client (so /access/bulk parses too) on a repository with a work in it."""
    publish("Quản trị đất đai", "open")
    login(client, "librarian@test.vn")
    return client


@pytest.mark.parametrize("route", ROUTES)
@example(q="(" * 330 + "đất" + ")" * 330)
@example(q="-(" * 400)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=QUERIES)
def test_no_query_reaches_a_server_error(librarian, route: str, q: str) -> None:
    response = librarian.get(route, query_string={"q": q})
    assert response.status_code < 500, (route, q)
    assert "Traceback" not in response.get_data(as_text=True)
