"""The batch import speaks the librarians' language: the report CSV's messages and the
summary are in the site's default language (REPO_DEFAULT_LOCALE), its columns and status
codes unchanged; every message the import can write has a Vietnamese translation."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import helpers
from ingest import batch, outcomes
from repo_app.services import import_messages, text_jobs

CATALOGUE = (Path(__file__).resolve().parents[2] / "repo_app" / "translations" / "vi"
             / "LC_MESSAGES" / "messages.po")
COLUMNS = ["file", "title", "creators", "year", "type", "language", "access", "embargo_until",
           "holding_id"]


@pytest.fixture
def lot(tmp_path: Path, make_pdf) -> Path:
    folder = tmp_path / "lot"
    folder.mkdir()
    make_pdf("Kinh tế nông thôn Hậu Giang").rename(folder / "t0.pdf")
    (folder / "zero.pdf").write_bytes(b"")
    helpers.write_manifest(folder, COLUMNS, [
        {"file": "t0.pdf", "title": "Kinh tế nông thôn", "holding_id": "LV-999"},
        {"file": "missing.pdf", "title": "Thiếu tệp"},
        {"file": "t0.pdf", "title": "Năm sai", "year": "20x5"},
        {"file": "zero.pdf", "title": "Tệp rỗng"},
        {"file": "t0.pdf", "title": "Hạn lạ", "access": "embargoed", "embargo_until": "mai"},
    ])
    return folder


def _import(runner, folder: Path):
    result = runner.invoke(args=["import", str(folder), "--manifest", str(folder / "manifest.csv")])
    path = re.search(r"(?:Báo cáo|Report): (\S+)", result.output).group(1)
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return result, rows


def _messages(rows) -> dict[str, str]:
    return {f"{r['line']}:{r['status']}": r["message"] for r in rows}


def test_the_report_and_summary_are_in_vietnamese_by_default(runner, lot):
    result, rows = _import(runner, lot)
    assert list(rows[0]) == ["line", "file", "status", "message", "work_id"]
    messages = _messages(rows)
    assert messages["3:invalid"] == "Không tìm thấy tệp 'missing.pdf' trong thư mục nhập."
    assert messages["4:invalid"] == "Năm '20x5' phải gồm bốn chữ số, ví dụ 2015."
    assert messages["6:invalid"] == "Ngày 'mai' phải được viết theo dạng YYYY-MM-DD."
    assert messages["2:ok"] == "Đã trích xuất văn bản từ 1 trang."
    assert messages["2:holding_not_found"] == ("holding_id LV-999 không có trong sổ đăng ký "
                                               "tài liệu")
    assert messages["5:empty_file"].startswith("Tệp")  # a refusal, translated by UserError
    assert "dòng 3: file: Không tìm thấy tệp 'missing.pdf'" in result.output
    assert re.search(r"5 dòng: 2 đã nhập, 0 đã nhập từ trước, 3 bị loại; "
                     r"1 tệp, 1 trang trong \d+,\d giây; \d+ vấn đề", result.output)
    assert "not found" not in result.output and "rows:" not in result.output


def test_an_english_speaking_site_gets_them_in_english(app, runner, lot):
    app.config["DEFAULT_LOCALE"] = "en"
    result, rows = _import(runner, lot)
    messages = _messages(rows)
    assert messages["3:invalid"] == "File 'missing.pdf' was not found in the import folder."
    assert messages["2:ok"] == "Text extracted from 1 page(s)."
    assert messages["2:holding_not_found"] == "holding_id LV-999 is not in the holdings register"
    assert "line 3: file: File 'missing.pdf' was not found" in result.output
    assert re.search(r"5 rows: 2 imported, 0 already imported, 3 rejected; 1 files, 1 pages "
                     r"in \d+\.\d s", result.output)


def test_a_rerun_says_already_imported_in_the_sites_language(runner, lot):
    _import(runner, lot)
    result, rows = _import(runner, lot)
    assert _messages(rows)["2:skipped"] == "đã nhập từ trước"
    assert "2 đã nhập từ trước" in result.output


def test_every_message_the_import_writes_is_marked_for_translation():
    assert set(import_messages.BATCH_MESSAGES) == set(batch.TEMPLATES.values())
    stored = {value for name, value in vars(outcomes).items() if name.startswith("MSG_")}
    stored |= {text_jobs.MSG_QUEUED, text_jobs.MSG_GAVE_UP}
    assert set(import_messages.EXTRACTION_MESSAGES) == stored


def test_every_message_has_a_vietnamese_translation_with_the_same_fields():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    fields = re.compile(r"\{\w+(?::[^}]*)?\}")
    for template in (*import_messages.BATCH_MESSAGES, *import_messages.EXTRACTION_MESSAGES):
        message = catalogue.get(template)
        assert message is not None and message.string, template
        assert sorted(fields.findall(message.string)) == sorted(fields.findall(template))


SAMPLES = {"pages": 12, "read": 10, "failed": 2, "count": 2, "ocr": 3, "seconds": 120.0,
           "memory_mb": 2048, "limit": 1500, "reason": "Worker lost: killed"}


@pytest.mark.parametrize("template", import_messages.EXTRACTION_MESSAGES)
def test_each_stored_extraction_message_is_read_back_and_translated(app, template):
    stored = template.format(**SAMPLES)
    with app.app_context():
        with import_messages.site_language():
            vietnamese = import_messages.extraction_text("ok", stored)
        app.config["DEFAULT_LOCALE"] = "en"
        with import_messages.site_language():
            assert import_messages.extraction_text("ok", stored) == stored
    assert vietnamese != stored
    numbers = [str(v) for k, v in SAMPLES.items() if "{" + k in template and k != "seconds"]
    assert all(number in vietnamese for number in numbers)


def test_a_detail_after_a_known_message_is_kept_and_an_unknown_message_follows_the_label(app):
    with app.app_context(), import_messages.site_language():
        assert import_messages.extraction_text(
            "ocr", "Text recognised by OCR from 3 page(s); it may contain errors. qpdf: bad xref"
        ) == "Đã nhận dạng (OCR) văn bản từ 3 trang; văn bản có thể còn lỗi. qpdf: bad xref"
        assert import_messages.extraction_text("corrupt", "Something new happened.") == (
            "Tệp PDF bị hỏng; chỉ các trang đọc được (nếu có) mới tìm kiếm được. "
            "(Something new happened.)")


def test_a_row_error_is_a_code_and_its_fields_and_reads_in_english_outside_the_app(app):
    error = batch.RowError(4, "year", batch.BAD_YEAR, {"value": "20x5"})
    assert error.message == "Year '20x5' must be four digits, such as 2015."
    with app.app_context():
        assert import_messages.row_error(error) == "Năm '20x5' phải gồm bốn chữ số, ví dụ 2015."
