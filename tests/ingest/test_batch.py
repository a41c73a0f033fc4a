"""The batch manifest: bad rows reported by line and column, good rows kept."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from ingest.batch import COLUMNS, read_manifest

TYPES = {"bachelor_thesis", "master_thesis", "doctoral_dissertation", "research_report",
         "article"}
ACCESS = {"open", "campus", "restricted", "embargoed", "confidential"}
GOOD = {"file": "a.pdf", "title": "Kinh tế nông thôn", "creators": "Nguyễn Văn A; Trần Thị B",
        "advisors": "PGS. Lê C", "year": "2015", "type": "master_thesis",
        "faculty": "Khoa Kinh tế", "degree": "Thạc sĩ", "discipline": "Kinh tế nông nghiệp",
        "language": "vi", "abstract": "Tóm tắt.", "keywords": "nông thôn; Hậu Giang;",
        "access": "open", "embargo_until": "", "holding_id": "LV-0001"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    base = tmp_path / "import"
    (base / "sub").mkdir(parents=True)
    for name in ("a.pdf", "b.pdf", "sub/c.pdf"):
        (base / name).write_bytes(b"%PDF-1.4")
    (tmp_path / "outside.pdf").write_bytes(b"%PDF-1.4")
    return base


def write(folder: Path, rows: list[dict], *, encoding: str = "utf-8",
          columns=COLUMNS) -> Path:
    path = folder / "manifest.csv"
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({**GOOD, **row})
    return path


def read(path: Path, folder: Path):
    return read_manifest(path, folder, types=TYPES, access_levels=ACCESS)


def errors_by_line(manifest) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for error in manifest.errors:
        found.setdefault(error.line, set()).add(error.column)
    return found


def test_a_good_row_is_parsed_completely(folder):
    manifest = read(write(folder, [{}]), folder)
    assert manifest.errors == []
    (row,) = manifest.rows
    assert row.line == 2
    assert row.files == ((folder / "a.pdf").resolve(),)
    assert row.creators == ("Nguyễn Văn A", "Trần Thị B")
    assert row.advisors == ("PGS. Lê C",)
    assert row.keywords == ("nông thôn", "Hậu Giang")
    assert (row.year, row.type, row.access, row.language) == (2015, "master_thesis", "open", "vi")
    assert (row.faculty, row.degree, row.discipline) == ("Khoa Kinh tế", "Thạc sĩ",
                                                         "Kinh tế nông nghiệp")
    assert row.embargo_until is None and row.holding_id == "LV-0001"


def test_several_files_and_subfolders(folder):
    manifest = read(write(folder, [{"file": "a.pdf; sub/c.pdf"}]), folder)
    assert manifest.rows[0].files == ((folder / "a.pdf").resolve(),
                                      (folder / "sub" / "c.pdf").resolve())


def test_bad_rows_are_reported_by_line_and_good_rows_kept(folder):
    manifest = read(write(folder, [
        {"title": "Tốt 1"},
        {"file": "missing.pdf"},
        {"year": "20x5"},
        {"access": "secret"},
        {"file": "b.pdf", "title": "Tốt 2"},
        {"file": "../outside.pdf"},
        {"type": "novel"},
        {"title": ""},
    ]), folder)
    assert [row.title for row in manifest.rows] == ["Tốt 1", "Tốt 2"]
    assert [row.line for row in manifest.rows] == [2, 6]
    assert errors_by_line(manifest) == {
        3: {"file"}, 4: {"year"}, 5: {"access"}, 7: {"file"}, 8: {"type"}, 9: {"title"},
    }
    assert all(error.message.endswith(".") for error in manifest.errors)


def test_every_problem_of_a_row_is_reported(folder):
    manifest = read(write(folder, [{"file": "nope.pdf", "year": "15", "language": "vie"}]),
                    folder)
    assert errors_by_line(manifest) == {2: {"file", "year", "language"}}


def test_messages_say_what_is_wrong(folder):
    manifest = read(write(folder, [{"file": "missing.pdf"}, {"year": "20x5"},
                                   {"access": "secret"}]), folder)
    messages = [error.message for error in manifest.errors]
    assert "File 'missing.pdf' was not found in the import folder." in messages
    assert "Year '20x5' must be four digits, such as 2015." in messages
    assert any("'secret' is not a known access" in m and "embargoed" in m for m in messages)


@pytest.mark.parametrize("name", [
    "../outside.pdf", "sub/../../outside.pdf", "/etc/passwd", "C:\\Windows\\win.ini",
    "..\\outside.pdf",
])
def test_paths_cannot_leave_the_import_folder(folder, name):
    manifest = read(write(folder, [{"file": name}]), folder)
    assert manifest.rows == []
    (error,) = manifest.errors
    assert error.column == "file" and "outside the import folder" in error.message


def test_a_symlink_out_of_the_folder_is_refused(folder):
    (folder / "link.pdf").symlink_to(folder.parent / "outside.pdf")
    manifest = read(write(folder, [{"file": "link.pdf"}]), folder)
    assert errors_by_line(manifest) == {2: {"file"}}


def test_windows_separators_inside_the_folder_are_accepted(folder):
    manifest = read(write(folder, [{"file": "sub\\c.pdf"}]), folder)
    assert manifest.rows[0].files == ((folder / "sub" / "c.pdf").resolve(),)


def test_an_embargo_needs_a_valid_date(folder):
    manifest = read(write(folder, [
        {"access": "embargoed", "embargo_until": "2030-01-31"},
        {"access": "embargoed"},
        {"access": "embargoed", "embargo_until": "31/01/2030"},
        {"access": "embargoed", "embargo_until": "2030-02-30"},
        {"access": "open", "embargo_until": "2030-01-31"},
    ]), folder)
    assert manifest.rows[0].embargo_until == date(2030, 1, 31)
    assert errors_by_line(manifest) == {3: {"embargo_until"}, 4: {"embargo_until"},
                                        5: {"embargo_until"}, 6: {"embargo_until"}}


@pytest.mark.parametrize(("value", "ok"), [("vi", True), ("EN", True), ("", True),
                                           ("vie", False), ("v1", False)])
def test_language_is_iso_639_1(folder, value, ok):
    manifest = read(write(folder, [{"language": value}]), folder)
    assert bool(manifest.rows) is ok


def test_year_may_be_left_empty(folder):
    assert read(write(folder, [{"year": ""}]), folder).rows[0].year is None


def test_a_non_utf8_manifest_is_one_clear_error(folder):
    path = folder / "manifest.csv"
    path.write_bytes("file,title,type,access\na.pdf,Hà Tây,article,open\n".encode("cp1258"))
    manifest = read(path, folder)
    assert manifest.rows == []
    (error,) = manifest.errors
    assert error.line in (0, 1)
    assert "UTF-8" in error.message and "line 2" in error.message


def test_a_byte_order_mark_is_tolerated(folder):
    manifest = read(write(folder, [{}], encoding="utf-8-sig"), folder)
    assert manifest.errors == [] and len(manifest.rows) == 1


def test_a_header_without_required_columns_is_refused(folder):
    manifest = read(write(folder, [{}], columns=("file", "year")), folder)
    assert manifest.rows == []
    assert {(e.line, e.column) for e in manifest.errors} == {(1, "title"), (1, "type"),
                                                              (1, "access")}


def test_optional_columns_may_be_absent_and_header_case_is_ignored(folder):
    path = folder / "manifest.csv"
    path.write_text("File,Title,Type,Access\na.pdf,Tên,article,open\n", encoding="utf-8")
    (row,) = read(path, folder).rows
    assert (row.title, row.creators, row.year, row.language) == ("Tên", (), None, "")


def test_line_numbers_count_multiline_fields(folder):
    path = folder / "manifest.csv"
    path.write_text('file,title,type,access,abstract\n'
                    'a.pdf,One,article,open,"line one\nline two"\n'
                    'a.pdf,Two,article,secret,\n', encoding="utf-8")
    manifest = read(path, folder)
    assert manifest.rows[0].line == 2
    assert errors_by_line(manifest) == {4: {"access"}}


def test_a_row_with_too_many_fields_is_reported(folder):
    path = folder / "manifest.csv"
    path.write_text("file,title,type,access\na.pdf,Tên,article,open,extra\n", encoding="utf-8")
    manifest = read(path, folder)
    assert manifest.rows == [] and errors_by_line(manifest) == {2: {""}}


def test_a_folder_of_page_images_is_accepted_as_a_file(folder):
    (folder / "scans" / "LV-0001").mkdir(parents=True)
    manifest = read(write(folder, [{"file": "scans/LV-0001"}, {"file": "scans/LV-0002"}]), folder)
    assert [row.files for row in manifest.rows] == [(folder / "scans" / "LV-0001",)]
    assert errors_by_line(manifest) == {3: {"file"}}


def test_a_folder_outside_the_import_folder_is_refused(folder, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    manifest = read(write(folder, [{"file": "../elsewhere"}]), folder)
    assert manifest.rows == [] and errors_by_line(manifest) == {2: {"file"}}
