"""On-site reading (Library Law 2019 Art. 7, Circular 02/2020 Art. 32): a reader asks with a
purpose and a letter, a librarian approves for a period, and the work opens only in the reading
room, never for download or copy; the list of restricted resources is public."""

from __future__ import annotations

import io
from datetime import date, timedelta

from access.world import OFF_CAMPUS, READING_ROOM, client_from, file_ids
from sqlalchemy import select, update

from helpers import csrf_token
from repo_app.db import standalone_session
from repo_app.models import AuditEvent, OnsiteRequest

LETTER = b"%PDF-1.4\n% giay gioi thieu cua truong\n"


def _ask(client, work_id: int, letter: bytes = LETTER, purpose: str = "Luận án tiến sĩ"):
    url = f"/works/{work_id}/request-onsite"
    return client.post(url, data={"purpose": purpose, "csrf_token": csrf_token(client, url),
                                  "letter": (io.BytesIO(letter), "giay-gioi-thieu.pdf")},
                       content_type="multipart/form-data")


def _approve(client, request_id: int, start: date, end: date):
    token = csrf_token(client, "/onsite-requests")
    return client.post(f"/onsite-requests/{request_id}/approve", data={
        "valid_from": start.isoformat(), "valid_until": end.isoformat(), "csrf_token": token})


def _request_id(app) -> int:
    with standalone_session(app) as db:
        return db.scalar(select(OnsiteRequest.id).order_by(OnsiteRequest.id.desc()))


def test_a_reader_asks_a_librarian_approves_and_the_room_opens(app, accounts, publish):
    work_id = publish("Tài liệu đọc tại chỗ", "onsite", text="Nội dung hạn chế qxbimat.")
    file_id = file_ids(app, work_id)[0]
    at_home = client_from(app, OFF_CAMPUS, "reader@test.vn")
    page = at_home.get(f"/works/{work_id}").get_data(as_text=True)
    assert f"/works/{work_id}/request-onsite" in page
    assert "request-copy" not in page, "no copies of on-site works"
    assert _ask(at_home, work_id).status_code == 302
    assert "Waiting for the library" in at_home.get("/my/onsite-requests").get_data(
        as_text=True) or "Đang chờ thư viện" in at_home.get("/my/onsite-requests").get_data(
        as_text=True)
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    queue = librarian.get("/onsite-requests").get_data(as_text=True)
    assert "Luận án tiến sĩ" in queue and "giay-gioi-thieu.pdf" in queue
    letter = librarian.get(f"/onsite-requests/{_request_id(app)}/letter")
    assert letter.status_code == 200 and letter.data == LETTER
    assert _approve(librarian, _request_id(app), date.today(),
                    date.today() + timedelta(days=10)).status_code == 302
    mine = at_home.get("/my/onsite-requests").get_data(as_text=True)
    assert f"{date.today() + timedelta(days=10):%d/%m/%Y}" in mine  # the Vietnamese way
    in_room = client_from(app, READING_ROOM, "reader@test.vn")
    assert in_room.get(f"/works/{work_id}/read/{file_id}").status_code == 200
    assert in_room.get(f"/works/{work_id}/files/{file_id}/pages/1.png").status_code == 200
    assert in_room.get(f"/works/{work_id}/files/{file_id}").status_code == 403
    assert at_home.get(f"/works/{work_id}/read/{file_id}").status_code == 403
    found = in_room.get("/api/v1/search?q=qxbimat").get_json()
    assert found["total"] == 1
    assert at_home.get("/api/v1/search?q=qxbimat").get_json()["total"] == 0
    with standalone_session(app) as db:
        row = db.get(OnsiteRequest, _request_id(app))
        assert row.status == "approved" and row.decided_by_id == accounts["librarian"]
        actions = set(db.scalars(select(AuditEvent.action)))
        assert {"onsite_request.create", "onsite_request.approve"} <= actions


def test_a_permit_ends_on_its_last_day(app, accounts, publish):
    work_id = publish("Tài liệu đọc tại chỗ", "onsite")
    file_id = file_ids(app, work_id)[0]
    reader = client_from(app, READING_ROOM, "reader@test.vn")
    _ask(reader, work_id)
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    _approve(librarian, _request_id(app), date.today(), date.today() + timedelta(days=1))
    assert reader.get(f"/works/{work_id}/read/{file_id}").status_code == 200
    with standalone_session(app) as db:
        db.execute(update(OnsiteRequest).values(valid_until=date.today() - timedelta(days=1)))
        db.commit()
    assert client_from(app, READING_ROOM, "reader@test.vn").get(
        f"/works/{work_id}/read/{file_id}").status_code == 403


def test_a_request_needs_a_purpose_and_a_real_letter(app, accounts, publish):
    work_id = publish("Tài liệu đọc tại chỗ", "onsite")
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    no_purpose = _ask(reader, work_id, purpose="")
    assert no_purpose.status_code == 400
    fake = _ask(reader, work_id, letter=b"MZ\x90\x00 not a letter")
    assert fake.status_code == 400
    assert "PDF, JPEG or PNG" in fake.get_data(as_text=True) or \
        "PDF, JPEG hoặc PNG" in fake.get_data(as_text=True)
    with standalone_session(app) as db:
        assert db.scalar(select(OnsiteRequest)) is None


def test_only_librarians_and_the_requester_see_the_letter(app, accounts, publish):
    work_id = publish("Tài liệu đọc tại chỗ", "onsite")
    _ask(client_from(app, OFF_CAMPUS, "reader@test.vn"), work_id)
    url = f"/onsite-requests/{_request_id(app)}/letter"
    assert client_from(app, OFF_CAMPUS, "reader@test.vn").get(url).status_code == 200
    other = client_from(app, OFF_CAMPUS, "other@test.vn")
    assert other.get(url).status_code == 404 and LETTER not in other.get(url).data
    assert other.get("/onsite-requests").status_code == 403
    assert app.test_client().get(url).status_code == 302


def test_an_approval_cannot_end_before_it_starts_or_last_over_a_year(app, accounts, publish):
    work_id = publish("Tài liệu đọc tại chỗ", "onsite")
    _ask(client_from(app, OFF_CAMPUS, "reader@test.vn"), work_id)
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    today = date.today()
    _approve(librarian, _request_id(app), today, today - timedelta(days=1))
    _approve(librarian, _request_id(app), today, today + timedelta(days=400))
    with standalone_session(app) as db:
        assert db.get(OnsiteRequest, _request_id(app)).status == "pending"


def test_an_open_work_offers_no_onsite_request(app, accounts, publish):
    work_id = publish("Luận văn mở", "open")
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    assert "request-onsite" not in reader.get(f"/works/{work_id}").get_data(as_text=True)
    assert _ask(reader, work_id).status_code == 403


def test_the_list_of_restricted_resources_is_public(app, client, accounts, publish):
    onsite = publish("Tài liệu đọc tại chỗ", "onsite")
    restricted = publish("Luận văn hạn chế", "restricted")
    publish("=HYPERLINK(1) Luận văn bị cấm", "embargoed",
            embargo_until=date.today() + timedelta(days=30))
    publish("Hồ sơ mật", "confidential")
    publish("Luận văn mở", "open")
    page = client.get("/restricted-resources")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert body.index("Tài liệu đọc tại chỗ") < body.index("Luận văn hạn chế")
    assert f"/works/{onsite}" in body and f"/works/{restricted}" in body
    assert "Hồ sơ mật" not in body and "Luận văn mở" not in body
    csv_text = client.get("/restricted-resources.csv").get_data(as_text=True)
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[0] == "work_id,identifier,title,creators,year,type,faculty,restriction,until"
    assert len(lines) == 4
    assert "'=HYPERLINK" in csv_text and "Hồ sơ mật" not in csv_text
