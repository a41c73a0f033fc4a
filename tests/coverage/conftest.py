"""Fixtures for the coverage tests: a holdings CSV writer, real deposits, and the known register.

The known register (``known``) is the issue's example: 10 endogenous
holdings, 7 digitized (their works hold real PDFs), 5 of them searchable
(the other 2 are blank scans whose extraction reports ``empty``), and 5
online (one searchable work is confidential, one scan is under embargo).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from repo_app.access import Actor
from repo_app.db import standalone_session
from repo_app.services import files, holdings, works
from repo_app.vocab import Role

COLUMNS = ["holding_id", "title", "creators", "year", "type", "faculty", "shelf_mark", "format",
           "category"]
IT, ECON = "Khoa Công nghệ thông tin", "Khoa Kinh tế"
LIBRARIAN = Actor(user_id=None, role=Role.LIBRARIAN, name="test librarian")


def holding(n: int, faculty: str = IT, *, year: int = 2020, category: str = "endogenous",
            type_: str = "master_thesis", title: str | None = None,
            creators: str = "Nguyễn Văn A") -> dict[str, str]:
    return {"holding_id": f"H{n:02d}", "title": title or f"Luận văn số {n}", "creators": creators,
            "year": str(year), "type": type_, "faculty": faculty, "shelf_mark": f"LV.{n}",
            "format": "print", "category": category}


def csv_text(rows: list[dict[str, str]], columns: list[str] = COLUMNS) -> str:
    lines = [",".join(columns)]
    for row in rows:
        lines.append(",".join(_quote(row.get(c, "")) for c in columns))
    return "\n".join(lines) + "\n"


def _quote(value: str) -> str:
    return f'"{value}"' if any(ch in value for ch in ',"\n') else value


class Register:
    """The builders above, for test modules (a fixture, since test folders are not packages)."""

    IT, ECON, COLUMNS, LIBRARIAN = IT, ECON, COLUMNS, LIBRARIAN
    holding = staticmethod(holding)
    csv_text = staticmethod(csv_text)


@pytest.fixture
def reg() -> type[Register]:
    return Register


@pytest.fixture
def write_csv(tmp_path: Path):
    """Write a holdings CSV (text or rows) in a fresh directory; return its path."""
    def _write(content: str | list[dict[str, str]], name: str = "holdings.csv",
               encoding: str = "utf-8") -> Path:
        folder = tmp_path / "in"
        folder.mkdir(exist_ok=True)
        path = folder / name
        text = content if isinstance(content, str) else csv_text(content)
        path.write_bytes(text.encode(encoding))
        return path
    return _write


@pytest.fixture
def load_holdings(app: Flask):
    """Import holdings through the service, as the librarian's upload does."""
    def _load(rows: list[dict[str, str]]) -> holdings.ImportResult:
        with app.test_request_context(), standalone_session(app) as db:
            return holdings.import_csv(db, LIBRARIAN, csv_text(rows).encode())
    return _load


@pytest.fixture
def deposit(app: Flask, accounts: dict[str, int], tmp_path: Path):
    """Deposit and publish a work with one PDF per text ("" gives a blank scan); link it.

    Each PDF carries the work's title in its metadata, so equal texts still
    make distinct files (the repository refuses the same bytes twice).
    """
    from ingest.sample_pdf import write_pdf

    def _deposit(title: str, texts: tuple[str, ...] = ("Nội dung luận văn.",), *,
                 level: str = "open", holding_id: str | None = None,
                 embargo_until: date | None = None, creators: tuple[str, ...] = ("Nguyễn Văn A",),
                 year: int = 2020) -> int:
        with app.test_request_context(), standalone_session(app) as db:
            staged = []
            for i, text in enumerate(texts):
                pdf = write_pdf(tmp_path / f"{len(list(tmp_path.iterdir()))}.pdf", [text],
                                title=f"{title} {i}")
                with pdf.open("rb") as stream:
                    staged.append(files.stage(stream, pdf.name))
            owner = Actor(user_id=accounts["depositor"], role=Role.DEPOSITOR)
            fields = works.WorkFields(title=title, creators=list(creators), type="master_thesis",
                                      year=year)
            work = works.create(db, owner, fields, staged, submit=True)
            staff = Actor(user_id=accounts["librarian"], role=Role.LIBRARIAN)
            works.publish(db, staff, work, works.AccessSettings(
                level=level, embargo_until=embargo_until, reason="test"))
            if holding_id is not None:
                assert holdings.link_work(db, holding_id, work)
                db.commit()
            return work.id
    return _deposit


@pytest.fixture
def known(load_holdings, deposit) -> dict[str, int]:
    """The issue's register: 10 holdings, 7 digitized, 5 searchable, 5 online."""
    load_holdings([holding(n, IT if n <= 6 else ECON) for n in range(1, 11)])
    later = date(2099, 1, 1)
    plan = {
        "H01": ("open", ("Chương 1", "Phụ lục")),  # two files: counted once
        "H02": ("open", ("Chương 1",)),
        "H03": ("campus", ("Chương 1",)),
        "H04": ("restricted", ("Chương 1",)),
        "H05": ("confidential", ("Chương 1",)),  # searchable, not online
        "H06": ("open", ("",)),  # blank scan: digitized, online, not searchable
        "H07": ("embargoed", ("",)),  # blank scan under embargo: digitized only
    }
    return {hid: deposit(f"Tác phẩm {hid}", texts, level=level, holding_id=hid,
                         embargo_until=later if level == "embargoed" else None)
            for hid, (level, texts) in plan.items()}
