"""Issue 14, item 10: uploads are checked before they are kept, wait outside the store until a
work takes them, are swept after a day, and ``repo-app check`` lists what the store holds that
no record refers to — never a blob some record does refer to."""

from __future__ import annotations

import io
import os
import time

from access.world import OFF_CAMPUS, client_from

from helpers import csrf_token
from repo_app import resources
from repo_app.db import Base, standalone_session
from repo_app.services import checking, sweeping

DAY = 86400


def _deposit(client, pdf: bytes, **fields):
    data = {"csrf_token": csrf_token(client, "/deposit"), "title": "Luận văn thử",
            "creators": "Trần Thị B", "type": "master_thesis", "year": "2021", "language": "vi",
            "collection_id": "0", "degree_level": "master", "save": "1",
            "files": (io.BytesIO(pdf), "luan-van.pdf")}
    data.update(fields)
    return client.post("/deposit", data=data, content_type="multipart/form-data")


def _pdf(make_pdf, text: str, padding_kb: int = 0) -> bytes:
    return make_pdf(text).read_bytes() + b"%" + b"x" * padding_kb * 1024 + b"\n"


def _objects(app) -> list[str]:
    with app.app_context():
        return list(resources.store().iter_hashes())


def _staged(app) -> list[str]:
    with app.app_context():
        return sorted(p.name for p in resources.store().staging.glob("*/*"))


def test_invalid_deposit_forms_put_nothing_in_the_store_and_their_uploads_go_after_a_day(
        app, accounts, make_pdf):
    depositor = client_from(app, OFF_CAMPUS, "depositor@test.vn")
    for n in range(3):
        response = _deposit(depositor, _pdf(make_pdf, f"Tệp {n}", 256), title="")
        assert response.status_code == 400
    assert _objects(app) == []
    staged = _staged(app)
    assert len(staged) == 3
    with app.app_context():
        for path in resources.store().staging.glob("*/*"):
            os.utime(path, (time.time() - 2 * DAY, time.time() - 2 * DAY))
        swept = sweeping.sweep()
    assert swept.staged_files == 3 and _staged(app) == []


def test_a_saved_deposit_moves_its_upload_into_the_store(app, accounts, make_pdf):
    depositor = client_from(app, OFF_CAMPUS, "depositor@test.vn")
    assert _deposit(depositor, _pdf(make_pdf, "Tệp lưu")).status_code == 302
    assert len(_objects(app)) == 1 and _staged(app) == []


def test_a_file_that_is_not_a_pdf_is_refused_before_it_is_kept(app, accounts):
    depositor = client_from(app, OFF_CAMPUS, "depositor@test.vn")
    response = _deposit(depositor, b"<html>" + b"x" * 100_000)
    assert response.status_code == 400
    assert _objects(app) == [] and _staged(app) == []


def test_one_request_carries_at_most_one_file_at_the_upload_limit(app, accounts, make_pdf):
    app.config["MAX_CONTENT_LENGTH"] = (1 + 16) * 1024 * 1024  # REPO_MAX_UPLOAD_MB=1
    depositor = client_from(app, OFF_CAMPUS, "depositor@test.vn")
    response = _deposit(depositor, _pdf(make_pdf, "Tệp lớn", 18 * 1024))
    assert response.status_code == 413
    assert _objects(app) == [] and _staged(app) == []


def test_an_account_cannot_keep_more_than_its_staging_quota_waiting(app, accounts, make_pdf):
    app.config["STAGING_QUOTA_MB"] = 1
    depositor = client_from(app, OFF_CAMPUS, "depositor@test.vn")
    depositor.set_cookie("lang", "en", domain="repo.test")
    assert _deposit(depositor, _pdf(make_pdf, "Một", 1100), title="").status_code == 400
    refused = _deposit(depositor, _pdf(make_pdf, "Hai", 10), title="")
    assert "uploads waiting to be saved" in refused.text
    assert len(_staged(app)) == 1
    other = client_from(app, OFF_CAMPUS, "other@test.vn")
    assert _deposit(other, _pdf(make_pdf, "Ba")).status_code == 302


def test_every_column_that_names_a_stored_blob_is_known_to_the_check():
    columns = {f"{t.name}.{c.name}" for t in Base.metadata.sorted_tables for c in t.columns
               if c.name == "sha256" or c.name.endswith("_sha256")}
    assert {"files.sha256", "onsite_requests.letter_sha256",
            "agency_report_submissions.sha256"} <= columns


def test_check_lists_an_orphan_but_not_the_blobs_records_refer_to(app, accounts, publish):
    publish("Luận văn mở", "open")
    with app.app_context():
        orphan = resources.store().put_stream(io.BytesIO(b"no record refers to this")).sha256
        with standalone_session(app) as db:
            report = checking.check(db)
    orphans = [p for p in report.problems if p.kind == "orphan_file"]
    assert [p.detail[:12] for p in orphans] == [orphan[:12]]
    assert len(_objects(app)) == 2


def test_repair_removes_only_orphans_older_than_a_day(app, accounts, publish):
    publish("Luận văn mở", "open")
    with app.app_context():
        store = resources.store()
        old = store.put_stream(io.BytesIO(b"left by a crash long ago")).sha256
        new = store.put_stream(io.BytesIO(b"written a moment ago")).sha256
        os.utime(store.path(old), (time.time() - 2 * DAY, time.time() - 2 * DAY))
        with standalone_session(app) as db:
            report = checking.check(db, repair=True)
        assert not store.exists(old) and store.exists(new)
    assert sorted(p.repaired for p in report.problems if p.kind == "orphan_file") == [False, True]


def test_the_api_checks_an_upload_before_it_is_kept(app, accounts, runner, make_pdf):
    from interop.test_api import DRAFT, bearer, new_token

    token = new_token(runner)
    client = app.test_client()
    work_id = client.post("/api/v1/works", json=DRAFT, headers=bearer(token)).get_json()["id"]
    url = f"/api/v1/works/{work_id}/files"
    for body in (b"<html>" + b"x" * 100_000, b""):
        response = client.post(url, data={"file": (io.BytesIO(body), "luan-van.pdf")},
                               headers=bearer(token), content_type="multipart/form-data")
        assert response.status_code == 400, response.get_json()
    assert _objects(app) == [] and _staged(app) == []
    # Another account's token cannot put a file on this draft, nor anything in the store.
    other = new_token(runner, "other@test.vn")
    response = client.post(url, data={"file": (io.BytesIO(_pdf(make_pdf, "Lạ")), "x.pdf")},
                           headers=bearer(other), content_type="multipart/form-data")
    assert response.status_code == 404
    assert _objects(app) == [] and _staged(app) == []
    saved = client.post(url, data={"file": (io.BytesIO(_pdf(make_pdf, "Của tôi")), "x.pdf")},
                        headers=bearer(token), content_type="multipart/form-data")
    assert saved.status_code == 201 and len(_objects(app)) == 1 and _staged(app) == []
