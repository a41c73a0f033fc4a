"""Access-aware search: what a scope may see, what its query may match, what a snippet may quote.

The pottery work's record is public but its text is campus-only; the
secret work's record is staff-only. Every fixture search hands ``texts_for``
to the index for every work, so these tests show that the index itself
keeps restricted text out of matches and snippets.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from search import SearchIndex, SearchRequest, WorkDocument

TEXT_ONLY_WORD = "zanthoxylum"


def hit_ids(results) -> list[str]:
    return [hit.id for hit in results.hits]


def test_word_only_in_restricted_text_is_not_found_anonymously(find) -> None:
    results = find(TEXT_ONLY_WORD)
    assert results.total == 0
    assert results.hits == []


@pytest.mark.parametrize(
    "grant",
    [
        {"read": ("open", "campus")},
        {"owner": "u-42"},
        {"work_ids": ("pottery",)},
    ],
    ids=["campus-level", "owner", "granted-work"],
)
def test_word_only_in_text_is_found_with_the_right_to_read(find, make_scope, grant) -> None:
    scope = make_scope(**grant)
    results = find(TEXT_ONLY_WORD, scope)
    assert hit_ids(results) == ["pottery"]
    assert results.hits[0].text_matched
    assert f"<mark>{TEXT_ONLY_WORD}</mark>" in results.hits[0].snippet


def test_another_owner_does_not_read_the_text(find, make_scope) -> None:
    assert find(TEXT_ONLY_WORD, make_scope(owner="u-7")).total == 0


def test_metadata_still_finds_a_work_with_restricted_text(find) -> None:
    results = find("gốm")
    assert hit_ids(results) == ["pottery"]
    hit = results.hits[0]
    assert not hit.text_matched
    assert hit.snippet == "Khảo sát các làng <mark>gốm</mark> ở Bình Dương."
    assert "men" not in hit.snippet and TEXT_ONLY_WORD not in hit.snippet


def test_snippet_of_readable_text_quotes_the_text(find, make_scope) -> None:
    hit = find("gốm", make_scope(read=("open", "campus"))).hits[0]
    assert TEXT_ONLY_WORD in hit.snippet


def test_exclusion_does_not_probe_restricted_text(find, make_scope) -> None:
    assert hit_ids(find(f"gốm -{TEXT_ONLY_WORD}")) == ["pottery"]
    assert find(f"gốm -{TEXT_ONLY_WORD}", make_scope(read=("open", "campus"))).total == 0


def test_phrase_in_restricted_text_is_not_found(find, make_scope) -> None:
    assert find('"công thức men"').total == 0
    assert hit_ids(find('"cong thuc men"', make_scope(read=("open", "campus")))) == ["pottery"]


def test_hidden_record_is_never_found_or_counted(find, staff) -> None:
    anonymous = find("quản trị rủi ro")
    assert anonymous.total == 0
    assert anonymous.suggestion is None
    assert hit_ids(find("quản trị rủi ro", staff)) == ["secret"]
    assert "security" not in {v.value for v in find("").facets["faculty"]}
    assert {"value": "security", "count": 1} in [
        {"value": v.value, "count": v.count} for v in find("", staff).facets["faculty"]
    ]


def test_totals_and_facets_count_only_visible_works(find, staff) -> None:
    assert find("").total == 7
    assert find("", staff).total == 8
    assert sum(v.count for v in find("doanh nghiệp").facets["type"]) == 2
    assert sum(v.count for v in find("doanh nghiệp", staff).facets["type"]) == 3


def test_scope_without_levels_sees_nothing(find, make_scope) -> None:
    results = find("", make_scope(read=(), see=()))
    assert results.total == 0
    assert all(values == [] for values in results.facets.values())


def test_owner_sees_their_hidden_record(index: SearchIndex, make_scope) -> None:
    draft = WorkDocument(
        id="draft",
        title="Bản thảo luận án",
        url="/works/draft",
        owner="u-9",
        access="confidential",
        fulltext="nội dung chưa công bố",
    )
    index.write([draft])
    assert index.search(SearchRequest(q="công bố"), make_scope()).total == 0
    assert index.search(SearchRequest(q="công bố"), make_scope(owner="u-9")).total == 1


@pytest.mark.parametrize(
    ("days_from_today", "found"),
    [(-1, True), (0, True), (1, False)],
    ids=["ended-yesterday", "ends-today", "ends-tomorrow"],
)
def test_embargoed_text_opens_on_its_end_date(
    index: SearchIndex, make_scope, today, days_from_today: int, found: bool
) -> None:
    index.write(
        [
            WorkDocument(
                id="embargoed",
                title="Công nghệ sinh học biển",
                url="/works/embargoed",
                abstract="Nghiên cứu vi tảo.",
                fulltext="Chủng vi tảo quasarion cho năng suất cao.",
                access="embargoed",
                embargo_until=today + timedelta(days=days_from_today),
                access_changes_on=today + timedelta(days=days_from_today),
                access_after="open",
            )
        ]
    )
    def texts_for(ids: list[str]) -> dict[str, str]:
        return {"embargoed": "Chủng vi tảo quasarion cho năng suất cao."}

    by_text = index.search(SearchRequest(q="quasarion"), make_scope(), texts_for)
    assert (by_text.total == 1) is found
    by_metadata = index.search(SearchRequest(q="vi tảo"), make_scope(), texts_for)
    assert hit_ids(by_metadata) == ["embargoed"]
    assert ("quasarion" in by_metadata.hits[0].snippet) is found
    assert by_metadata.hits[0].embargo_until == today + timedelta(days=days_from_today)


def test_after_the_embargo_the_later_level_decides(index: SearchIndex, make_scope, today) -> None:
    index.write(
        [
            WorkDocument(
                id="campus-later",
                title="Luận văn",
                url="/works/campus-later",
                fulltext="từ khoá quasarion",
                access="embargoed",
                embargo_until=today - timedelta(days=30),
                access_changes_on=today - timedelta(days=30),
                access_after="campus",
            )
        ]
    )
    assert index.search(SearchRequest(q="quasarion"), make_scope()).total == 0
    campus = make_scope(read=("open", "campus"))
    assert index.search(SearchRequest(q="quasarion"), campus).total == 1


def test_markup_in_titles_and_texts_is_escaped(index: SearchIndex, anyone) -> None:
    text = "Mã độc <script>alert('x')</script> trong trình duyệt & máy chủ."
    index.write(
        [
            WorkDocument(
                id="xss",
                title="<script>alert(1)</script> An toàn web",
                url="/works/xss",
                abstract="Phân tích <img src=x onerror=alert(1)> lỗ hổng.",
                fulltext=text,
            )
        ]
    )
    for q in ("script", "alert", "lỗ hổng", "máy chủ"):
        results = index.search(SearchRequest(q=q), anyone,
                               texts_for=lambda ids, text=text: {"xss": text})
        snippet = results.hits[0].snippet
        assert "<script" not in snippet and "<img" not in snippet, snippet
        assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    snippet = index.search(SearchRequest(q="script"), anyone,
                           lambda ids: {"xss": text}).hits[0].snippet
    assert "&lt;<mark>script</mark>&gt;" in snippet


def test_a_record_is_judged_by_the_scope_and_day_of_each_search(
    index: SearchIndex, make_scope, today
) -> None:
    """Nothing is decided at indexing: the same document, different policies and days."""
    ends = today + timedelta(days=1)
    index.write(
        [
            WorkDocument(
                id="embargoed",
                title="Vi tảo biển Cần Giờ",
                url="/works/embargoed",
                fulltext="Chủng quasarion.",
                access="embargoed",
                embargo_until=ends,
                access_changes_on=ends,
                access_after="open",
            )
        ]
    )
    private = make_scope(see=("", "open", "campus", "restricted"))
    def texts(ids: list[str]) -> dict[str, str]:
        return {"embargoed": "Chủng quasarion."}

    for scope, sees, reads in [
        (make_scope(), True, False),
        (private, False, False),
        (replace(private, today=ends), True, True),
    ]:
        by_title = index.search(SearchRequest(q="vi tảo"), scope, texts)
        assert by_title.total == int(sees)
        assert sum(v.count for v in by_title.facets["type"] + by_title.facets["access"]) == int(sees)
        assert index.search(SearchRequest(q="quasarion"), scope, texts).total == int(reads)
        assert all("quasarion" not in hit.snippet for hit in by_title.hits) or reads
