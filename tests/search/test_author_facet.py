"""The author facet names every creator of every work, in Vietnamese alphabetical order."""

from __future__ import annotations

import pytest

from search import Scope, SearchIndex, SearchRequest, WorkDocument
from search.collation import sort_key

CO_AUTHORED = (
    WorkDocument(id="a", title="Nuôi tôm ở Cà Mau", url="/works/a",
                 creators=("Zuê Văn An", "Đặng Thị Bình", "Dương Văn Cường")),
    WorkDocument(id="b", title="Nuôi cá ở An Giang", url="/works/b",
                 creators=("Đặng Thị Bình", "Ánh Nguyễn")),
    WorkDocument(id="c", title="Lúa gạo", url="/works/c", creators=("Anh Trần",)),
)


@pytest.fixture
def co_authored(index: SearchIndex) -> SearchIndex:
    index.write(CO_AUTHORED)
    return index


def authors(index: SearchIndex, scope: Scope, **fields: object) -> list[tuple[str, int]]:
    results = index.search(SearchRequest(**fields), scope)
    return [(v.value, v.count) for v in results.facets["author"]]


def test_every_creator_is_an_author_value_ordered_by_count_then_alphabet(co_authored, anyone):
    assert authors(co_authored, anyone) == [
        ("Đặng Thị Bình", 2),
        # Letters decide before tones: "anh n…" comes before "anh t…".
        ("Ánh Nguyễn", 1), ("Anh Trần", 1), ("Dương Văn Cường", 1), ("Zuê Văn An", 1),
    ]


def test_filtering_by_a_second_author_finds_their_works(co_authored, anyone):
    results = co_authored.search(SearchRequest(filters={"author": ["Dương Văn Cường"]}), anyone)
    assert [hit.id for hit in results.hits] == ["a"]
    shared = co_authored.search(SearchRequest(filters={"author": ["Đặng Thị Bình"]}), anyone)
    assert sorted(hit.id for hit in shared.hits) == ["a", "b"]


def test_author_counts_follow_the_query(co_authored, anyone):
    assert authors(co_authored, anyone, q="An Giang") == [("Ánh Nguyễn", 1), ("Đặng Thị Bình", 1)]


def test_a_name_is_counted_once_per_work_and_without_stray_spaces(index, anyone):
    index.write([WorkDocument(id="x", title="Một", url="/works/x",
                              creators=("  Lê  Văn Tám ", "Lê Văn Tám", ""))])
    assert authors(index, anyone) == [("Lê Văn Tám", 1)]


def test_authors_are_counted_across_segments(index, anyone):
    for work in CO_AUTHORED:  # one write each: one segment each, until they merge
        index.write([work])
    assert dict(authors(index, anyone))["Đặng Thị Bình"] == 2


def test_a_work_without_creators_has_no_author_value(index, anyone):
    index.write([WorkDocument(id="y", title="Khuyết danh", url="/works/y")])
    assert authors(index, anyone) == []


@pytest.mark.parametrize(("before", "after"), [
    ("Dương", "Đặng"), ("Đặng", "Zuê"), ("Anh", "Ánh"), ("Ánh", "Ăn"), ("Ăn", "Ấn"),
    ("An Giang", "Anh"), ("Uy", "Ưu"), ("Ơn", "Pha"), ("Khoa Dược", "Khoa Đào tạo"),
    ("anh", "Anh"), ("2020", "An"),
])
def test_vietnamese_alphabetical_order(before, after):
    assert sort_key(before) < sort_key(after)


def test_decomposed_text_sorts_as_composed():
    assert sort_key("Nguye\u0302\u0303n")[:3] == sort_key("Nguyễn")[:3]
