"""The reader as people use it (issue 15): a heading, zoom, keyboard paging, a text
alternative only where the text may be shown, and no page budget for staff."""

from __future__ import annotations

import io
import re

import pytest
from access.world import OFF_CAMPUS, client_from, file_ids
from PIL import Image

SECRET = "bimatdoc"


def _width(response) -> int:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return Image.open(io.BytesIO(response.data)).width


@pytest.mark.parametrize("email", ["librarian@test.vn", "admin@test.vn"])
def test_staff_are_not_stopped_by_the_pages_per_minute_budget(app, accounts, publish, email):
    app.config["READER_PAGES_PER_MINUTE"] = 2
    work_id = publish("Luận văn hạn chế", "restricted")
    file_id = file_ids(app, work_id)[0]
    url = f"/works/{work_id}/files/{file_id}/pages/1.png"
    staff = client_from(app, OFF_CAMPUS, email)
    assert [staff.get(url).status_code for _ in range(4)] == [200] * 4
    assert staff.get(f"/works/{work_id}/read/{file_id}").status_code == 200
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    assert [reader.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_zoom_draws_a_larger_page_from_a_few_bounded_sizes(app, accounts, publish):
    work_id = publish("Luận văn", "restricted")
    file_id = file_ids(app, work_id)[0]
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    url = f"/works/{work_id}/files/{file_id}/pages/1.png"
    assert _width(reader.get(url)) == 1000
    assert _width(reader.get(url + "?zoom=2")) == 1000  # shown unscaled, not redrawn
    assert _width(reader.get(url + "?zoom=3")) == 1500
    for wild in ("4", "40", "-1", "0", "abc", "1e9"):
        assert _width(reader.get(f"{url}?zoom={wild}")) == 1000


def test_zoomed_page_scrolls_in_a_focusable_region_and_links_keep_the_zoom(app, accounts,
                                                                           publish):
    work_id = publish("Luận văn", "restricted", more_pages=("Trang hai.",))
    file_id = file_ids(app, work_id)[0]
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    page = reader.get(f"/works/{work_id}/read/{file_id}?zoom=3").get_data(as_text=True)
    assert re.search(r'<div class="page-scroll" tabindex="0" role="region" aria-label="[^"]+">',
                     page)
    assert "pages/1.png?zoom=3" in page and 'width="1500"' in page
    assert f'href="/works/{work_id}/read/{file_id}?page=2&amp;zoom=3"' in page
    assert '<input type="hidden" name="zoom" value="3">' in page
    assert re.search(r'href="[^"]*zoom=3" aria-current="true"', page)
    unbounded = reader.get(f"/works/{work_id}/read/{file_id}?zoom=99").get_data(as_text=True)
    assert "zoom=99" not in unbounded and "page-scroll" not in unbounded


def test_reader_has_the_title_as_heading_unique_landmarks_and_keys(app, accounts, publish):
    work_id = publish("Quản trị nhân lực", "restricted", more_pages=("Trang hai.",))
    file_id = file_ids(app, work_id)[0]
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    page = reader.get(f"/works/{work_id}/read/{file_id}").get_data(as_text=True)
    assert re.findall(r"<h1>(.*?)</h1>", page) == ["Quản trị nhân lực"]
    labels = re.findall(r'<nav[^>]*aria-label="([^"]+)"', page)
    assert len(labels) == len(set(labels)) >= 3  # main menu and two pagers
    assert 'rel="next"' in page and 'accesskey="n"' in page
    assert page.count('accesskey="n"') == 1  # one key, one link
    assert '<script src="/static/site.js" defer></script>' in page


def test_page_text_is_offered_to_those_who_may_download(app, accounts, publish):
    work_id = publish("Luận văn mở", "open", text=f"Văn bản {SECRET} mở.")
    file_id = file_ids(app, work_id)[0]
    page = client_from(app, OFF_CAMPUS).get(f"/works/{work_id}/read/{file_id}")
    body = page.get_data(as_text=True)
    assert '<details class="page-text">' in body
    assert SECRET in body


def test_restricted_reading_never_shows_the_page_text(app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted", text=f"Văn bản {SECRET}.")
    file_id = file_ids(app, work_id)[0]
    body = client_from(app, OFF_CAMPUS, "reader@test.vn").get(
        f"/works/{work_id}/read/{file_id}").get_data(as_text=True)
    assert SECRET not in body and "page-text" not in body
    staff = client_from(app, OFF_CAMPUS, "librarian@test.vn").get(
        f"/works/{work_id}/read/{file_id}").get_data(as_text=True)
    assert SECRET in staff  # staff may download, so the text is theirs to see
