"""The results page as readers use it on any screen: filters reachable from the top with a
summary and a way out, headings in order, no dead end when nothing is found, restricted text
never quoted."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from repo_app.db import standalone_session
from repo_app.services import works


@pytest.fixture
def library(app, publish) -> dict[str, int]:
    """Two faculties' theses; one restricted, whose text holds a word found nowhere else."""
    with app.app_context(), standalone_session(app) as db:
        economics = works.collection_by_code(db, "kt", "Khoa Kinh tế").id
        farming = works.collection_by_code(db, "nn", "Khoa Nông nghiệp").id
        db.commit()
    return {
        "thesis": publish("Quản trị chuỗi cung ứng nông sản", "open", type="master_thesis",
                          degree_level="master", collection_id=economics, year=2021),
        "fish": publish("Nuôi cá tra xuất khẩu", "open", type="bachelor_thesis",
                        degree_level="bachelor", collection_id=farming, year=2018),
        "secret": publish("Thị trường lúa gạo vùng đồng bằng", "restricted",
                          text="Bí quyết xuongrong chỉ có trong toàn văn.", collection_id=economics,
                          abstract="Tóm tắt công khai về lúa gạo.", year=2019),
    }


class Outline(HTMLParser):
    """The page's headings and the order of a few landmarks, as a screen reader meets them."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.order: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        classes = (dict(attrs).get("class") or "").split()
        for name in ("filter-panel", "chosen-filters", "hits", "no-results"):
            if name in classes:
                self.order.append(name)


def outline(page: str) -> Outline:
    parser = Outline()
    parser.feed(page)
    return parser


def assert_headings_in_order(page: str) -> None:
    """One h1 first, and no heading more than one level below the one before it (axe's
    heading-order)."""
    levels = outline(page).headings
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def get(client, **args) -> str:
    response = client.get("/search", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("args", [{}, {"q": "nuoi ca"}, {"q": "khongcogi"},
                                  {"q": "kinh te", "year": "2021"}])
def test_headings_never_skip_a_level(client, library, args):
    assert_headings_in_order(get(client, **args))


def test_filters_are_one_closed_disclosure_before_the_results(client, library):
    page = get(client, q="luan van")
    assert outline(page).order == ["filter-panel", "hits"]
    panel = re.search(r'<details class="filter-panel"[^>]*>', page).group()
    assert " open" not in panel  # a phone meets the results, not a long list, after it
    assert 'href="#main"' in page


def test_chosen_filters_are_summarised_at_the_top_with_a_way_to_clear_them(client, library):
    page = get(client, q="luan van", faculty="Khoa Kinh tế", year="2021")
    assert outline(page).order == ["filter-panel", "chosen-filters", "hits"]
    summary = re.search(r'<div class="chosen-filters".*?</div>', page, re.S).group()
    assert "Khoa: Khoa Kinh tế" in summary and "Năm: 2021" in summary
    assert "Bỏ lọc" in summary
    assert 'href="/search?q=luan+van">Xóa mọi bộ lọc</a>' in summary
    assert "<summary>Bộ lọc (2)</summary>" in page


def test_removing_one_chosen_filter_keeps_the_others(client, library):
    page = get(client, q="luan van", faculty="Khoa Kinh tế", year="2021")
    summary = re.search(r'<div class="chosen-filters".*?</div>', page, re.S).group()
    assert 'href="/search?q=luan+van&amp;year=2021"' in summary
    assert 'href="/search?q=luan+van&amp;faculty=Khoa+Kinh+t%E1%BA%BF"' in summary


def test_facet_links_are_not_for_crawlers_and_faceted_pages_are_not_indexed(client, library):
    page = get(client)
    facet_links = re.findall(r'<a href="/search\?[^"]*(?:faculty|year|type)=[^"]*"[^>]*>', page)
    assert facet_links and all('rel="nofollow"' in link for link in facet_links)
    assert 'name="robots"' not in page
    assert '<meta name="robots" content="noindex">' in get(client, year="2021")


def test_controls_are_styled_to_at_least_24_pixels(client, library):
    page = get(client, q="luan van")
    assert "/static/search.css" in page
    css = client.get("/static/search.css").get_data(as_text=True)
    assert "min-height:24px" in css and ".sort select, .sort button" in css


def test_an_empty_result_page_offers_tips_a_suggestion_and_recent_works(client, library):
    page = get(client, q="cá trà")
    assert "Chưa có tài liệu nào khớp với tìm kiếm này" in page
    assert re.search(r'href="/search\?q=c%C3%A1\+tra">cá tra</a>', page)
    assert "Mẹo tìm kiếm" in page and "author:" in page
    recent = page.split("Tài liệu mới")[1]
    assert "Nuôi cá tra xuất khẩu" in recent and "Quản trị chuỗi cung ứng nông sản" in recent


def test_an_empty_filtered_page_offers_to_search_without_the_filters(client, library):
    page = get(client, q="ca tra", faculty="Khoa Kinh tế")
    assert 'href="/search?q=ca+tra">Tìm lại không kèm bộ lọc</a>' in page


def test_the_empty_page_in_english(client, library):
    client.get("/lang/en")
    page = get(client, q="khongcogi")
    assert "0 works found" in page and "Search tips" in page and "Recent works" in page


def test_restricted_text_is_never_quoted_in_a_snippet(client, library):
    for q in ("lua gao", "lúa gạo", "thi truong"):
        page = get(client, q=q)
        assert "Thị trường lúa gạo vùng đồng bằng" in page
        assert "Bí quyết" not in page and "xuongrong" not in page
        api = client.get("/api/v1/search", query_string={"q": q}).get_json()
        assert all("xuongrong" not in hit["snippet"] for hit in api["hits"])
    assert client.get("/api/v1/search?q=xuongrong").get_json()["total"] == 0
    assert "Tìm thấy 0 tài liệu" in get(client, q="xuongrong")


def test_the_home_page_browses_by_faculty_year_type_and_author(client, library):
    page = client.get("/").get_data(as_text=True)
    browse = re.search(r'<section class="browse".*?</section>', page, re.S).group()
    for heading in ("Theo khoa", "Theo năm", "Theo loại tài liệu", "Theo tác giả"):
        assert f"<h3>{heading}</h3>" in browse
    links = re.findall(r'<a href="([^"]+)" rel="nofollow">([^<]+)</a> <span class="count">(\d+)', browse)
    assert ("/search?faculty=Khoa+Kinh+t%E1%BA%BF", "Khoa Kinh tế", "2") in links
    assert ("/search?type=master_thesis", "Luận văn thạc sĩ", "2") in links
    assert ("/search?author=Nguy%E1%BB%85n+V%C4%83n+A", "Nguyễn Văn A", "3") in links
    years = [text for href, text, _ in links if href.startswith("/search?year=")]
    assert years == ["2021", "2019", "2018"]
    assert_headings_in_order(page)


@pytest.mark.parametrize(("args", "titles"), [
    ({"faculty": "Khoa Kinh tế"}, {"Quản trị chuỗi cung ứng nông sản", "Thị trường lúa gạo vùng đồng bằng"}),
    ({"year": "2018"}, {"Nuôi cá tra xuất khẩu"}),
    ({"type": "bachelor_thesis"}, {"Nuôi cá tra xuất khẩu"}),
    ({"author": "Nguyễn Văn A", "year": "2021"}, {"Quản trị chuỗi cung ứng nông sản"}),
])
def test_a_browse_link_lists_the_works_with_that_facet(client, library, args, titles):
    body = client.get("/api/v1/search", query_string=args).get_json()
    assert {hit["title"] for hit in body["hits"]} == titles


def test_a_hidden_work_names_no_author_in_the_browse_lists(client, publish, library):
    publish("Hồ sơ mật", "confidential", creators=["Trần Bí Mật"])
    assert "Trần Bí Mật" not in client.get("/").get_data(as_text=True)
    facets = client.get("/api/v1/search").get_json()["facets"]["author"]
    assert facets == [{"value": "Nguyễn Văn A", "count": 3}]


def test_a_results_page_loads_the_texts_it_quotes_together(app, client, publish):
    """Twelve hits quoting their texts cost a constant number of queries, not two per hit."""
    from sqlalchemy import event

    for n in range(12):
        publish(f"Luận văn số {n}", "open", text=f"Nghiên cứu vi tảo biển lần {n}.")
    statements: list[str] = []
    engine = app.extensions["repo_db"].kw["bind"]
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    page = get(client, q="vi tao")
    assert page.count("<mark>vi</mark> <mark>tảo</mark>") == 12
    works_loads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "FROM works" in s]
    assert len(works_loads) <= 2, works_loads
