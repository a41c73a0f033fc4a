"""Browse lists and filters in Vietnamese alphabetical order, every author of every work listed.

Python and SQLite compare code points, which put "Đ" after "Z" and "Bài
báo" after "Luận văn"; a reader looks names up as in a dictionary.
"""

from __future__ import annotations

import html
import re

import pytest

from repo_app.db import standalone_session
from repo_app.services import works


@pytest.fixture
def shelves(app, publish) -> dict[str, int]:
    """Three faculties, three types and co-authored works, each value once but one faculty."""
    with app.app_context(), standalone_session(app) as db:
        faculty = {code: works.collection_by_code(db, code, name).id for code, name in
                   (("y", "Khoa Y"), ("dp", "Khoa Đông phương học"), ("d", "Khoa Dược"))}
        db.commit()
    return {
        "shrimp": publish("Nuôi tôm ở Cà Mau", "open", type="research_report",
                          collection_id=faculty["y"], year=2020,
                          creators=["Zuê Văn An", "Đặng Thị Bình"]),
        "poems": publish("Thơ Đường", "open", type="article", collection_id=faculty["dp"],
                         year=2021, creators=["Dương Văn Cường"]),
        "herbs": publish("Dược liệu", "open", type="bachelor_thesis", collection_id=faculty["d"],
                         year=2019, creators=["Ánh Nguyễn", "Zuê Văn An"]),
        "more_herbs": publish("Dược liệu miền núi", "open", type="bachelor_thesis",
                              collection_id=faculty["y"], year=2019, creators=["Bùi Văn Dũng"]),
    }


def browse_list(client, heading: str, lang: str = "vi") -> list[str]:
    page = html.unescape(client.get(f"/?lang={lang}").get_data(as_text=True))
    section = re.search(rf"<h3>{re.escape(heading)}</h3>\s*<ul>(.*?)</ul>", page, re.S).group(1)
    return re.findall(r'rel="nofollow">([^<]+)</a>', section)


def filter_list(client, facet: str, lang: str = "vi") -> list[str]:
    page = html.unescape(client.get(f"/search?lang={lang}").get_data(as_text=True))
    group = re.search(rf"<summary>{re.escape(facet)}</summary>\s*<ul>(.*?)</ul>", page, re.S)
    return [name.strip() for name in re.findall(r'rel="nofollow"[^>]*>\s*([^<]+)</a>', group.group(1))]


def test_faculties_are_browsed_with_d_with_stroke_after_d_not_after_z(client, shelves):
    assert browse_list(client, "Theo khoa") == ["Khoa Dược", "Khoa Đông phương học", "Khoa Y"]


def test_authors_are_browsed_alphabetically_every_creator_of_every_work(client, shelves):
    assert browse_list(client, "Theo tác giả") == [
        "Ánh Nguyễn", "Bùi Văn Dũng", "Dương Văn Cường", "Đặng Thị Bình", "Zuê Văn An"]


@pytest.mark.parametrize(("lang", "heading", "types"), [
    ("vi", "Theo loại tài liệu", ["Bài báo", "Báo cáo nghiên cứu", "Khóa luận tốt nghiệp"]),
    ("en", "By type", ["Article", "Bachelor's thesis", "Research report"]),
])
def test_types_are_browsed_by_the_name_shown_in_the_pages_language(client, shelves, lang,
                                                                  heading, types):
    assert browse_list(client, heading, lang) == types


def test_years_stay_in_year_order(client, shelves):
    assert browse_list(client, "Theo năm") == ["2021", "2020", "2019"]


def test_filters_list_the_most_frequent_first_then_alphabetically(client, shelves):
    assert filter_list(client, "Khoa") == ["Khoa Y", "Khoa Dược", "Khoa Đông phương học"]
    assert filter_list(client, "Tác giả") == [
        "Zuê Văn An", "Ánh Nguyễn", "Bùi Văn Dũng", "Dương Văn Cường", "Đặng Thị Bình"]
    assert filter_list(client, "Type", "en") == ["Bachelor's thesis", "Article", "Research report"]


def test_a_second_authors_link_finds_their_work(client, shelves):
    body = client.get("/api/v1/search", query_string={"author": "Đặng Thị Bình"}).get_json()
    assert [hit["title"] for hit in body["hits"]] == ["Nuôi tôm ở Cà Mau"]
    body = client.get("/api/v1/search", query_string={"author": "Zuê Văn An"}).get_json()
    assert {hit["title"] for hit in body["hits"]} == {"Nuôi tôm ở Cà Mau", "Dược liệu"}


def test_the_deposit_forms_faculties_are_in_alphabetical_order(app, shelves):
    with app.app_context(), standalone_session(app) as db:
        assert [c.name for c in works.collections(db)] == [
            "Khoa Dược", "Khoa Đông phương học", "Khoa Y"]
