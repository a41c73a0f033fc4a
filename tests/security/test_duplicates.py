"""Issue 14, item 14: uploading a held file's exact bytes reveals nothing the depositor may not see.

"Already deposited" would confirm that the library holds a confidential
thesis to anyone who has (or guesses) its bytes. The answer to such an
upload is the same as to a new file; the librarians see the match in the
audit log.
"""

from __future__ import annotations

import io
from datetime import date

from access.world import OFF_CAMPUS, client_from, file_ids
from conftest import actor_for
from sqlalchemy import select

from helpers import csrf_token
from repo_app.db import standalone_session
from repo_app.models import AuditEvent, File, Work
from repo_app.services import files, works


def _bytes_of(app, work_id: int) -> bytes:
    with app.app_context(), standalone_session(app) as db:
        file = db.get(File, file_ids(app, work_id)[0])
        from repo_app import resources
        return resources.store().path(file.sha256).read_bytes()


def _deposit(client, pdf: bytes, title: str):
    token = csrf_token(client, "/deposit")
    return client.post("/deposit", content_type="multipart/form-data", data={
        "csrf_token": token, "title": title, "creators": "Trần Thị B", "type": "master_thesis",
        "year": "2021", "language": "vi", "collection_id": "0", "degree_level": "master",
        "save": "1",
        "files": (io.BytesIO(pdf), "luan-van.pdf")})


def test_a_confidential_works_bytes_are_accepted_as_if_new(app, accounts, publish):
    secret = publish("Luận văn mật", "confidential")
    other = client_from(app, OFF_CAMPUS, "other@test.vn")
    response = _deposit(other, _bytes_of(app, secret), "Bản sao thử")
    page = response.get_data(as_text=True)
    assert response.status_code == 302, page[:2000]
    assert "already" not in page and "đã được nộp" not in page
    with app.app_context(), standalone_session(app) as db:
        copy = db.scalar(select(Work).where(Work.title == "Bản sao thử"))
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "file.same_content"))
        assert event is not None and event.work_id == copy.id
        assert event.after["also_in"] == [secret]
    own_page = other.get(response.headers["Location"]).get_data(as_text=True)
    assert "Luận văn mật" not in own_page and f"/works/{secret}" not in own_page


def test_an_open_works_bytes_are_still_refused_as_a_duplicate(app, accounts, publish):
    public = publish("Luận văn mở", "open")
    other = client_from(app, OFF_CAMPUS, "other@test.vn")
    other.set_cookie("lang", "en", domain="repo.test")
    response = _deposit(other, _bytes_of(app, public), "Bản sao thử")
    assert response.status_code == 400
    assert "already been deposited" in response.get_data(as_text=True)


def test_bytes_of_another_depositors_draft_or_an_embargoed_work_are_accepted_as_if_new(
        app, accounts, publish, make_pdf):
    embargoed = publish("Luận văn cấm vận", "embargoed", embargo_until=date(2099, 1, 1))
    pdf = make_pdf("Bản nháp riêng của người khác.")
    with app.test_request_context(), standalone_session(app) as db, pdf.open("rb") as stream:
        staged = files.stage(stream, pdf.name)
        draft = works.create(db, actor_for(accounts["depositor"], "depositor"), works.WorkFields(
            title="Bản nháp riêng", type="master_thesis", year=2020, creators=["A"]),
            [staged], submit=False).id
    other = client_from(app, OFF_CAMPUS, "other@test.vn")
    for n, held in enumerate((_bytes_of(app, embargoed), _bytes_of(app, draft))):
        response = _deposit(other, held, f"Bản sao {n}")
        page = response.get_data(as_text=True)
        assert response.status_code == 302, page[:2000]
        assert "Luận văn cấm vận" not in page and "Bản nháp riêng" not in page


def test_the_api_says_nothing_of_a_confidential_works_bytes(app, accounts, publish, runner):
    from interop.test_api import DRAFT, bearer, new_token

    secret = publish("Luận văn mật qua API", "confidential")
    token = new_token(runner, "other@test.vn")
    client = app.test_client()
    work_id = client.post("/api/v1/works", json=DRAFT, headers=bearer(token)).get_json()["id"]
    response = client.post(f"/api/v1/works/{work_id}/files", headers=bearer(token),
                           data={"file": (io.BytesIO(_bytes_of(app, secret)), "x.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    body = response.get_data(as_text=True)
    assert "Luận văn mật qua API" not in body and f"/works/{secret}" not in body
