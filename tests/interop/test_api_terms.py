"""A deposit by the API asks what the deposit form asks (issue 15): the depositor accepts the
deposit licence (``"accept_licence": true``) or nothing is made, and may ask for an embargo
(a day and a reason), kept on the work exactly as the form keeps it and shown to the reviewer.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from helpers import csrf_token, deposit_form, login, submit_deposit, work_id_from
from repo_app.db import standalone_session
from repo_app.models import AuditEvent, Work

from .test_api import DRAFT, bearer, error_of, new_token

LICENCE = "Giấy phép nộp tài liệu của Trường Đại học Mẫu, bản 2026."
UNTIL = date.today() + timedelta(days=400)
REASON = "Đang đăng ký sáng chế."
WITHOUT_LICENCE = {k: v for k, v in DRAFT.items() if k != "accept_licence"}


@pytest.fixture
def token(app, runner, accounts) -> str:
    app.config["DEPOSIT_LICENCE"] = LICENCE
    return new_token(runner)


def works_in(app) -> int:
    with standalone_session(app) as db:
        return db.scalar(select(func.count()).select_from(Work))


def stored(app, work_id: int) -> Work:
    with app.app_context(), standalone_session(app) as db:
        work = db.get(Work, work_id)
        db.expunge(work)
        return work


@pytest.mark.parametrize("body", [WITHOUT_LICENCE, {**DRAFT, "accept_licence": False}],
                         ids=["missing", "false"])
def test_a_deposit_without_the_licence_is_refused_and_says_how_to_accept(app, client, token,
                                                                         body):
    response = client.post("/api/v1/works?lang=en", json=body, headers=bearer(token))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "licence_required" and error["field"] == "accept_licence"
    assert '"accept_licence": true' in error["message"]
    assert "/api/v1/licence" in error["message"]
    assert works_in(app) == 0


def test_the_refusal_is_in_vietnamese_by_default(client, token):
    response = client.post("/api/v1/works", json=WITHOUT_LICENCE, headers=bearer(token))
    assert "Hãy chấp nhận giấy phép nộp tài liệu" in error_message(response)


def error_message(response) -> str:
    return response.get_json()["error"]["message"]


@pytest.mark.parametrize(("change", "code"), [
    ({"accept_licence": "yes"}, "bad_field"),
    ({"embargo_requested_until": 20270101}, "bad_field"),
    ({"embargo_requested_until": "31/12/2027", "embargo_request_reason": REASON}, "bad_date"),
    ({"embargo_requested_until": "2027-02-30", "embargo_request_reason": REASON}, "bad_date"),
    ({"embargo_requested_until": UNTIL.isoformat()}, "embargo_reason_required"),
    ({"embargo_request_reason": REASON}, "embargo_day_required"),
    ({"embargo_requested_until": (date.today() - timedelta(days=1)).isoformat(),
      "embargo_request_reason": REASON}, "embargo_day_past"),
    ({"embargo_requested_until": (date.today() + timedelta(days=365 * 6)).isoformat(),
      "embargo_request_reason": REASON}, "embargo_too_long"),
])
def test_a_bad_embargo_request_is_400_on_its_field(app, client, token, change, code):
    response = client.post("/api/v1/works", json={**DRAFT, **change}, headers=bearer(token))
    assert response.status_code == 400 and error_of(response) == code
    field = response.get_json()["error"]["field"]
    assert field in {"accept_licence", "embargo_requested_until", "embargo_request_reason"}, \
        f"{code} names {field}, not a field of the terms"
    assert works_in(app) == 0


def test_the_accepted_licence_is_kept_word_for_word_and_audited(app, client, token):
    response = client.post("/api/v1/works", json=DRAFT, headers=bearer(token))
    assert response.status_code == 201
    body = response.get_json()
    assert body["licence_accepted_at"] and body["embargo_request"] is None
    work = stored(app, body["id"])
    assert work.licence_text == LICENCE and work.licence_accepted_at is not None
    with standalone_session(app) as db:
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "work.licence"))
    assert event.work_id == body["id"] and event.after == {"accepted_by": "depositor"}
    assert event.actor_id == work.depositor_id


def test_an_embargo_request_is_kept_as_the_form_keeps_it_and_shown_to_the_reviewer(
        app, client, token, make_pdf):
    asked = {**DRAFT, "embargo_requested_until": UNTIL.isoformat(),
             "embargo_request_reason": REASON}
    created = client.post("/api/v1/works", json=asked, headers=bearer(token))
    assert created.status_code == 201
    assert created.get_json()["embargo_request"] == {"until": UNTIL.isoformat(), "reason": REASON}
    work_id = created.get_json()["id"]
    with make_pdf("Sáng chế.").open("rb") as stream:
        client.post(f"/api/v1/works/{work_id}/files", headers=bearer(token),
                    data={"file": (stream, "sang-che.pdf")})
    submitted = client.post(f"/api/v1/works/{work_id}/submit", headers=bearer(token))
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["embargo_request"]["until"] == UNTIL.isoformat()
    by_api = stored(app, work_id)

    login(client, "depositor@test.vn")
    form = submit_deposit(client, make_pdf("Sáng chế, qua biểu mẫu.").read_bytes(),
                          embargo_requested_until=UNTIL.isoformat(),
                          embargo_request_reason=REASON)
    by_form = stored(app, work_id_from(form))
    kept = ("embargo_requested_until", "embargo_request_reason", "licence_text", "embargo_until",
            "status")
    assert {k: getattr(by_api, k) for k in kept} == {k: getattr(by_form, k) for k in kept}

    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "librarian@test.vn")
    review = client.get(f"/review/{work_id}").get_data(as_text=True)
    assert REASON in review and UNTIL.strftime("%d/%m/%Y") in review


def test_a_draft_made_without_the_licence_is_submitted_only_once_it_is_accepted(
        app, client, token, make_pdf):
    login(client, "depositor@test.vn")
    data = deposit_form(client, accept_licence="", save="1")
    data["files"] = [(io.BytesIO(make_pdf("Bản nháp.").read_bytes()), "ban-nhap.pdf")]
    saved = client.post("/deposit", data=data, content_type="multipart/form-data")
    draft_id = work_id_from(saved)
    assert stored(app, draft_id).licence_accepted_at is None
    refused = client.post(f"/api/v1/works/{draft_id}/submit", headers=bearer(token))
    assert refused.status_code == 400 and error_of(refused) == "licence_required"
    accepted = client.post(f"/api/v1/works/{draft_id}/submit", json={"accept_licence": True},
                           headers=bearer(token))
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "submitted"
    assert stored(app, draft_id).licence_text == LICENCE


def test_the_licence_is_published_for_scripts_in_both_languages(app, client):
    app.config["DEPOSIT_LICENCE"] = ""
    vietnamese = client.get("/api/v1/licence").get_json()
    english = client.get("/api/v1/licence?lang=en").get_json()
    assert vietnamese["language"] == "vi" and english["language"] == "en"
    assert english["licence"].startswith("I grant the library")
    assert vietnamese["licence"].startswith("Tôi trao cho thư viện")


def test_the_openapi_document_asks_for_the_licence(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    deposit = doc["components"]["schemas"]["DepositRequest"]
    assert "accept_licence" in deposit["required"]
    assert {"embargo_requested_until", "embargo_request_reason"} <= deposit["properties"].keys()
    assert doc["paths"]["/works"]["post"]["requestBody"]["content"]["application/json"][
        "schema"] == {"$ref": "#/components/schemas/DepositRequest"}
    assert "/licence" in doc["paths"]
