"""Every metadata field is searched, in both languages, without diacritics, titles first."""

from __future__ import annotations

import pytest

from search import Scope, SearchIndex, SearchRequest, WorkDocument

THESIS = WorkDocument(
    id="thesis",
    title="Chuỗi cung ứng nông sản tại Đồng Tháp",
    url="/works/thesis",
    alt_title="Nông sản xuất khẩu",
    title_en="Agricultural supply chains in Dong Thap",
    creators=("Lê Thị Mai",),
    advisors=("Phan Văn Bảo",),
    abstract="Luận văn phân tích chuỗi cung ứng.",
    abstract_en="The thesis analyses supply chains of rice and fruit.",
    keywords=("chuỗi cung ứng",),
    keywords_en=("logistics",),
    labels=("Luận văn thạc sĩ", "Master's thesis", "Thạc sĩ", "Master",
            "Thạc sĩ Quản trị kinh doanh", "Khoa Kinh tế", "Faculty of Economics"),
    discipline="Quản trị kinh doanh",
    grantor="Trường Đại học Cần Thơ",
    identifier="vnir/4711",
    faculty="Khoa Kinh tế",
    type="master_thesis",
    year=2022,
)
OTHER = WorkDocument(
    id="other",
    title="Kinh tế học vĩ mô và lạm phát",
    url="/works/other",
    labels=("Báo cáo nghiên cứu", "Research report", "Khoa Luật", "Faculty of Law"),
    faculty="Khoa Luật",
    type="research_report",
    year=2019,
)


@pytest.fixture
def fields_index(index: SearchIndex) -> SearchIndex:
    index.write([THESIS, OTHER])
    return index


def ids(index: SearchIndex, q: str, scope: Scope) -> list[str]:
    return [hit.id for hit in index.search(SearchRequest(q=q), scope).hits]


@pytest.mark.parametrize(
    "q",
    [
        "luận văn thạc sĩ", "luan van thac si", "master thesis", "Khoa Kinh tế",
        "faculty of economics", "luan van kinh te", "quan tri kinh doanh", "dai hoc can tho",
        "vnir/4711", "phan van bao", "le thi mai", "nong san xuat khau", "agricultural supply",
        "dong thap chains", "logistics", "rice fruit",
    ],
)
def test_each_metadata_field_finds_the_work(fields_index: SearchIndex, anyone: Scope, q: str) -> None:
    assert "thesis" in ids(fields_index, q, anyone)


def test_a_title_match_ranks_above_a_faculty_match(fields_index: SearchIndex, anyone: Scope) -> None:
    assert ids(fields_index, "kinh tế", anyone) == ["other", "thesis"]
    assert ids(fields_index, "kinh te", anyone) == ["other", "thesis"]


def test_only_the_own_title_is_shown(fields_index: SearchIndex, anyone: Scope) -> None:
    hit = fields_index.search(SearchRequest(q="agricultural"), anyone).hits[0]
    assert hit.title == THESIS.title


@pytest.mark.parametrize("q", ["title:agricultural", "title:nong san", "keyword:logistics"])
def test_field_prefixes_include_the_other_language(
    fields_index: SearchIndex, anyone: Scope, q: str
) -> None:
    assert ids(fields_index, q, anyone) == ["thesis"]
