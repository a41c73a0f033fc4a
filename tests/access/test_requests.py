"""Request a copy: to the librarians only, rate-limited, granted for a while or declined."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from access.world import OFF_CAMPUS, client_from, file_ids
from sqlalchemy import select

from helpers import csrf_token
from repo_app.db import standalone_session
from repo_app.models import AccessGrant, AuditEvent, CopyRequest, Notification, User
from repo_app.models.types import utcnow


def _ask(client, work_id: int, message: str = "Cho luận án của tôi."):
    url = f"/works/{work_id}/request-copy"
    return client.post(url, data={"message": message, "csrf_token": csrf_token(client, url)})


def _pending_id(app) -> int:
    with app.app_context(), standalone_session(app) as db:
        return db.scalar(select(CopyRequest.id).where(CopyRequest.status == "pending"))


def _notes(app, email: str) -> list[Notification]:
    with app.app_context(), standalone_session(app) as db:
        user = db.scalar(select(User).where(User.email == email))
        return list(db.scalars(select(Notification).where(Notification.user_id == user.id)))


def _decide(client, request_id: int, action: str, **data):
    token = csrf_token(client, "/requests")
    return client.post(f"/requests/{request_id}/{action}", data={**data, "csrf_token": token})


def test_the_form_has_no_address_field_and_goes_to_the_librarians(app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    form = reader.get(f"/works/{work_id}/request-copy")
    assert form.status_code == 200
    fields = r'type="email"|name="(to|email|address|recipient)"'
    assert not re.search(fields, form.get_data(as_text=True))
    response = _ask(reader, work_id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/my/requests")
    assert [n.address for n in _notes(app, "librarian@test.vn")] == ["librarian@test.vn"]
    assert len(_notes(app, "admin@test.vn")) == 1
    assert _notes(app, "reader@test.vn") == []
    assert _notes(app, "depositor@test.vn") == []


def test_a_grant_opens_the_work_until_it_expires(app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    file_id = file_ids(app, work_id)[0]
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    download = f"/works/{work_id}/files/{file_id}"
    assert reader.get(download).status_code == 403
    _ask(reader, work_id)
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    queue = librarian.get("/requests").get_data(as_text=True)
    assert "Luận văn hạn chế" in queue and "reader@test.vn" in queue
    request_id = _pending_id(app)
    assert _decide(librarian, request_id, "grant", days="7").status_code == 302
    assert reader.get(download).status_code == 200
    mine = reader.get("/my/requests")
    assert mine.status_code == 200
    until = (utcnow() + timedelta(days=7)).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert f"{until:%d/%m/%Y}" in mine.get_data(as_text=True)  # in Vietnam's time
    assert len(_notes(app, "reader@test.vn")) == 1
    with app.app_context(), standalone_session(app) as db:
        grant = db.scalar(select(AccessGrant))
        assert grant.expires_at.date() == (utcnow() + timedelta(days=7)).date()
        actions = set(db.scalars(select(AuditEvent.action)))
        assert {"copy_request.create", "copy_request.grant"} <= actions
        grant.expires_at = utcnow() - timedelta(seconds=1)
        db.commit()
    assert reader.get(download).status_code == 403


def test_a_decline_tells_the_requester_why(app, accounts, publish):
    work_id = publish("Luận văn phong toả", "embargoed", embargo_until=utcnow().date()
                      + timedelta(days=30))
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    _ask(reader, work_id)
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    request_id = _pending_id(app)
    assert _decide(librarian, request_id, "decline", reason="").status_code == 302
    assert _pending_id(app) == request_id  # a decline needs a reason
    declined = _decide(librarian, request_id, "decline", reason="Tác giả chưa đồng ý")
    assert declined.status_code == 302
    notes = _notes(app, "reader@test.vn")
    assert len(notes) == 1 and "Tác giả chưa đồng ý" in notes[0].body
    assert notes[0].address == "reader@test.vn"
    assert "Tác giả chưa đồng ý" in reader.get("/my/requests").get_data(as_text=True)
    again = _decide(librarian, request_id, "grant", days="30")
    assert again.status_code == 302
    with app.app_context(), standalone_session(app) as db:
        assert db.scalar(select(AccessGrant)) is None


def test_only_librarians_decide(app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    _ask(client_from(app, OFF_CAMPUS, "reader@test.vn"), work_id)
    request_id = _pending_id(app)
    depositor = client_from(app, OFF_CAMPUS, "depositor@test.vn")
    assert depositor.get("/requests").status_code == 403
    token = csrf_token(depositor, "/my/requests")
    response = depositor.post(f"/requests/{request_id}/grant",
                              data={"days": "30", "csrf_token": token})
    assert response.status_code == 403
    assert client_from(app, OFF_CAMPUS).get("/requests").status_code == 302
    assert _pending_id(app) == request_id


def test_guests_are_sent_to_log_in(app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    guest = client_from(app, OFF_CAMPUS)
    page = guest.get(f"/works/{work_id}").get_data(as_text=True)
    assert "/login?next=" in page and "request-copy" in page
    response = guest.get(f"/works/{work_id}/request-copy")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_nothing_to_request_for_an_open_work(app, accounts, publish):
    work_id = publish("Luận văn mở", "open")
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    assert "request-copy" not in reader.get(f"/works/{work_id}").get_data(as_text=True)
    assert _ask(reader, work_id).status_code == 400
    assert _pending_id(app) is None


def test_confidential_work_cannot_be_requested(app, accounts, publish):
    work_id = publish("Tài liệu mật", "confidential")
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    assert reader.get(f"/works/{work_id}/request-copy").status_code == 404
    assert _ask_without_form(reader, work_id).status_code == 404


def _ask_without_form(client, work_id: int):
    token = csrf_token(client, "/my/requests")
    return client.post(f"/works/{work_id}/request-copy", data={"csrf_token": token})


def test_one_pending_request_per_work_and_a_few_an_hour(app, accounts, publish):
    app.config["COPY_REQUESTS_PER_HOUR"] = 2
    first, second, third = (publish(f"Luận văn {n}", "restricted", text=f"Văn bản {n}.")
                            for n in "abc")
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    reader.set_cookie("lang", "en", domain="repo.test")
    assert _ask(reader, first).status_code == 302
    duplicate = _ask(reader, first)
    assert duplicate.status_code == 400
    assert "already asked" in duplicate.get_data(as_text=True)
    assert _ask(reader, second).status_code == 302
    limited = _ask(reader, third)
    assert limited.status_code == 429
    assert "try again later" in limited.get_data(as_text=True)
    with app.app_context(), standalone_session(app) as db:
        assert len(db.scalars(select(CopyRequest)).all()) == 2


def test_a_mail_failure_keeps_the_decision(app, accounts, publish):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1)  # nothing listens on port 1
    work_id = publish("Luận văn hạn chế", "restricted")
    _ask(client_from(app, OFF_CAMPUS, "reader@test.vn"), work_id)
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    assert _decide(librarian, _pending_id(app), "grant", days="30").status_code == 302
    notes = _notes(app, "reader@test.vn")
    assert len(notes) == 1 and notes[0].sent_at is None and notes[0].error
    with app.app_context(), standalone_session(app) as db:
        assert db.scalar(select(CopyRequest.status)) == "granted"
