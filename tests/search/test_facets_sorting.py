"""Facets, sorting, spelling suggestions and similar works."""

from __future__ import annotations

from search import SearchIndex, SearchRequest, WorkDocument


def hit_ids(results) -> list[str]:
    return [hit.id for hit in results.hits]


def counts(results, facet: str) -> dict[str, int]:
    return {value.value: value.count for value in results.facets[facet]}


def test_every_facet_is_answered(find) -> None:
    assert list(find("").facets) == [
        "faculty",
        "type",
        "degree_level",
        "year",
        "author",
        "language",
        "access",
        "source",
    ]


def test_facet_counts_of_a_query(find) -> None:
    results = find("quản")
    assert counts(results, "faculty") == {"economics": 2, "law": 1}
    assert counts(results, "type") == {"master_thesis": 2, "bachelor_thesis": 1}
    assert counts(results, "year") == {"2017": 1, "2018": 1, "2019": 1}
    assert counts(results, "language") == {"vi": 3}


def test_facet_values_are_ordered_by_count(find) -> None:
    values = find("").facets["type"]
    assert values[0].value == "master_thesis"
    assert [v.count for v in values] == sorted((v.count for v in values), reverse=True)


def test_filter_narrows_results_and_keeps_its_own_alternatives(find) -> None:
    results = find("quản", filters={"faculty": ["economics"]})
    assert set(hit_ids(results)) == {"business", "staffing"}
    assert counts(results, "faculty") == {"economics": 2, "law": 1}
    assert counts(results, "type") == {"master_thesis": 1, "bachelor_thesis": 1}


def test_values_of_one_facet_are_alternatives(find) -> None:
    results = find("", filters={"faculty": ["economics", "law"]})
    assert set(hit_ids(results)) == {"business", "staffing", "land"}


def test_combined_filters_honour_each_other(find) -> None:
    results = find("", filters={"faculty": ["economics", "law"], "type": ["master_thesis"]})
    assert set(hit_ids(results)) == {"business", "land"}
    assert counts(results, "faculty") == {"economics": 1, "law": 1, "culture": 1}
    assert counts(results, "type") == {"master_thesis": 2, "bachelor_thesis": 1}
    assert counts(results, "year") == {"2018": 1, "2019": 1}


def test_year_and_language_filters(find) -> None:
    assert hit_ids(find("", filters={"year": ["2020"]})) == ["water"]
    assert hit_ids(find("", filters={"language": ["en"]})) == ["water"]


def test_access_facet_counts_visible_works(find) -> None:
    assert counts(find(""), "access") == {"open": 6, "campus": 1}


def test_sort_newest(find) -> None:
    assert hit_ids(find("quản", sort="newest")) == ["land", "business", "staffing"]


def test_sort_title_ignores_case_and_accents(find) -> None:
    titles = [hit.title for hit in find("", sort="title").hits]
    assert titles[:3] == [
        "Bảo tồn nghề gốm truyền thống",
        "Đại học tự chủ và chất lượng đào tạo",
        "Quản lý nhà nước về đất đai tại tỉnh An Giang",
    ]


def test_browse_with_relevance_lists_newest_first(find) -> None:
    results = find("", sort="relevance")
    assert hit_ids(results)[0] == "pottery"
    assert results.sort == "newest"
    assert results.notice is None


def test_relevance_is_offered_and_the_default_only_with_a_query(find) -> None:
    assert find("").sorts == ("newest", "title")
    assert find("").sort == "newest"
    assert find("quản").sorts == ("relevance", "newest", "title")
    assert find("quản").sort == "relevance"


def test_years_are_listed_newest_first(find) -> None:
    years = [v.value for v in find("").facets["year"]]
    assert years == ["2022", "2021", "2020", "2019", "2018", "2017", "2015"]


def test_work_without_year_comes_last_and_is_not_a_facet_value(
    index: SearchIndex, works, anyone
) -> None:
    index.write([*works, WorkDocument(id="undated", title="Không rõ năm", url="/works/undated")])
    results = index.search(SearchRequest(sort="newest"), anyone)
    assert hit_ids(results)[-1] == "undated"
    assert "0" not in counts(results, "year")


def test_hit_renders_without_the_database(find) -> None:
    hit = find("an giang").hits[0]
    assert (hit.id, hit.url, hit.creators, hit.year) == (
        "land",
        "/works/land",
        ("Nguyễn Thị Hoà",),
        2019,
    )
    assert (hit.faculty, hit.type, hit.degree_level, hit.language, hit.access, hit.source) == (
        "law",
        "master_thesis",
        "master",
        "vi",
        "open",
        "local",
    )
    assert hit.embargo_until is None


def test_suggestion_when_nothing_is_found(find) -> None:
    results = find("an giangg")
    assert results.total == 0
    assert results.suggestion == "an giang"


def test_suggestion_for_accented_misspelling(find) -> None:
    assert find("quản trịi").suggestion == "quản trị"


def test_suggestion_for_an_unaccented_misspelling(find) -> None:
    assert find("doanh nghiepp").suggestion == "doanh nghiep"


def test_suggestion_fixes_wrong_tone_marks(index: SearchIndex, anyone) -> None:
    index.write([
        WorkDocument(id="catra", title="Kỹ thuật nuôi cá tra thương phẩm", url="/works/catra"),
        WorkDocument(id="catim", title="Cà tím và cà chua", url="/works/catim"),
    ])
    wrong = index.search(SearchRequest(q="cá trà"), anyone)
    assert wrong.total == 0
    assert wrong.suggestion == "cá tra"
    assert [hit.id for hit in index.search(SearchRequest(q=wrong.suggestion), anyone).hits] == [
        "catra"]
    assert index.search(SearchRequest(q="cà trà"), anyone).suggestion == "cá tra"


def test_a_word_only_in_readable_text_is_suggested_unaccented(find, make_scope) -> None:
    campus = make_scope(read=("open", "campus"))
    assert find("zànthoxylum", campus).suggestion == "zanthoxylum"
    assert find("zànthoxylum").suggestion is None


def test_no_suggestion_when_something_is_found(find) -> None:
    assert find("an giang").suggestion is None


def test_suggestion_never_reveals_a_hidden_record(find, staff) -> None:
    assert find("rủii ro").suggestion is None
    assert find("rủii ro", staff).suggestion == "rủi ro"


def test_more_like_this_finds_related_visible_works(
    works_index: SearchIndex, anyone, staff
) -> None:
    similar = [hit.id for hit in works_index.more_like_this("business", anyone)]
    assert similar[0] == "staffing"
    assert "business" not in similar
    assert "secret" not in similar
    assert "secret" in [hit.id for hit in works_index.more_like_this("business", staff)]


def test_more_like_this_respects_limit(works_index: SearchIndex, staff) -> None:
    assert len(works_index.more_like_this("business", staff, limit=1)) == 1


def test_more_like_this_of_a_hidden_or_unknown_work_is_empty(
    works_index: SearchIndex, anyone
) -> None:
    assert works_index.more_like_this("secret", anyone) == []
    assert works_index.more_like_this("no-such-work", anyone) == []
