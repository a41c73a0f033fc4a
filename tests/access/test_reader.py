"""The restricted reader: page images only, watermarked, not cacheable, rate-limited."""

from __future__ import annotations

import io

from access.world import CAMPUS, OFF_CAMPUS, READING_ROOM, client_from, file_ids, set_file_level
from PIL import Image

SECRET = "bimatdoc"


def _png(response) -> Image.Image:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "image/png"
    return Image.open(io.BytesIO(response.data))


def test_reading_room_guest_reads_a_restricted_work_page_by_page(app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted", text=f"Văn bản {SECRET}.")
    file_id = file_ids(app, work_id)[0]
    guest = client_from(app, READING_ROOM)
    start = guest.get(f"/works/{work_id}/read")
    assert start.status_code == 302
    assert start.headers["Location"].endswith(f"/works/{work_id}/read/{file_id}")
    page = guest.get(start.headers["Location"])
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store, private"
    body = page.get_data(as_text=True)
    assert f"/works/{work_id}/files/{file_id}/pages/1.png" in body
    assert f"/works/{work_id}/files/{file_id}\"" not in body  # no download link
    assert SECRET not in body
    image = guest.get(f"/works/{work_id}/files/{file_id}/pages/1.png")
    assert image.headers["Cache-Control"] == "no-store, private"
    assert _png(image).width == app.config["READER_PAGE_WIDTH"] == 1000
    assert SECRET.encode() not in image.data


def test_each_reader_gets_their_own_watermark(app, accounts, publish):
    work_id = publish("Luận văn", "restricted")
    file_id = file_ids(app, work_id)[0]
    url = f"/works/{work_id}/files/{file_id}/pages/1.png"
    reader = _png(client_from(app, OFF_CAMPUS, "reader@test.vn").get(url))
    other = _png(client_from(app, OFF_CAMPUS, "other@test.vn").get(url))
    guest = _png(client_from(app, READING_ROOM).get(url))
    assert reader.tobytes() != other.tobytes() != guest.tobytes()
    # The legible stamp sits in a band along the foot of the page.
    foot = reader.crop((0, reader.height - 30, reader.width, reader.height)).convert("L")
    assert foot.getextrema()[0] < 128


def test_pages_outside_the_document_are_404(app, accounts, publish):
    work_id = publish("Luận văn", "open")
    file_id = file_ids(app, work_id)[0]
    client = client_from(app, OFF_CAMPUS)
    assert client.get(f"/works/{work_id}/files/{file_id}/pages/1.png").status_code == 200
    assert client.get(f"/works/{work_id}/files/{file_id}/pages/0.png").status_code == 404
    assert client.get(f"/works/{work_id}/files/{file_id}/pages/99.png").status_code == 404


def test_page_rate_limit_answers_429_per_user(app, accounts, publish):
    app.config["READER_PAGES_PER_MINUTE"] = 3
    work_id = publish("Luận văn", "restricted")
    file_id = file_ids(app, work_id)[0]
    url = f"/works/{work_id}/files/{file_id}/pages/1.png"
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    reader.set_cookie("lang", "en", domain="repo.test")
    assert [reader.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = reader.get(url)
    assert refused.status_code == 429
    assert "wait a minute" in refused.get_data(as_text=True)
    assert not refused.data.startswith(b"\x89PNG")
    page = reader.get(f"/works/{work_id}/read/{file_id}")
    assert page.status_code == 429
    assert "wait a minute" in page.get_data(as_text=True) and "pages/1.png" not in page.get_data(
        as_text=True)
    other = client_from(app, OFF_CAMPUS, "other@test.vn")
    assert other.get(url).status_code == 200


def test_page_rate_limit_counts_guests_by_address(app, accounts, publish):
    app.config["READER_PAGES_PER_MINUTE"] = 2
    work_id = publish("Luận văn", "open")
    file_id = file_ids(app, work_id)[0]
    url = f"/works/{work_id}/files/{file_id}/pages/1.png"
    first = client_from(app, CAMPUS)
    assert [first.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert client_from(app, "10.10.9.9").get(url).status_code == 200


def test_file_id_of_another_work_is_404_in_the_reader(app, accounts, publish):
    mine = publish("Mở", "open")
    secret = publish("Mật", "confidential", text=f"Văn bản {SECRET}.")
    secret_file = file_ids(app, secret)[0]
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    for url in (f"/works/{mine}/read/{secret_file}",
                f"/works/{mine}/files/{secret_file}/pages/1.png"):
        assert librarian.get(url).status_code == 404
        assert client_from(app, OFF_CAMPUS).get(url).status_code == 404


def test_open_work_with_a_restricted_file(app, accounts, publish, make_pdf):
    work_id = publish("Luận văn mở có phụ lục", "open")
    file_id = file_ids(app, work_id)[0]
    set_file_level(app, file_id, "restricted")
    guest = client_from(app, OFF_CAMPUS)
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    assert guest.get(f"/works/{work_id}").status_code == 200
    assert guest.get(f"/works/{work_id}/files/{file_id}").status_code == 403
    assert guest.get(f"/works/{work_id}/files/{file_id}/pages/1.png").status_code == 403
    assert guest.get(f"/works/{work_id}/read").status_code == 403
    assert reader.get(f"/works/{work_id}/files/{file_id}").status_code == 403
    assert reader.get(f"/works/{work_id}/files/{file_id}/pages/1.png").status_code == 200
    page = reader.get(f"/works/{work_id}").get_data(as_text=True)
    assert f"/works/{work_id}/read/{file_id}" in page
    assert f"/works/{work_id}/request-copy" in page
