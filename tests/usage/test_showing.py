"""Where usage is shown: the work page, the API, the librarians' report and its CSV."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask

from helpers import login
from repo_app.db import standalone_session
from repo_app.services import usage
from repo_app.services import works as works_service

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


@pytest.fixture
def counting(app: Flask) -> Flask:
    app.config.update(USAGE_STATISTICS=True, USAGE_FLUSH_SECONDS=0)
    return app


def visit(client, url: str, address: str = "203.0.113.9"):
    return client.get(url, headers={"User-Agent": BROWSER}, environ_base={"REMOTE_ADDR": address})


def first_file(client, work_id: int) -> int:
    body = client.get(f"/api/v1/works/{work_id}").get_json()
    return body["files"][0]["id"]


def test_the_work_page_shows_its_counts(counting, client, publish):
    work_id = publish("Luận văn có lượt xem")
    visit(client, f"/works/{work_id}", "203.0.113.1")
    page = visit(client, f"/works/{work_id}?lang=en", "203.0.113.2").get_data(as_text=True)
    assert 'class="usage"' in page
    assert "1 view" in page  # the page counts after it is answered: the second view is not yet in
    assert "0 downloads" in page


def test_the_work_page_shows_counts_in_vietnamese(counting, client, publish):
    work_id = publish("Luận văn tiếng Việt")
    page = visit(client, f"/works/{work_id}").get_data(as_text=True)
    assert "lượt xem" in page and "lượt tải" in page and "lượt đọc trực tuyến" in page


def test_the_api_gives_the_usage_object(counting, client, publish):
    work_id = publish("Luận văn qua API")
    file_id = first_file(client, work_id)
    visit(client, f"/works/{work_id}")
    visit(client, f"/works/{work_id}/files/{file_id}")
    visit(client, f"/works/{work_id}/read/{file_id}")
    visit(client, f"/works/{work_id}/read/{file_id}", "198.51.100.3")
    body = client.get(f"/api/v1/works/{work_id}").get_json()
    assert body["usage"] == {"views": 1, "downloads": 1, "reads": 2}


def test_a_confidential_work_shows_no_usage(counting, client, publish):
    work_id = publish("Báo cáo mật nội bộ", "confidential")
    login(client, "depositor@test.vn")  # the depositor sees the work, and is counted
    page = visit(client, f"/works/{work_id}")
    assert page.status_code == 200
    again = visit(client, f"/works/{work_id}?lang=en", "198.51.100.4").get_data(as_text=True)
    assert 'class="usage"' not in again and "1 view" not in again
    body = client.get(f"/api/v1/works/{work_id}").get_json()
    assert "usage" not in body


def test_the_api_hides_a_confidential_work_and_its_usage_from_others(counting, client, publish):
    work_id = publish("Báo cáo mật khác", "confidential")
    assert client.get(f"/api/v1/works/{work_id}").status_code == 404


def faculty(app: Flask, code: str, name: str) -> int:
    with standalone_session(app) as db:
        collection_id = works_service.collection_by_code(db, code, name).id
        db.commit()
        return collection_id


@pytest.fixture
def used(counting, client, publish) -> dict[str, int]:
    """Two works of two faculties, used by guests this month."""
    works = {"kt": publish("Kinh tế may mặc",
                           collection_id=faculty(counting, "kt", "Khoa Kinh tế")),
             "cntt": publish("Tìm kiếm không dấu",
                             collection_id=faculty(counting, "cntt", "Khoa Công nghệ thông tin"))}
    for n in range(3):
        visit(client, f"/works/{works['kt']}", f"203.0.113.{n + 10}")
    visit(client, f"/works/{works['cntt']}")
    file_id = first_file(client, works["cntt"])
    visit(client, f"/works/{works['cntt']}/files/{file_id}")
    visit(client, f"/works/{works['cntt']}/files/{file_id}", "203.0.113.99")
    return works


def test_the_report_is_for_librarians(used, client):
    login(client, "reader@test.vn")
    assert client.get("/reports/usage").status_code == 403
    assert client.get("/reports/usage.csv").status_code == 403


def test_the_report_lists_top_works_faculties_and_months(used, client, counting):
    login(client, "librarian@test.vn")
    page = client.get("/reports/usage").get_data(as_text=True)
    # Files used rank first: the downloaded work above the one only viewed.
    assert page.index("Tìm kiếm không dấu") < page.index("Kinh tế may mặc")
    with counting.test_request_context():
        this_month = usage.today().strftime("%Y-%m")
    assert this_month in page
    assert "<td>3</td>" in page  # three views of the economics thesis, three visitors


def test_the_csv_has_every_breakdown(used, client, counting):
    login(client, "librarian@test.vn")
    response = client.get("/reports/usage.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["breakdown"] for r in rows} == {"overall", "month", "faculty", "work"}
    overall = next(r for r in rows if r["breakdown"] == "overall")
    assert (overall["views"], overall["unique_views"], overall["downloads"]) == ("4", "4", "2")
    work = next(r for r in rows if r["breakdown"] == "work" and r["title"] == "Kinh tế may mặc")
    assert (work["group"], work["views"], work["downloads"]) == (str(used["kt"]), "3", "0")
    assert work["faculty"] == "Khoa Kinh tế"
    assert {r["group"] for r in rows if r["breakdown"] == "faculty"} == {
        "Khoa Kinh tế", "Khoa Công nghệ thông tin"}


def test_a_bad_month_is_a_message_not_a_crash(used, client):
    login(client, "librarian@test.vn")
    response = client.get("/reports/usage?start=2026-13")
    assert response.status_code == 400
    assert "YYYY-MM" in response.get_data(as_text=True)


def test_the_period_is_whole_months():
    from datetime import date

    from repo_app.services.usage_report import Period

    period = Period.months("2026-02", "2026-03", date(2026, 12, 4))
    assert (period.start, period.end) == (date(2026, 2, 1), date(2026, 3, 31))
    default = Period.months("", "", date(2026, 12, 4))
    assert (default.start, default.end) == (date(2026, 1, 1), date(2026, 12, 31))
