"""Faculties in Vietnamese alphabetical order: the coverage report's breakdown, its chart and
the missing list's filter show "Khoa Điện" after "Khoa Dược" and before "Khoa Y", not after
"Khoa Y" as code points would put it."""

from __future__ import annotations

import re

import pytest

from helpers import login

FACULTIES = ["Khoa Y", "Khoa Điện", "Khoa Dược", "Khoa Âm nhạc", "Khoa Anh văn"]
ALPHABETICAL = ["Khoa Anh văn", "Khoa Âm nhạc", "Khoa Dược", "Khoa Điện", "Khoa Y"]


@pytest.fixture
def register(load_holdings, reg) -> None:
    load_holdings([reg.holding(n, faculty) for n, faculty in enumerate(FACULTIES, start=1)])


def _in_page_order(body: str) -> list[str]:
    found = [(body.index(name), name) for name in FACULTIES if name in body]
    return [name for _at, name in sorted(found)]


def test_the_faculty_breakdown_is_alphabetical(client, accounts, register):
    login(client, "librarian@test.vn")
    rows = client.get("/reports/coverage.json").get_json()["by_faculty"]
    assert [row["faculty"] for row in rows] == ALPHABETICAL


def test_the_report_page_lists_faculties_alphabetically(client, accounts, register):
    login(client, "librarian@test.vn")
    body = client.get("/reports/coverage").get_data(as_text=True)
    section = body[body.index('id="faculty-h"'):]
    assert _in_page_order(section) == ALPHABETICAL


def test_the_faculty_filter_is_alphabetical(client, accounts, register):
    login(client, "librarian@test.vn")
    body = client.get("/reports/coverage/missing").get_data(as_text=True)
    select = re.search(r'<select id="f-faculty".*?</select>', body, re.S).group(0)
    assert re.findall(r'<option value="([^"]+)"', select) == ALPHABETICAL
