"""``repo-app holdings import`` and ``repo-app coverage``: exit status, messages, formats."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import date

from sqlalchemy import select

from repo_app.db import standalone_session
from repo_app.models import CoverageSnapshot


def test_import_command_loads_the_register(runner, write_csv, reg):
    path = write_csv([reg.holding(n) for n in range(1, 4)])
    result = runner.invoke(args=["holdings", "import", str(path)])
    assert result.exit_code == 0, result.output
    # the summary is in the site's language (Vietnamese): tests/coverage/test_holdings_messages.py
    assert "3 dòng: thêm 3, cập nhật 0, giữ nguyên 0, bị loại 0" in result.output
    again = runner.invoke(args=["holdings", "import", str(path)])
    assert "3 dòng: thêm 0, cập nhật 0, giữ nguyên 3, bị loại 0" in again.output


def test_import_command_with_bad_rows_keeps_good_ones_and_names_the_report(runner, write_csv,
                                                                            reg):
    path = write_csv([reg.holding(1), {**reg.holding(2), "format": "cd"}, reg.holding(3)])
    result = runner.invoke(args=["holdings", "import", str(path)])
    assert result.exit_code == 1
    assert "dòng 3: H02: format cd không thuộc: print, digital, both." in result.stderr
    assert "thêm 2" in result.stdout
    report_path = result.stderr.split("Báo cáo: ")[1].strip()
    with open(report_path, encoding="utf-8") as handle:
        assert [r["line"] for r in csv.DictReader(handle)] == ["3"]


def test_import_command_refuses_a_non_utf8_file_with_one_message(runner, write_csv, reg):
    # What Excel on a Vietnamese Windows saves by default: Windows-1258, decomposed tones.
    text = reg.csv_text([reg.holding(1, "Khoa Luat", title="Đại học", creators="Lan")])
    path = write_csv(unicodedata.normalize("NFD", text), encoding="cp1258")
    result = runner.invoke(args=["holdings", "import", str(path)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "không phải văn bản UTF-8" in result.stderr
    assert "Traceback" not in result.output


def test_coverage_json(runner, known):
    result = runner.invoke(args=["coverage", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["date"] == date.today().isoformat()
    assert (data["overall"]["digitized_pct"], data["overall"]["searchable_pct"]) == (70.0, 50.0)


def test_coverage_csv(runner, known):
    result = runner.invoke(args=["coverage", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    category = next(r for r in rows if r["breakdown"] == "category" and r["group"] == "endogenous")
    assert (category["holdings"], category["searchable"], category["searchable_pct"]) == (
        "10", "5", "50.0")


def test_coverage_table(runner, known):
    result = runner.invoke(args=["coverage"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    overall = next(line for line in lines if line.startswith("all "))
    assert overall.split() == ["all", "10", "7", "5", "5", "70.0", "50.0", "50.0", "70.0", "0"]
    assert "born-digital deposits (not in the denominator): 0" in result.stdout


def test_coverage_table_with_no_holdings(runner):
    result = runner.invoke(args=["coverage", "--format", "table"])
    assert result.exit_code == 0
    overall = next(line for line in result.stdout.splitlines() if line.startswith("all "))
    assert overall.split() == ["all", "0", "0", "0", "0", "-", "-", "-", "-", "0"]


def test_snapshot_keeps_one_row_a_day_per_category(app, runner, load_holdings, reg):
    load_holdings([reg.holding(1), reg.holding(2, category="rare")])
    for _ in range(2):
        result = runner.invoke(args=["coverage", "--snapshot"])
        assert result.exit_code == 0
        assert f"Snapshot recorded for {date.today().isoformat()}: 0/2 digitized" in result.stdout
    with standalone_session(app) as db:
        snaps = list(db.scalars(select(CoverageSnapshot)))
    assert sorted((s.category, s.holdings) for s in snaps) == [
        ("all", 2), ("endogenous", 1), ("rare", 1)]


def test_a_malformed_target_setting_is_a_clear_error(app, runner):
    app.config["COVERAGE_TARGETS"] = "endogenous:bảy mươi"
    result = runner.invoke(args=["coverage"])
    assert result.exit_code == 1
    assert "REPO_COVERAGE_TARGETS" in result.stderr and "Traceback" not in result.output
