"""The coverage report over HTTP: who may see it, the exports, the upload form and the links."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from helpers import csrf_token, login
from repo_app.db import standalone_session
from repo_app.models import Holding

ROLE_EMAILS = {
    "anonymous": None,
    "reader": "reader@test.vn",
    "depositor": "depositor@test.vn",
    "librarian": "librarian@test.vn",
    "admin": "admin@test.vn",
}
STAFF_ONLY = {"anonymous": 302, "reader": 403, "depositor": 403, "librarian": 200, "admin": 200}
ROUTES = ["/reports/coverage", "/reports/coverage.json", "/reports/coverage.csv",
          "/reports/coverage/missing", "/reports/coverage/missing.csv",
          "/reports/holdings/import", "/reports/holdings/suggestions"]
SECRET_TITLE = "Luận văn mật khẩu-xyz"


def as_role(client, role: str) -> None:
    if ROLE_EMAILS[role]:
        login(client, ROLE_EMAILS[role])


@pytest.mark.parametrize("role", list(ROLE_EMAILS))
@pytest.mark.parametrize("path", ROUTES)
def test_reports_are_for_librarians_and_admins(client, accounts, load_holdings, reg, role, path):
    load_holdings([reg.holding(1, title=SECRET_TITLE)])
    as_role(client, role)
    response = client.get(path)
    assert response.status_code == STAFF_ONLY[role]
    if response.status_code != 200:
        body = response.get_data(as_text=True)
        assert SECRET_TITLE not in body and "H01" not in body
    if role == "anonymous":
        assert "/login" in response.headers["Location"]


def test_the_public_summary_shows_figures_but_no_work_lists(app, client, load_holdings, reg,
                                                            deposit):
    load_holdings([reg.holding(1, title=SECRET_TITLE), reg.holding(2)])
    deposit("Tác phẩm mở", ("",), holding_id="H02")
    app.config["PUBLIC_COVERAGE"] = "1"
    response = client.get("/reports/coverage?lang=en")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 of 2 holdings digitized (50%)" in body
    assert SECRET_TITLE not in body and "Tác phẩm mở" not in body
    assert "Holdings not yet digitized" not in body
    assert client.get("/reports/coverage.json").status_code == 302


def test_the_report_page_has_figures_charts_table_and_failed_extractions(client, accounts, known):
    login(client, "librarian@test.vn")
    response = client.get("/reports/coverage?lang=en")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "7 of 10 holdings digitized (70%)" in body
    assert "Target reached." in body
    assert body.count("<svg") == 2 and 'role="img"' in body and "<title" in body
    assert "viewBox=" in body and 'width="100%"' in body
    assert f'href="/works/{known["H06"]}"' in body and f'href="/works/{known["H07"]}"' in body
    # Khoa Kinh tế row, on a report dated after the plan's deadline
    assert "Deadline 2025-12-31 passed; 25% reached, 2 more works to digitize for 70%." in body
    assert "Definitions" in body


def test_the_json_export_has_the_documented_shape(client, accounts, known):
    login(client, "librarian@test.vn")
    response = client.get("/reports/coverage.json")
    assert response.status_code == 200
    data = response.get_json()
    assert {"date", "institution", "definitions", "targets", "overall", "by_faculty", "by_year",
            "by_type", "by_category"} <= set(data)
    assert data["institution"] == "Trường Đại học Mẫu"
    assert set(data["definitions"]) >= {"digitized", "searchable", "online"}
    assert data["overall"]["digitized_pct"] == 70.0
    assert data["overall"]["searchable_pct"] == 50.0
    assert [row["year"] for row in data["by_year"]] == [2020]


def test_the_csv_export_has_every_table(client, accounts, known):
    login(client, "librarian@test.vn")
    response = client.get("/reports/coverage.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    overall = next(r for r in rows if r["breakdown"] == "overall")
    assert (overall["holdings"], overall["digitized"], overall["digitized_pct"]) == (
        "10", "7", "70.0")
    assert {r["breakdown"] for r in rows} == {"definition", "target", "overall", "faculty",
                                              "year", "type", "category",
                                              "born_digital_deposits"}
    assert all(r["institution"] == "Trường Đại học Mẫu" and r["date"] for r in rows)


def test_the_missing_list_filters_and_exports(client, accounts, known, load_holdings, reg):
    login(client, "librarian@test.vn")
    page = client.get("/reports/coverage/missing?faculty=Khoa+Kinh+t%E1%BA%BF")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Luận văn số 8" in body and "Luận văn số 10" in body
    assert "Luận văn số 1<" not in body and "Luận văn số 7" not in body
    export = client.get("/reports/coverage/missing.csv?faculty=Khoa+Kinh+t%E1%BA%BF&year=2020")
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert [r["holding_id"] for r in rows] == ["H08", "H09", "H10"]
    none = client.get("/reports/coverage/missing.csv?year=1999")
    assert none.status_code == 200 and none.get_data(as_text=True).count("\n") == 1
    assert client.get("/reports/coverage/missing?year=abc").status_code == 400


def test_the_missing_list_comes_in_pages_that_keep_the_filters(client, accounts, load_holdings,
                                                               reg):
    from repo_app.services.coverage import MISSING_PAGE_SIZE

    many = MISSING_PAGE_SIZE + 3
    load_holdings([reg.holding(n, year=2019 if n % 2 else 2020) for n in range(1, 2 * many)])
    login(client, "librarian@test.vn")
    first = client.get("/reports/coverage/missing?year=2019&lang=en").get_data(as_text=True)
    assert f"{many} holdings" in first and "Page 1 of 2" in first
    assert first.count('data-label="Holding"') == MISSING_PAGE_SIZE
    assert 'href="/reports/coverage/missing?year=2019&amp;lang=en&amp;page=2" rel="next"' in first
    second = client.get("/reports/coverage/missing?year=2019&page=2&lang=en").get_data(as_text=True)
    assert second.count('data-label="Holding"') == 3 and "Page 2 of 2" in second
    assert 'data-label="Year">2020<' not in second, "the year filter is kept on the next page"
    past = client.get("/reports/coverage/missing?year=2019&page=99&lang=en").get_data(as_text=True)
    assert "Page 2 of 2" in past
    export = client.get("/reports/coverage/missing.csv?year=2019")
    assert export.get_data(as_text=True).count("\n") == many + 1, "the CSV has every page"


def upload(client, data: bytes, name: str = "holdings.csv"):
    token = csrf_token(client, "/reports/holdings/import")
    return client.post("/reports/holdings/import?lang=en",
                       data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_the_upload_form_imports_and_lists_bad_rows(client, accounts, reg):
    login(client, "librarian@test.vn")
    text = reg.csv_text([reg.holding(1), {**reg.holding(2), "year": "năm"}, reg.holding(3)])
    response = upload(client, text.encode())
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 rows: 2 added, 0 updated, 0 unchanged, 1 rejected" in body
    assert "<td>3</td><td>H02</td>" in body and "Year năm is not a four-digit year." in body


def test_the_upload_form_refuses_a_non_utf8_file(client, accounts, reg):
    login(client, "librarian@test.vn")
    response = upload(client, reg.csv_text([reg.holding(1, title="Luận văn")]).encode("utf-16"))
    assert response.status_code == 400
    assert "not UTF-8" in response.get_data(as_text=True)


def test_the_upload_needs_a_csrf_token(client, accounts, reg):
    login(client, "librarian@test.vn")
    response = client.post("/reports/holdings/import",
                           data={"file": (io.BytesIO(reg.csv_text([reg.holding(1)]).encode()),
                                          "h.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 400


def test_a_suggested_link_is_confirmed_by_a_librarian(client, app, accounts, deposit,
                                                      load_holdings, reg):
    work_id = deposit("Hệ thống Quản lý Đào tạo", creators=("Đặng Thị Hoà",), year=2019)
    result = load_holdings([reg.holding(1, title="HE THONG QUAN LY DAO TAO",
                                        creators="Dang Thi Hoa", year=2019)])
    assert result.suggested == 1
    login(client, "librarian@test.vn")
    page = client.get("/reports/holdings/suggestions")
    assert page.status_code == 200 and "Hệ thống Quản lý Đào tạo" in page.get_data(as_text=True)
    token = csrf_token(client, "/reports/holdings/suggestions")
    assert client.post("/reports/holdings/suggestions/1/confirm").status_code == 400
    confirmed = client.post("/reports/holdings/suggestions/1/confirm",
                            data={"csrf_token": token})
    assert confirmed.status_code == 303
    data = client.get("/reports/coverage.json").get_json()
    assert (data["overall"]["digitized"], data["born_digital_deposits"]) == (1, 0)
    assert client.post("/reports/holdings/suggestions/1/confirm",
                       data={"csrf_token": token}).status_code == 404
    with standalone_session(app) as db:
        linked = db.scalar(select(Holding).where(Holding.holding_id == "H01"))
        assert (linked.work_id, linked.link_status) == (work_id, "linked")


def test_a_rejected_suggestion_is_not_proposed_again(client, app, accounts, deposit,
                                                     load_holdings, reg):
    deposit("Luận văn số 1")
    load_holdings([reg.holding(1)])
    login(client, "librarian@test.vn")
    token = csrf_token(client, "/reports/holdings/suggestions")
    assert client.post("/reports/holdings/suggestions/1/reject",
                       data={"csrf_token": token}).status_code == 303
    client.post("/reports/holdings/suggestions/refresh", data={"csrf_token": token})
    body = client.get("/reports/holdings/suggestions?lang=en").get_data(as_text=True)
    assert "No suggestions are waiting." in body


@pytest.mark.parametrize("role", ["reader", "depositor"])
def test_only_staff_decide_suggestions(client, accounts, deposit, load_holdings, reg, role):
    deposit("Luận văn số 1")
    load_holdings([reg.holding(1)])
    login(client, ROLE_EMAILS[role])
    token = csrf_token(client, "/my/works")
    response = client.post("/reports/holdings/suggestions/1/confirm", data={"csrf_token": token})
    assert response.status_code == 403
