"""Issue 14, item 3: restricted reading is a deterrent made as strong as it can be.

A daily page budget per work for readers who may not download it (staff and
the depositor excepted) with the librarians told; a watermark that survives
thresholding and cropping, differs on every request and names the request;
pages at a reading resolution.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from access.world import OFF_CAMPUS, READING_ROOM, client_from, file_ids
from PIL import Image
from sqlalchemy import select

from repo_app import resources
from repo_app.db import standalone_session
from repo_app.models import AuditEvent, File, Notification, ReaderPageView, User

PAGES = [f"Trang {n}. Nội dung bí mật của luận văn hạn chế, dòng {n}." for n in range(1, 5)]


@pytest.fixture
def restricted(app, make_pdf, publish_file):
    app.config["READER_PAGES_PER_DAY"] = 2
    work_id = publish_file(make_pdf(*PAGES), "restricted", title="Luận văn hạn chế")
    return work_id, file_ids(app, work_id)[0]


def _page(client, work_id: int, file_id: int, page: int):
    return client.get(f"/works/{work_id}/files/{file_id}/pages/{page}.png")


def test_a_member_reads_two_pages_a_day_and_may_turn_back_to_them(app, accounts, restricted):
    work_id, file_id = restricted
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    reader.set_cookie("lang", "en", domain="repo.test")
    codes = [_page(reader, work_id, file_id, p).status_code for p in (1, 2, 1, 2)]
    assert codes == [200, 200, 200, 200]
    refused = _page(reader, work_id, file_id, 3)
    assert refused.status_code == 429 and "today" in refused.text
    assert not refused.data.startswith(b"\x89PNG")
    page = reader.get(f"/works/{work_id}/read/{file_id}?page=3")
    assert page.status_code == 429 and "pages/3.png" not in page.text
    assert _page(client_from(app, OFF_CAMPUS, "other@test.vn"), work_id, file_id, 3).status_code \
        == 200


def test_guests_in_the_reading_room_are_counted_by_address(app, accounts, restricted):
    work_id, file_id = restricted
    guest = client_from(app, READING_ROOM)
    assert [_page(guest, work_id, file_id, p).status_code for p in (1, 2, 3)] == [200, 200, 429]


def test_staff_and_the_depositor_are_not_metered(app, accounts, restricted):
    work_id, file_id = restricted
    for email in ("librarian@test.vn", "depositor@test.vn"):
        client = client_from(app, OFF_CAMPUS, email)
        assert [_page(client, work_id, file_id, p).status_code for p in (1, 2, 3, 4)] == [200] * 4


def test_librarians_are_told_once_of_bulk_reading(app, accounts, restricted):
    work_id, file_id = restricted
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    for page in (1, 2, 3, 4, 3):
        _page(reader, work_id, file_id, page)
    with app.app_context(), standalone_session(app) as db:
        events = db.scalars(select(AuditEvent).where(AuditEvent.action == "reader.daily_limit"))
        assert [(e.work_id, e.after["viewer"]) for e in events] == [
            (work_id, f"user:{accounts['reader']}")]
        told = {db.get(User, n.user_id).email for n in db.scalars(select(Notification))}
        assert told == {"librarian@test.vn", "admin@test.vn"}
        assert all("Reader" in n.body and "Luận văn hạn chế" in n.subject
                   for n in db.scalars(select(Notification)))


def _gray(response) -> np.ndarray:
    assert response.status_code == 200 and response.mimetype == "image/png"
    return np.asarray(Image.open(io.BytesIO(response.data)).convert("L"))


def _clean_page(app, file_id: int, page: int) -> np.ndarray:
    with app.app_context(), standalone_session(app) as db:
        sha = db.get(File, file_id).sha256
        path = resources.page_cache().image(sha, app.config["READER_PAGE_WIDTH"], page)
        return np.asarray(Image.open(path).convert("L"))


def test_the_watermark_survives_any_threshold_and_any_crop(app, accounts, restricted):
    work_id, file_id = restricted
    marked = _gray(_page(client_from(app, OFF_CAMPUS, "reader@test.vn"), work_id, file_id, 1))
    clean = _clean_page(app, file_id, 1)
    height, width = marked.shape
    body = (slice(0, height - 60), slice(0, width))  # the footer stamp cut off
    for threshold in (32, 64, 96, 128, 160, 192, 224):
        added = (marked[body] < threshold) & (clean[body] >= threshold)
        assert added.mean() > 0.03, threshold  # black dots the clean page does not have
        for top in range(0, height - 60 - 200, 200):  # any 200 x 200 crop still carries it
            for left in range(0, width - 200, 200):
                assert added[top:top + 200, left:left + 200].any(), (threshold, top, left)


def test_the_watermark_is_mid_tone_and_leaves_the_text_legible(app, accounts, restricted):
    work_id, file_id = restricted
    marked = _gray(_page(client_from(app, OFF_CAMPUS, "reader@test.vn"), work_id, file_id, 1))
    clean = _clean_page(app, file_id, 1)
    text = clean < 100
    assert (marked[text] < 100).all()  # no text pixel is lightened
    darkened = (marked < clean).mean()
    assert 0.03 < darkened < 0.35  # present everywhere, covering a minority of the page


def test_every_request_gets_its_own_watermark_and_code(app, accounts, restricted):
    work_id, file_id = restricted
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    first, second = (_page(reader, work_id, file_id, 1).data for _ in range(2))
    assert first != second
    with app.app_context(), standalone_session(app) as db:
        marks = list(db.scalars(select(ReaderPageView.mark)))
    assert len(marks) == 2 and len(set(marks)) == 2 and all(len(m) == 6 for m in marks)


def test_pages_are_made_for_reading_not_for_ocr(app, accounts, restricted):
    work_id, file_id = restricted
    image = _gray(_page(client_from(app, OFF_CAMPUS, "reader@test.vn"), work_id, file_id, 1))
    assert image.shape[1] == app.config["READER_PAGE_WIDTH"] <= 1000  # ~120 dpi on A4
