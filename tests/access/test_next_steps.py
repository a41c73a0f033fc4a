"""Every access limit says what the reader can do next, on the work page and on the 403 pages.

Guests are told to log in (with a link back to the work), visitors where and when
the reading room is open, everyone when an embargo ends; a reader who can already
read online is offered a copy *to download*, never permission to read.
"""

from __future__ import annotations

import html
from datetime import date, timedelta

from access.world import OFF_CAMPUS, READING_ROOM, client_from, file_ids

ROOM = {"READING_ROOM_ADDRESS": "Phòng đọc 204, nhà A", "READING_ROOM_HOURS": "7:30 – 17:00",
        "READING_ROOM_ADDRESS_EN": "Room 204, building A", "READING_ROOM_HOURS_EN": "7:30 – 17:00"}


def _page(client, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


def test_a_guest_on_a_restricted_work_is_told_to_log_in_and_come_back(app, accounts, publish):
    app.config.update(ROOM)
    work_id = publish("Luận văn hạn chế", "restricted")
    page = _page(client_from(app, OFF_CAMPUS), f"/works/{work_id}?lang=en")
    assert f'href="/login?next=/works/{work_id}"' in page
    assert "Log in to read online" in page
    assert "Room 204, building A" in page and "7:30 – 17:00" in page


def test_the_work_page_speaks_vietnamese_by_default(app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    page = _page(client_from(app, OFF_CAMPUS), f"/works/{work_id}")
    assert "Đăng nhập để đọc trực tuyến" in page
    assert app.config["READING_ROOM_ADDRESS"] in page


def test_the_reader_403_keeps_the_layout_and_says_what_to_do(app, accounts, publish):
    app.config.update(ROOM)
    work_id = publish("Luận văn hạn chế", "restricted")
    response = client_from(app, OFF_CAMPUS).get(f"/works/{work_id}/read?lang=en")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 403
    assert '<header class="site">' in page and '<footer class="site">' in page
    assert f'href="/login?next=/works/{work_id}"' in page
    assert "Room 204, building A" in page
    assert f'href="/works/{work_id}"' in page
    assert "<h1>This work is not open to you yet</h1>" in page


def test_the_download_403_offers_a_copy_to_download_not_permission_to_read(
        app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    file_id = file_ids(app, work_id)[0]
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    response = reader.get(f"/works/{work_id}/files/{file_id}?lang=en")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 403
    assert '<header class="site">' in page
    assert "Request a copy to download from the library" in page
    assert f"/works/{work_id}/request-copy" in page
    assert "Log in to read online" not in page


def test_a_reader_who_reads_online_is_not_offered_permission_to_read(app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    page = _page(reader, f"/works/{work_id}")
    assert "cấp quyền đọc" not in page
    assert "Yêu cầu thư viện cấp bản sao để tải về" in page
    assert "Đăng nhập để đọc trực tuyến" not in page
    assert "Phòng đọc" not in page, "a reader who reads online needs no reading room"


def test_a_guest_is_told_the_day_an_embargo_ends(app, accounts, publish):
    ends = date.today() + timedelta(days=40)
    work_id = publish("Luận văn hoãn công bố", "embargoed", embargo_until=ends)
    page = _page(client_from(app, OFF_CAMPUS), f"/works/{work_id}")
    assert f"Thời hạn cấm truy cập kết thúc ngày {ends:%d/%m/%Y}" in page
    assert f"Cấm truy cập đến {ends:%d/%m/%Y}" in page


def test_a_visitor_in_the_reading_room_is_not_sent_there(app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    page = _page(client_from(app, READING_ROOM), f"/works/{work_id}")
    assert app.config["READING_ROOM_ADDRESS"] not in page


def test_an_open_work_offers_no_next_steps(app, accounts, publish):
    work_id = publish("Luận văn mở", "open")
    page = _page(client_from(app, OFF_CAMPUS), f"/works/{work_id}")
    assert 'class="next-steps"' not in page


def test_a_refusal_never_tells_a_hidden_work_exists(app, accounts, publish):
    work_id = publish("Luận văn không công khai", "confidential")
    response = client_from(app, OFF_CAMPUS).get(f"/works/{work_id}/read")
    assert response.status_code == 404
    assert "next-steps" not in response.get_data(as_text=True)
