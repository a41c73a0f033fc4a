"""Searching as readers do: by type, degree and faculty in either language, without accents,
with wrong tone marks; the results page offers relevance only for a query."""

from __future__ import annotations

import re

import pytest

from repo_app.db import standalone_session
from repo_app.services import works


@pytest.fixture
def economics_thesis(app, publish) -> int:
    """A master's thesis of the Faculty of Economics, and an unrelated bachelor's thesis."""
    with app.app_context(), standalone_session(app) as db:
        faculty = works.collection_by_code(db, "kt", "Khoa Kinh tế")
        faculty.name_en = "Faculty of Economics"
        other = works.collection_by_code(db, "nn", "Khoa Nông nghiệp")
        db.commit()
        faculty_id, other_id = faculty.id, other.id
    publish("Nuôi cá tra xuất khẩu", "open", type="bachelor_thesis", degree_level="bachelor",
            collection_id=other_id, year=2018)
    return publish("Quản trị chuỗi cung ứng nông sản", "open", type="master_thesis",
                   degree_level="master", degree_name="Thạc sĩ Quản trị kinh doanh",
                   discipline="Quản trị kinh doanh", collection_id=faculty_id, year=2021)


def found(client, q: str) -> list[int]:
    return [hit["id"] for hit in client.get("/api/v1/search", query_string={"q": q}).get_json()["hits"]]


@pytest.mark.parametrize("q", ["luận văn thạc sĩ", "luan van kinh te", "Khoa Kinh tế",
                               "quan tri kinh te", "master thesis", "kinh tế", "kinh te",
                               "khoa kinh te", "luan van thac si",
                               "faculty of economics", "thac si quan tri kinh doanh"])
def test_a_masters_thesis_of_economics_is_found_by_what_readers_type(client, economics_thesis, q):
    assert found(client, q) == [economics_thesis]


def test_the_english_page_finds_the_vietnamese_names_too(client, economics_thesis):
    client.set_cookie("lang", "en")
    assert found(client, "luận văn thạc sĩ") == [economics_thesis]


def test_wrong_tone_marks_get_a_suggestion_that_finds_the_work(client, economics_thesis):
    page = client.get("/search", query_string={"q": "cá trà"}).get_data(as_text=True)
    assert re.search(r'href="/search\?q=c%C3%A1\+tra">cá tra</a>', page)


def test_relevance_is_not_offered_without_a_query(client, economics_thesis):
    browse = client.get("/search").get_data(as_text=True)
    assert 'value="relevance"' not in browse
    assert re.search(r'value="newest"\s+selected', browse)
    query = client.get("/search?q=kinh+te").get_data(as_text=True)
    assert re.search(r'value="relevance"\s+selected', query)


def test_the_year_facet_is_in_year_order(client, economics_thesis):
    years = client.get("/api/v1/search").get_json()["facets"]["year"]
    assert [y["value"] for y in years] == ["2021", "2018"]
