"""The librarian's guide: every topic in Vietnamese and English, for staff, with live links."""

from __future__ import annotations

import re

import pytest

from helpers import login
from repo_app.services.guide import TOPICS

SLUGS = [t.slug for t in TOPICS]
# A phrase each topic must hold in each language: the page is the right one, in that language.
PHRASES = {
    ("review", "vi"): "Chấp nhận và công bố", ("review", "en"): "Accept and publish",
    ("access", "vi"): "Chỉ đọc tại chỗ", ("access", "en"): "On-site reading only",
    ("import", "vi"): "repo-app import DIR --manifest FILE.csv",
    ("import", "en"): "Try <code>--dry-run</code> first",
    ("scanning", "vi"): "Trạm số hóa", ("scanning", "en"): "Scanning station",
    ("holdings", "vi"): "Sổ đăng ký tài liệu", ("holdings", "en"): "holdings register",
    ("reports", "vi"): "Thống kê sử dụng", ("reports", "en"): "Usage statistics",
}


@pytest.fixture
def librarian(client, accounts):
    login(client, "librarian@test.vn")
    return client


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("slug", SLUGS)
def test_every_topic_is_written_in_both_languages(librarian, slug, lang):
    response = librarian.get(f"/guide/{slug}?lang={lang}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert PHRASES[(slug, lang)] in page


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_link_in_the_guide_answers(librarian, lang):
    pages = [f"/guide/?lang={lang}"] + [f"/guide/{slug}?lang={lang}" for slug in SLUGS]
    links = set()
    for url in pages:
        links |= set(re.findall(r'href="(/[^"#?]*)', librarian.get(url).get_data(as_text=True)))
    broken = [link for link in sorted(links) if not link.startswith("/static")
              and librarian.get(link).status_code >= 400]
    assert broken == []


def test_the_index_lists_the_topics_and_the_menu_links_it(librarian):
    page = librarian.get("/guide/?lang=vi").get_data(as_text=True)
    assert "Hướng dẫn nghiệp vụ thủ thư" in page
    for slug in SLUGS:
        assert f'href="/guide/{slug}"' in page
    assert 'href="/guide/"' in librarian.get("/").get_data(as_text=True)


@pytest.mark.parametrize("who", ["reader", "depositor"])
def test_the_guide_is_for_library_staff(client, accounts, who):
    login(client, f"{who}@test.vn")
    assert client.get("/guide/").status_code == 403
    assert client.get("/guide/review").status_code == 403
    assert 'href="/guide/"' not in client.get("/").get_data(as_text=True)


def test_a_guest_is_sent_to_log_in(client):
    response = client.get("/guide/review")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_unknown_topic_is_not_found(librarian):
    assert librarian.get("/guide/nothing").status_code == 404
