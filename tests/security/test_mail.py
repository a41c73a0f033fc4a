"""Issue 14, item 8: mail headers built from data never fail or inject; mail never fails a request.

A work titled with a line break and a forged header (possible through the
API) goes through request-a-copy and a librarian's decline with a real SMTP
server listening: every answer is an ordinary redirect, the subjects arrive
on one line, no injected header or recipient exists, and later requests
still mail.
"""

from __future__ import annotations

from access.world import OFF_CAMPUS, client_from
from security.smtp_server import smtp_server
from sqlalchemy import select

from helpers import csrf_token
from repo_app.db import standalone_session
from repo_app.models import CopyRequest, Notification

INJECTED = "Luận văn\r\nBcc: attacker@evil.example\r\n\r\nbody"


def _ask(client, work_id: int):
    url = f"/works/{work_id}/request-copy"
    return client.post(url, data={"message": "Xin bản sao.",
                                  "csrf_token": csrf_token(client, url)})


def _decline(client, request_id: int):
    token = csrf_token(client, "/requests")
    return client.post(f"/requests/{request_id}/decline",
                       data={"reason": "Không được phép.", "csrf_token": token})


def _pending_ids(app) -> list[int]:
    with app.app_context(), standalone_session(app) as db:
        return list(db.scalars(select(CopyRequest.id).where(CopyRequest.status == "pending")))


def test_a_title_with_a_line_break_is_mailed_on_one_line_with_no_injected_header(
        app, accounts, publish):
    bad = publish(INJECTED, "restricted")
    plain = publish("Luận văn bình thường", "restricted")
    with smtp_server() as (inbox, port):
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
        reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
        assert _ask(reader, bad).status_code == 302
        assert _ask(reader, plain).status_code == 302
        librarian = client_from(app, OFF_CAMPUS, "librarian@test.vn")
        for request_id in _pending_ids(app):
            assert _decline(librarian, request_id).status_code == 302
    recipients = {r for _, rcpts in inbox.envelopes for r in rcpts}
    assert "attacker@evil.example" not in recipients
    assert all("Bcc" not in m and "\n" not in str(m["Subject"]) for m in inbox.messages)
    # two requests x (librarian, admin) + two declines to the reader
    assert len(inbox.messages) == 6
    assert any("Bcc: attacker" in str(m["Subject"]) for m in inbox.messages)  # kept as text


def test_a_message_the_mail_library_refuses_is_marked_failed_and_the_rest_still_go(
        app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    with app.app_context(), standalone_session(app) as db:
        # An address no form would accept, as an older release might have stored.
        db.add(Notification(user_id=accounts["admin"], address="a@b\r\nBcc: x@evil.example",
                            subject="old", body="old"))
        db.commit()
    with smtp_server() as (inbox, port):
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
        reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
        assert _ask(reader, work_id).status_code == 302
    assert len(inbox.messages) == 2
    with app.app_context(), standalone_session(app) as db:
        broken = db.scalar(select(Notification).where(Notification.subject == "old"))
        assert broken.sent_at is None and broken.error


def test_a_mail_server_that_hangs_up_does_not_fail_the_request(app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1)  # nothing listens on port 1
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    assert _ask(reader, work_id).status_code == 302
    assert reader.get("/my/requests").status_code == 200
