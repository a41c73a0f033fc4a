"""The holdings import speaks the librarians' language: ``repo-app holdings import``'s summary
and its report CSV's messages are in the site's default language (REPO_DEFAULT_LOCALE), the
report's columns and codes unchanged; every message it can write has a Vietnamese
translation."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from helpers import csrf_token, login
from repo_app.services import holdings, holdings_marc

CATALOGUE = (Path(__file__).resolve().parents[2] / "repo_app" / "translations" / "vi"
             / "LC_MESSAGES" / "messages.po")


@pytest.fixture
def register(write_csv, reg) -> Path:
    """Two good rows and two bad ones (a year, a format)."""
    return write_csv([reg.holding(1), {**reg.holding(2), "year": "20x1"},
                      {**reg.holding(3), "format": "cd"}, reg.holding(4)])


def _import(runner, path: Path):
    result = runner.invoke(args=["holdings", "import", str(path)])
    report = re.search(r"(?:Báo cáo|Report): (\S+)", result.stderr).group(1)
    with open(report, encoding="utf-8") as handle:
        return result, list(csv.DictReader(handle))


def test_the_summary_and_report_are_in_vietnamese_by_default(runner, register):
    result, rows = _import(runner, register)
    assert result.exit_code == 1
    assert list(rows[0]) == ["line", "holding_id", "code", "message"]
    assert [(r["line"], r["holding_id"], r["code"]) for r in rows] == [
        ("3", "H02", "holdings_year"), ("4", "H03", "holdings_format")]
    assert rows[0]["message"] == "Năm 20x1 không phải năm bốn chữ số."
    assert rows[1]["message"] == "format cd không thuộc: print, digital, both."
    assert "dòng 3: H02: Năm 20x1 không phải năm bốn chữ số." in result.stderr
    assert ("4 dòng: thêm 2, cập nhật 0, giữ nguyên 0, bị loại 2; 0 gợi ý liên kết mới."
            in result.stdout)
    assert "rows:" not in result.output and "not one of" not in result.output


def test_an_english_speaking_site_gets_them_in_english(app, runner, register):
    app.config["DEFAULT_LOCALE"] = "en"
    result, rows = _import(runner, register)
    assert rows[0]["message"] == "Year 20x1 is not a four-digit year."
    assert "line 4: H03: format cd is not one of: print, digital, both." in result.stderr
    assert ("4 rows: 2 added, 0 updated, 0 unchanged, 2 rejected; 0 new link suggestions."
            in result.stdout)


def test_a_refused_file_is_one_line_in_the_sites_language(runner, write_csv):
    path = write_csv("holding_id,title\nH01,Một\n")
    result = runner.invoke(args=["holdings", "import", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}: Dòng tiêu đề phải có đúng các cột:")
    assert result.stderr.count("\n") == 1


def test_an_upload_in_english_shows_english_and_keeps_the_report_in_the_sites_language(
        client, app, accounts, reg):
    login(client, "librarian@test.vn")
    text = reg.csv_text([reg.holding(1), {**reg.holding(2), "year": "20x1"}])
    token = csrf_token(client, "/reports/holdings/import")
    page = client.post("/reports/holdings/import?lang=en",
                       data={"csrf_token": token, "file": (io.BytesIO(text.encode()), "h.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Year 20x1 is not a four-digit year." in page
    [report] = (Path(app.config["DATA_DIR"]) / "holdings-reports").glob("*.csv")
    with report.open(encoding="utf-8") as handle:
        assert [r["message"] for r in csv.DictReader(handle)] == [
            "Năm 20x1 không phải năm bốn chữ số."]


def _holdings_templates() -> set[str]:
    """Every message template the holdings import can raise, read from its sources."""
    sources = (Path(holdings.__file__).read_text(encoding="utf-8")
               + Path(holdings_marc.__file__).read_text(encoding="utf-8"))
    literal = r'"(?:[^"\\]|\\.)*"'
    found = re.findall(rf'f?"holdings_[\w{{}}]+",\s*((?:{literal}\s*)+)', sources)
    return {"".join(re.findall(r'"((?:[^"\\]|\\.)*)"', group)).replace('\\"', '"')
            for group in found}


def test_every_message_has_a_vietnamese_translation_with_the_same_fields():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    templates = _holdings_templates()
    assert len(templates) >= 10
    for template in templates | {"Report: %(path)s", "line %(line)s: %(file)s: %(message)s"}:
        message = catalogue.get(template)
        assert message is not None and message.string, template
        assert (sorted(re.findall(r"%\(\w+\)s", message.string))
                == sorted(re.findall(r"%\(\w+\)s", template)))
