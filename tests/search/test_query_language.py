"""The query language, on the fixture works: what a searcher types and what they get."""

from __future__ import annotations

import unicodedata

import pytest

from search import SearchIndex, SearchRequest, WorkDocument


def hit_ids(results) -> list[str]:
    return [hit.id for hit in results.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dai hoc", "university"),
        ("Đại học", "university"),
        ("nguyen", "land"),
        ("duong", "university"),
        ("Đường", "university"),
        ("sức khỏe", "medicine"),
        ("sức khoẻ", "medicine"),
        ("hóa dược", "medicine"),
        ("thủy sản", "medicine"),
        ("suc khoe", "medicine"),
        ("author:hòa", "land"),
        ("advisor:thủy", "land"),
        ("an giang", "land"),
        ("may mặc", "business"),
        ("y học", "medicine"),
        ("to", "water"),
    ],
)
def test_spellings_find_the_work(find, query: str, expected: str) -> None:
    results = find(query)
    assert expected in hit_ids(results)
    assert results.notice is None


def test_decomposed_query_finds_composed_text(find) -> None:
    assert hit_ids(find(unicodedata.normalize("NFD", "Đất đai"))) == ["land"]


def test_diacritics_disambiguate_dat_dai_from_dai_hoc(find) -> None:
    accented = hit_ids(find("đất đai"))
    assert accented[0] == "land"
    assert "university" not in accented
    unaccented = hit_ids(find("dat dai"))
    assert {"land", "university"} <= set(unaccented)
    assert unaccented[0] == "land"


def test_exact_spelling_ranks_above_folded_match(index: SearchIndex, anyone) -> None:
    index.write(
        [
            WorkDocument(id="eat", title="Ăn uống lành mạnh", url="/works/eat"),
            WorkDocument(id="safe", title="An toàn lao động", url="/works/safe"),
        ]
    )
    results = index.search(SearchRequest(q="an"), anyone)
    assert hit_ids(results) == ["safe", "eat"]


@pytest.mark.parametrize(
    "phrase", ['"quản trị kinh doanh"', '"quan tri kinh doanh"', '"QUẢN TRỊ kinh doanh"']
)
def test_phrases_across_syllables(find, phrase: str) -> None:
    assert hit_ids(find(phrase)) == ["business"]


def test_phrase_respects_syllable_order(find) -> None:
    assert find('"kinh doanh quản trị"').total == 0


def test_words_are_all_required(find) -> None:
    assert hit_ids(find("quản trị nhân sự")) == ["staffing"]


def test_exclusion(find) -> None:
    assert set(hit_ids(find("quản trị"))) == {"business", "staffing"}
    assert hit_ids(find("quản trị -nhân")) == ["business"]
    assert hit_ids(find("quan tri -nhan")) == ["business"]


def test_or_and_groups(find) -> None:
    assert set(hit_ids(find("gốm OR sản"))) == {"pottery", "medicine"}
    assert hit_ids(find("(gốm OR sản) -dương")) == ["medicine"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("title:đại", {"university"}),
        ("title:gốm", {"pottery"}),
        ("title:may", {"business", "staffing"}),
        ("author:nguyễn", {"land"}),
        ("author:nguyen", {"land"}),
        ("author:tam", {"water"}),
        ("advisor:tran", {"land"}),
        ("keyword:may", {"business", "staffing"}),
        ('keyword:"giáo dục đại học"', {"university"}),
        ("year:2019", {"land"}),
        ("year:2015..2018", {"business", "staffing", "medicine"}),
        ("year:..2016", {"medicine"}),
        ("year:2018..2019 quản", {"land", "business"}),
    ],
)
def test_field_prefixes(find, query: str, expected: set[str]) -> None:
    results = find(query)
    assert set(hit_ids(results)) == expected
    assert results.notice is None


def test_field_prefix_is_confined_to_its_field(find) -> None:
    assert find("author:quản").total == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"quản trị kinh', {"business"}),
        ('quản trị kinh"', {"business"}),
        ("(quản trị kinh", {"business"}),
        ("quản trị kinh)", {"business"}),
        ("foo:bar quản trị kinh", set()),
        ("nghiên cứu:quản trị kinh", {"business"}),
        ("year:abcd", set()),
    ],
)
def test_unreadable_queries_fall_back_to_plain_words(find, query: str, expected) -> None:
    results = find(query)
    assert set(hit_ids(results)) == expected
    assert results.notice


@pytest.mark.parametrize("query", ["!!! ???", "...", "-", "()", '""'])
def test_queries_without_words_list_everything_visible(find, query: str) -> None:
    results = find(query)
    assert results.total == 7
    assert results.notice


def test_ten_thousand_character_query_is_cut_with_a_notice(find) -> None:
    results = find("quản trị " * 1000 + "x" * 1000)
    assert len("quản trị " * 1000) > 1000
    assert hit_ids(results) and set(hit_ids(results)) <= {"business", "staffing"}
    assert results.notice


def test_single_huge_word_does_not_raise(find) -> None:
    results = find("x" * 10_000)
    assert results.total == 0
    assert results.notice


def test_empty_query_browses_newest_first(find) -> None:
    results = find("")
    assert results.total == 7
    years = [hit.year for hit in results.hits]
    assert years == sorted(years, reverse=True)
    assert results.notice is None


def test_unknown_sort_falls_back_with_notice(find) -> None:
    results = find("quản trị", sort="loudest")
    assert results.total == 2
    assert results.notice


@pytest.mark.parametrize(("page", "expected_page"), [(-3, 1), (0, 1), (99, 4)])
def test_pages_out_of_range_are_clamped(find, page: int, expected_page: int) -> None:
    results = find("", page=page, per_page=2)
    assert results.page == expected_page
    assert results.hits
    assert results.notice


def test_last_page_holds_the_remainder(find) -> None:
    results = find("", page=4, per_page=2)
    assert len(results.hits) == 1
    assert results.notice is None


def test_unknown_facet_value_gives_zero_hits(find) -> None:
    results = find("", filters={"faculty": ["astrology"]})
    assert results.total == 0
    assert results.hits == []
    assert results.notice is None


@pytest.mark.parametrize("value", ["last year", "²", "99999999999", "-2019"])
def test_impossible_year_filter_gives_zero_hits(find, value: str) -> None:
    assert find("", filters={"year": [value]}).total == 0


def test_unknown_facet_name_is_ignored_with_a_notice(find) -> None:
    results = find("", filters={"colour": ["red"]})
    assert results.total == 7
    assert "colour" in results.notice


@pytest.mark.parametrize(
    "query",
    [
        "year:2019..2015",
        "year:..",
        "year:",
        "author:",
        'title:""',
        "-(",
        "OR OR",
        "quản OR",
        "\x00",
        "\\",
        "*",
        "quả?",
        "quản~2",
        "quản^3",
        "a:b:c",
        "((((",
        "))))",
        '"""',
        "title:(đất đai)",
        "-year:2019",
        "AND NOT",
        "\u0323\u0301",
        "ƣ",
        "đ" * 5000,
    ],
)
def test_odd_queries_never_raise(find, query: str) -> None:
    results = find(query)
    assert results.total >= 0
    assert results.page == 1
