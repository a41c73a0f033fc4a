"""Deposit → review → publish, driven over HTTP as the people involved would."""

from __future__ import annotations

import re

from helpers import csrf_token, deposit_form, login, submit_deposit, work_id_from


def test_deposit_review_publish(client, accounts, make_pdf):
    login(client, "depositor@test.vn")
    pdf = make_pdf("Chương 1. Quản trị doanh nghiệp nhỏ ở Cần Thơ.").read_bytes()
    response = submit_deposit(client, pdf)
    assert response.status_code == 302
    work_id = work_id_from(response)

    mine = client.get("/my/works").get_data(as_text=True)
    assert "Quản trị kinh doanh trong doanh nghiệp nhỏ" in mine
    assert "Chờ duyệt" in mine or "Awaiting review" in mine

    anonymous = client.application.test_client()
    assert anonymous.get(f"/works/{work_id}").status_code == 404

    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "librarian@test.vn")
    assert "Quản trị kinh doanh trong doanh nghiệp nhỏ" in client.get("/review").get_data(as_text=True)
    token = csrf_token(client, f"/review/{work_id}")
    response = client.post(f"/review/{work_id}", data={
        "csrf_token": token, "access_level": "open", "access_after_embargo": "open",
        "publish": "1", "comment": "",
    })
    assert response.status_code == 302

    page = anonymous.get(f"/works/{work_id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Nguyễn Văn Bình" in body and "vnir/" in body
    file_id = re.search(rf"/works/{work_id}/files/(\d+)", body).group(1)
    download = anonymous.get(f"/works/{work_id}/files/{file_id}")
    assert download.status_code == 200 and download.data == pdf

    found = anonymous.get("/search?q=can tho").get_data(as_text=True)
    assert f"/works/{work_id}" in found


def test_return_with_comment_reaches_depositor(client, accounts, make_pdf):
    login(client, "depositor@test.vn")
    work_id = work_id_from(submit_deposit(client, make_pdf("Nội dung").read_bytes()))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "librarian@test.vn")
    token = csrf_token(client, f"/review/{work_id}")
    client.post(f"/review/{work_id}", data={
        "csrf_token": token, "access_level": "open", "access_after_embargo": "open",
        "return_work": "1", "comment": "Thiếu tóm tắt tiếng Anh",
    })
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "depositor@test.vn")
    assert "Thiếu tóm tắt tiếng Anh" in client.get("/my/works").get_data(as_text=True)
    assert client.get(f"/works/{work_id}/edit").status_code == 200


def test_form_requires_csrf(client, accounts, make_pdf):
    login(client, "depositor@test.vn")
    data = deposit_form(client)
    data.pop("csrf_token")
    assert client.post("/deposit", data=data).status_code == 400


class TestBadInputKeepsEverything:
    """Each mistake is answered on the form, in the UI language, with the rest kept."""

    def test_non_pdf_upload(self, client, accounts):
        login(client, "depositor@test.vn")
        response = submit_deposit(client, b"<html><body>not a pdf</body></html>", "fake.pdf")
        body = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "không phải là tệp PDF" in body
        assert "Nguyễn Văn Bình" in body and "Quản trị kinh doanh trong doanh nghiệp nhỏ" in body

    def test_empty_file(self, client, accounts):
        login(client, "depositor@test.vn")
        response = submit_deposit(client, b"", "empty.pdf")
        assert response.status_code == 400
        assert "trống" in response.get_data(as_text=True)

    def test_too_large_file(self, client, app, accounts):
        app.config["MAX_UPLOAD_MB"] = 1
        login(client, "depositor@test.vn")
        response = submit_deposit(client, b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
        assert response.status_code == 400
        assert "1 MB" in response.get_data(as_text=True)

    def test_missing_title_keeps_the_uploaded_file(self, client, accounts, make_pdf):
        login(client, "depositor@test.vn")
        response = submit_deposit(client, make_pdf("Nội dung").read_bytes(), title="")
        body = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "bắt buộc" in body
        assert "luan-van.pdf" in body  # listed as already uploaded
        staged = re.search(r'name="staged"[^>]*value="([^"]+)"', body).group(1)
        data = deposit_form(client, staged=staged, submit_work="1")
        response = client.post("/deposit", data=data, content_type="multipart/form-data")
        assert response.status_code == 302

    def test_forged_staged_token_is_ignored(self, client, accounts):
        login(client, "depositor@test.vn")
        data = deposit_form(client, staged="eyJzaGEyNTYiOiAiMDAwIn0.forged", submit_work="1")
        response = client.post("/deposit", data=data, content_type="multipart/form-data")
        assert response.status_code == 400
        assert "ít nhất một tệp PDF" in response.get_data(as_text=True)

    def test_duplicate_upload(self, client, accounts, make_pdf):
        login(client, "depositor@test.vn")
        pdf = make_pdf("Cùng một nội dung").read_bytes()
        assert submit_deposit(client, pdf).status_code == 302
        response = submit_deposit(client, pdf, title="Một luận văn khác")
        body = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "đã được nộp" in body and "Một luận văn khác" in body

    def test_bad_year(self, client, accounts, make_pdf):
        login(client, "depositor@test.vn")
        response = submit_deposit(client, make_pdf("x").read_bytes(), year="1200")
        assert response.status_code == 400
        assert "1900" in response.get_data(as_text=True)
