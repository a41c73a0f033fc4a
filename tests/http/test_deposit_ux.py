"""The deposit form as a depositor meets it (issue 15): the licence, an embargo request the
reviewer sees, required fields marked, a PDF-only picker, an error summary that links to
its fields, and the deposit link only for those who may deposit."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from markupsafe import escape

from helpers import csrf_token, deposit_form, login, submit_deposit, work_id_from
from repo_app.db import standalone_session
from repo_app.models import Work
from repo_app.services.site_info import DEFAULT_LICENCE


def _work(app, work_id: int) -> Work:
    with app.app_context(), standalone_session(app) as db:
        work = db.get(Work, work_id)
        db.expunge(work)
        return work


def test_submitting_without_the_licence_is_refused_on_its_field(client, accounts, make_pdf):
    login(client, "depositor@test.vn")
    client.get("/lang/en")
    response = submit_deposit(client, make_pdf("Chương 1.").read_bytes(), accept_licence="")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Accept the deposit licence to submit your work." in body
    assert 'href="#accept_licence"' in body  # the summary links to the checkbox


def test_the_accepted_licence_is_kept_with_the_work(app, client, accounts, make_pdf):
    app.config["DEPOSIT_LICENCE"] = "Giấy phép của Trường Đại học Mẫu, bản 2026."
    login(client, "depositor@test.vn")
    assert "Giấy phép của Trường Đại học Mẫu, bản 2026." in client.get("/deposit").get_data(
        as_text=True)
    response = submit_deposit(client, make_pdf("Chương 1.").read_bytes())
    assert response.status_code == 302
    work = _work(app, work_id_from(response))
    assert work.licence_text == "Giấy phép của Trường Đại học Mẫu, bản 2026."
    assert work.licence_accepted_at is not None


def test_a_draft_may_be_saved_before_the_licence_is_accepted(client, accounts):
    login(client, "depositor@test.vn")
    data = deposit_form(client, accept_licence="", save="1")
    response = client.post("/deposit", data=data, content_type="multipart/form-data")
    assert response.status_code == 302


def test_the_default_licence_is_shown_when_none_is_configured(client, accounts):
    login(client, "depositor@test.vn")
    client.get("/lang/en")
    assert str(escape(DEFAULT_LICENCE)) in client.get("/deposit").get_data(as_text=True)


def test_embargo_request_is_stored_and_shown_to_the_reviewer(app, client, accounts, make_pdf):
    until = date.today() + timedelta(days=400)
    login(client, "depositor@test.vn")
    response = submit_deposit(client, make_pdf("Sáng chế.").read_bytes(),
                              embargo_requested_until=until.isoformat(),
                              embargo_request_reason="Đang đăng ký sáng chế.")
    assert response.status_code == 302
    work_id = work_id_from(response)
    work = _work(app, work_id)
    assert work.embargo_requested_until == until
    assert work.embargo_request_reason == "Đang đăng ký sáng chế."
    assert work.embargo_until is None  # a request, not a decision
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "librarian@test.vn")
    queue = client.get("/review").get_data(as_text=True)
    assert 'class="embargo-asked"' in queue
    review = client.get(f"/review/{work_id}").get_data(as_text=True)
    assert "Đang đăng ký sáng chế." in review
    assert until.strftime("%d/%m/%Y") in review
    assert re.search(r'<option selected value="embargoed">', review)
    assert f'value="{until.isoformat()}"' in review


@pytest.mark.parametrize(("until", "reason", "message"), [
    (None, "Vì sáng chế.", "Give the day the embargo should end."),
    (date.today() - timedelta(days=1), "Vì sáng chế.", "must end after today"),
    (date.today() + timedelta(days=365 * 6), "Vì sáng chế.", "at most 5 years"),
    (date.today() + timedelta(days=30), "", "Say why the work needs an embargo"),
])
def test_an_embargo_request_needs_a_future_day_and_a_reason(client, accounts, make_pdf, until,
                                                           reason, message):
    login(client, "depositor@test.vn")
    client.get("/lang/en")
    response = submit_deposit(client, make_pdf(f"Chương {reason}{until}.").read_bytes(),
                              embargo_requested_until=until.isoformat() if until else "",
                              embargo_request_reason=reason)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_picker_accepts_pdf_only_and_required_fields_are_marked(client, accounts):
    login(client, "depositor@test.vn")
    client.get("/lang/en")
    page = client.get("/deposit").get_data(as_text=True)
    assert re.search(r'<input accept="application/pdf,.pdf"[^>]* id="files" multiple name="files"',
                     page)
    for name in ("title", "creators", "year"):
        assert re.search(rf'<label for="{name}">[^<]* <span class="required">\*', page), name
        assert re.search(rf'<(input|textarea)[^>]*id="{name}"[^>]*required', page), name
    assert '<label for="abstract">Abstract</label>' in page  # optional: no star
    assert 'class="upload-progress" hidden' in page


def test_error_summary_takes_focus_and_links_to_each_field(client, accounts):
    login(client, "depositor@test.vn")
    client.get("/lang/en")
    data = deposit_form(client, title="", creators="", save="1")
    body = client.post("/deposit", data=data, content_type="multipart/form-data").get_data(
        as_text=True)
    summary = body[body.index('<div class="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert 'tabindex="-1" autofocus' in summary
    assert 'href="#title"' in summary and 'href="#creators"' in summary
    assert body.index('class="error-summary"') < body.index('<form method="post" enctype')
    assert re.search(r'id="title"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="title"',
                     body)


def test_readers_are_not_offered_a_deposit(client, accounts):
    login(client, "reader@test.vn")
    mine = client.get("/my/works").get_data(as_text=True)
    assert 'href="/deposit"' not in mine
    assert client.get("/deposit").status_code == 403


def test_depositors_are_offered_a_deposit(client, accounts):
    login(client, "depositor@test.vn")
    assert 'href="/deposit"' in client.get("/my/works").get_data(as_text=True)


def test_the_upload_script_is_told_where_to_go_and_the_message_waits_there(client, accounts,
                                                                           make_pdf):
    """static/site.js sends the form itself (to show progress) and then opens the work."""
    login(client, "depositor@test.vn")
    client.get("/lang/en")
    data = deposit_form(client, submit_work="1")
    data["files"] = [(io.BytesIO(make_pdf("Chương 1.").read_bytes()), "luan-van.pdf")]
    response = client.post("/deposit", data=data, content_type="multipart/form-data",
                           headers={"X-Upload-Progress": "1"})
    assert response.status_code == 204
    target = response.headers["X-Redirect"]
    assert re.fullmatch(r"/works/\d+", target)
    assert "Your work was submitted for review." in client.get(target).get_data(as_text=True)


def test_degree_level_follows_the_type_unless_chosen(app, client, accounts, make_pdf):
    login(client, "depositor@test.vn")
    page = client.get("/deposit").get_data(as_text=True)
    select = page[page.index('<select id="degree_level"'):]
    select = select[:select.index("</select>")]
    assert "selected" not in select  # nothing chosen: the first option, the type's level
    assert re.search(r'<select id="degree_level" name="degree_level"><option value="">', select)
    response = submit_deposit(client, make_pdf("Chương 1.").read_bytes(), degree_level="",
                              type="doctoral_dissertation")
    assert _work(app, work_id_from(response)).degree_level == "doctoral"
