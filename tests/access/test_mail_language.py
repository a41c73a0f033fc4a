"""Mail speaks its recipient's language: the one they last chose on the site (switching
language, or the language they logged in from), else that of the page the mail was asked
from, else the site's default; librarians told of one event each read it in their own."""

from __future__ import annotations

from datetime import UTC, timedelta

from access.world import OFF_CAMPUS, client_from
from sqlalchemy import select

from helpers import csrf_token, login
from repo_app.db import standalone_session
from repo_app.models import AccessGrant, CopyRequest, Notification, User


def _locale(app, email: str) -> str | None:
    with app.app_context(), standalone_session(app) as db:
        return db.scalar(select(User.locale).where(User.email == email))


def _mail(app, email: str) -> list[Notification]:
    with app.app_context(), standalone_session(app) as db:
        return list(db.scalars(select(Notification).where(Notification.address == email)
                               .order_by(Notification.id)))


def _ask(client, work_id: int) -> None:
    url = f"/works/{work_id}/request-copy"
    response = client.post(url, data={"message": "Cho luận án của tôi.",
                                      "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302


def _decide(client, app, action: str, **data) -> None:
    with app.app_context(), standalone_session(app) as db:
        request_id = db.scalar(select(CopyRequest.id).where(CopyRequest.status == "pending"))
    token = csrf_token(client, "/requests")
    response = client.post(f"/requests/{request_id}/{action}", data={**data, "csrf_token": token})
    assert response.status_code == 302


def test_switching_language_when_logged_in_is_remembered_for_the_account(app, accounts):
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    assert _locale(app, "reader@test.vn") is None
    reader.get("/lang/en")
    assert _locale(app, "reader@test.vn") == "en"
    reader.get("/lang/xx")  # not a language of the site: nothing changes
    assert _locale(app, "reader@test.vn") == "en"
    reader.get("/lang/vi")
    assert _locale(app, "reader@test.vn") == "vi"


def test_the_language_chosen_before_logging_in_is_kept_at_login(app, accounts):
    guest = client_from(app, OFF_CAMPUS)
    guest.get("/lang/en")
    login(guest, "depositor@test.vn")
    assert _locale(app, "depositor@test.vn") == "en"
    login(client_from(app, OFF_CAMPUS), "librarian@test.vn")  # chose nothing: nothing kept
    assert _locale(app, "librarian@test.vn") is None


def test_each_librarian_is_told_of_a_copy_request_in_their_own_language(app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    client_from(app, OFF_CAMPUS, "admin@test.vn").get("/lang/en")
    _ask(client_from(app, OFF_CAMPUS, "reader@test.vn"), work_id)
    [english] = _mail(app, "admin@test.vn")
    assert english.subject == "New copy request for “Luận văn hạn chế”"
    assert english.body.startswith("Reader asks for a copy of “Luận văn hạn chế”.")
    [vietnamese] = _mail(app, "librarian@test.vn")  # chose nothing: the site's language
    assert vietnamese.subject == "Yêu cầu bản sao mới: “Luận văn hạn chế”"
    assert vietnamese.body.startswith("Reader yêu cầu bản sao “Luận văn hạn chế”.")


def test_a_requester_who_chose_english_is_answered_in_english(app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    reader.get("/lang/en")
    _ask(reader, work_id)
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    _decide(librarian, app, "decline", reason="Tác giả chưa đồng ý")
    [answer] = _mail(app, "reader@test.vn")
    assert answer.subject == "Your request for “Luận văn hạn chế” was declined"
    assert "The library declined your request" in answer.body
    assert "Reason: Tác giả chưa đồng ý" in answer.body


def test_a_requester_who_chose_nothing_is_answered_in_vietnamese(app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    _ask(client_from(app, OFF_CAMPUS, "reader@test.vn"), work_id)
    librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
    librarian.get("/lang/en")  # the librarian's language is not the requester's
    _decide(librarian, app, "grant", days="7")
    [answer] = _mail(app, "reader@test.vn")
    assert answer.subject == "Thư viện đã cấp quyền theo yêu cầu bản sao “Luận văn hạn chế” của bạn"
    assert "Bạn có thể đọc và tải về “Luận văn hạn chế” đến" in answer.body
    # The day the grant ends, written as Vietnamese pages write it (31/12/2026), in Vietnam's
    # time zone, however the librarian who granted it reads the site.
    with app.app_context(), standalone_session(app) as db:
        expires = db.scalar(select(AccessGrant.expires_at))
    day = (expires.replace(tzinfo=UTC) + timedelta(hours=7)).date()
    assert f"đến {day:%d/%m/%Y}" in answer.body


def test_an_english_answer_writes_the_grants_last_day_as_english_pages_do(app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    reader.get("/lang/en")
    _ask(reader, work_id)
    _decide(client_from(app, OFF_CAMPUS, "librarian@test.vn"), app, "grant", days="7")
    [answer] = _mail(app, "reader@test.vn")
    with app.app_context(), standalone_session(app) as db:
        expires = db.scalar(select(AccessGrant.expires_at))
    day = (expires.replace(tzinfo=UTC) + timedelta(hours=7)).date()
    assert f"until {day.isoformat()}." in answer.body


def test_a_password_reset_speaks_the_language_of_the_page_it_was_asked_from(app, accounts):
    guest = app.test_client()
    token = csrf_token(guest, "/password/forgot?lang=en")
    guest.post("/password/forgot?lang=en", data={"email": "reader@test.vn", "csrf_token": token})
    [mail] = _mail(app, "reader@test.vn")
    assert mail.subject == "Set your password"
    assert mail.body.startswith("Open this link within an hour to set a new password:")


def test_a_password_reset_speaks_the_accounts_own_language_first(app, accounts):
    chooser = client_from(app, OFF_CAMPUS, "reader@test.vn")
    chooser.get("/lang/vi")
    guest = app.test_client()
    token = csrf_token(guest, "/password/forgot?lang=en")
    guest.post("/password/forgot?lang=en", data={"email": "reader@test.vn", "csrf_token": token})
    [mail] = _mail(app, "reader@test.vn")
    assert mail.subject == "Đặt mật khẩu của bạn"
