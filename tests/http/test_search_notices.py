"""The search package reports repairs to a request as codes; the page words them in the
reader's language (search imports nothing from the app)."""

from __future__ import annotations

import html

from search.results import NOTICE_TEXTS


def _notice(client, url: str) -> str:
    page = html.unescape(client.get(url).get_data(as_text=True))
    return page.split('class="notice" role="status">')[1].split("</p>")[0]


def test_an_unreadable_query_is_explained_in_vietnamese(client, publish):
    publish("Luận văn kinh tế", "open")
    notice = _notice(client, "/search?q=" + "(kinh" * 3)
    assert notice == "Không đọc được câu truy vấn như đã viết; hệ thống đã tìm theo từng từ của nó."


def test_a_page_past_the_end_is_explained_in_vietnamese(client, publish):
    publish("Luận văn kinh tế", "open")
    assert _notice(client, "/search?q=kinh&page=99") == \
        "Không có trang kết quả này; đang hiển thị trang gần nhất."


def test_and_in_english_when_asked(client, publish):
    publish("Luận văn kinh tế", "open")
    assert _notice(client, "/search?q=kinh&page=99&lang=en") == NOTICE_TEXTS["page"]
