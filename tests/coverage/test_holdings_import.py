"""Importing the holdings register from CSV: idempotent, line-numbered errors, good rows kept."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select

from repo_app.access import Actor
from repo_app.db import standalone_session
from repo_app.errors import UserError
from repo_app.models import Holding
from repo_app.services import holdings, works
from repo_app.vocab import Role

LIBRARIAN = Actor(role=Role.LIBRARIAN, name="test librarian")


def count_holdings(app) -> int:
    with standalone_session(app) as db:
        return db.scalar(select(func.count(Holding.id)))


def get(app, holding_id: str) -> Holding:
    with standalone_session(app) as db:
        return db.scalar(select(Holding).where(Holding.holding_id == holding_id))


def test_reimport_updates_and_never_duplicates(reg, app, load_holdings):
    rows = [reg.holding(n) for n in range(1, 4)]
    first = load_holdings(rows)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    again = load_holdings(rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    rows[1]["shelf_mark"] = "LV.MOI"
    changed = load_holdings(rows)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    assert count_holdings(app) == 3
    assert get(app, "H02").shelf_mark == "LV.MOI"


def test_reimport_keeps_the_link_to_the_work(reg, app, load_holdings, deposit):
    load_holdings([reg.holding(1)])
    work_id = deposit("Đã số hoá", holding_id="H01")
    load_holdings([reg.holding(1, title="Tên đã sửa")])
    stored = get(app, "H01")
    assert (stored.work_id, stored.link_status, stored.title) == (work_id, "linked", "Tên đã sửa")


def test_bad_rows_are_reported_by_line_and_good_rows_kept(reg, app):
    text = reg.csv_text([
        reg.holding(1),                                   # line 2: good
        {**reg.holding(2), "year": "20x1"},               # line 3: bad year
        {**reg.holding(3), "category": "bao_chi"},        # line 4: unknown category
        {**reg.holding(4), "format": "microfilm"},        # line 5: unknown format
        {**reg.holding(5), "holding_id": ""},             # line 6: no id
        {**reg.holding(6), "title": ""},                  # line 7: no title
        {**reg.holding(7), "type": "novel"},              # line 8: unknown type
        reg.holding(1),                                   # line 9: duplicate of line 2
        reg.holding(8),                                   # line 10: good
    ])
    with app.test_request_context(), standalone_session(app) as db:
        result = holdings.import_csv(db, LIBRARIAN, text.encode())
    problems = {e.line: (e.error.code, str(e.error)) for e in result.errors}
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9]
    assert problems[3] == ("holdings_year", "Year 20x1 is not a four-digit year.")
    assert problems[4][0] == "holdings_category" and "bao_chi" in problems[4][1]
    assert problems[5][0] == "holdings_format"
    assert problems[6][0] == "holdings_id"
    assert problems[7][0] == "holdings_title"
    assert problems[8][0] == "holdings_type"
    assert problems[9] == ("holdings_duplicate", "holding_id H01 already appears on line 2.")
    assert (result.created, result.rows) == (2, 9)
    assert count_holdings(app) == 2
    with result.report_path.open(encoding="utf-8") as handle:
        report = list(csv.DictReader(handle))
    assert [int(r["line"]) for r in report] == [3, 4, 5, 6, 7, 8, 9]


def test_line_numbers_follow_the_file_across_blank_lines_and_quoted_newlines(reg, app):
    header = ",".join(reg.COLUMNS)
    text = (f"{header}\n"
            "H01,\"Tiêu đề\nhai dòng\",A,2020,master_thesis,K,LV1,print,endogenous\n"
            "\n"
            "H02,Tiêu đề,A,1999x,master_thesis,K,LV2,print,endogenous\n")
    with app.test_request_context(), standalone_session(app) as db:
        result = holdings.import_csv(db, LIBRARIAN, text.encode())
    assert [e.line for e in result.errors] == [5]
    assert result.created == 1


def test_a_bom_is_accepted(reg, app):
    data = "\ufeff".encode() + reg.csv_text([reg.holding(1)]).encode()
    with app.test_request_context(), standalone_session(app) as db:
        result = holdings.import_csv(db, LIBRARIAN, data)
    assert (result.created, result.errors) == (1, [])


def test_a_non_utf8_file_is_one_clear_error_and_imports_nothing(reg, app):
    data = reg.csv_text([reg.holding(1, title="Luận văn")]).encode("cp1258", errors="replace")
    with app.test_request_context(), standalone_session(app) as db:
        with pytest.raises(UserError) as caught:
            holdings.import_csv(db, LIBRARIAN, data)
    assert caught.value.code == "holdings_encoding"
    assert "UTF-8" in str(caught.value)
    assert count_holdings(app) == 0


@pytest.mark.parametrize("header", [
    "holding_id,title,creators,year,type,faculty,shelf_mark,format",
    "holding_id,title,creators,year,type,faculty,shelf_mark,format,category,notes",
    "",
])
def test_a_wrong_header_is_refused(app, header):
    with app.test_request_context(), standalone_session(app) as db:
        with pytest.raises(UserError) as caught:
            holdings.import_csv(db, LIBRARIAN, f"{header}\n".encode())
    assert caught.value.code == "holdings_columns"


def test_creators_are_split_and_the_faculty_links_to_a_collection(reg, app, load_holdings):
    with app.test_request_context(), standalone_session(app) as db:
        faculty_id = works.collection_by_code(db, "khoa-kinh-te", "Khoa Kinh tế").id
        db.commit()
    load_holdings([reg.holding(1, "KHOA KINH TẾ", creators="Trần Thị B; Lê Văn C")])
    stored = get(app, "H01")
    assert stored.creators == ["Trần Thị B", "Lê Văn C"]
    assert stored.collection_id == faculty_id
