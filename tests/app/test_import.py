"""``repo-app import``: the back catalogue, with bad rows reported and good rows kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

import helpers
from repo_app.db import standalone_session
from repo_app.models import File, Work

COLUMNS = ["file", "title", "creators", "advisors", "year", "type", "faculty", "degree",
           "discipline", "language", "abstract", "keywords", "access", "embargo_until",
           "holding_id"]


def write_manifest(folder: Path, rows: list[dict], encoding: str = "utf-8") -> Path:
    return helpers.write_manifest(folder, COLUMNS, rows, encoding)


@pytest.fixture
def catalogue(tmp_path: Path, make_pdf) -> Path:
    folder = tmp_path / "catalogue"
    folder.mkdir()
    for i, text in enumerate(["Kinh tế nông thôn Hậu Giang", "Giáo dục mầm non Sóc Trăng",
                              "Thủy lợi vùng ven biển"]):
        make_pdf(text).rename(folder / f"t{i}.pdf")
    (folder / "fake.pdf").write_text("<html>not a pdf</html>")
    (folder / "zero.pdf").write_bytes(b"")
    return folder


def count(app, model) -> int:
    with standalone_session(app) as db:
        return db.scalar(select(func.count()).select_from(model))


def test_good_rows_import_and_bad_rows_are_reported(app, runner, catalogue):
    manifest = write_manifest(catalogue, [
        {"file": "t0.pdf", "title": "Kinh tế nông thôn", "faculty": "Khoa Kinh tế"},
        {"file": "missing.pdf", "title": "Thiếu tệp"},
        {"file": "t1.pdf", "title": "Năm sai", "year": "20x5"},
        {"file": "t2.pdf", "title": "Mức truy cập lạ", "access": "secret"},
        {"file": "fake.pdf", "title": "Tệp HTML đổi tên"},
        {"file": "zero.pdf", "title": "Tệp rỗng"},
        {"file": "../outside.pdf", "title": "Ra ngoài thư mục"},
    ])
    result = runner.invoke(args=["import", str(catalogue), "--manifest", str(manifest)])
    assert result.exit_code == 1
    for line in (3, 4, 5, 8):  # the summary is in the site's language (Vietnamese)
        assert f"dòng {line}" in result.output
    assert "Báo cáo:" in result.output
    assert count(app, Work) == 3  # the good row, the HTML one and the empty one keep their works
    with standalone_session(app) as db:
        statuses = dict(db.execute(select(Work.title, File.extraction_status).join(File)).all())
    assert statuses["Kinh tế nông thôn"] == "ok"
    assert statuses["Tệp HTML đổi tên"] == "unsupported"
    report = Path(result.output.split("Báo cáo:")[1].strip())
    assert "empty" in report.read_text(encoding="utf-8")


def test_reimport_is_idempotent(app, runner, catalogue, client):
    manifest = write_manifest(catalogue, [
        {"file": "t0.pdf", "title": "Kinh tế nông thôn"},
        {"file": "t1.pdf;t2.pdf", "title": "Hai tệp", "access": "embargoed",
         "embargo_until": "2030-01-01"},
    ])
    args = ["import", str(catalogue), "--manifest", str(manifest), "--workers", "2"]
    assert runner.invoke(args=args).exit_code == 0
    second = runner.invoke(args=args)
    assert second.exit_code == 0 and "2 đã nhập từ trước" in second.output
    assert count(app, Work) == 2 and count(app, File) == 3
    staging = Path(app.config["DATA_DIR"]) / "files" / "staging"
    assert [p for p in staging.rglob("*") if p.is_file()] == []  # the re-run copied nothing
    hits = client.get("/api/v1/search?q=hau giang").get_json()
    assert hits["total"] == 1


def test_a_file_named_twice_in_one_manifest_is_a_duplicate_not_already_imported(
        app, runner, catalogue):
    # Another file of the same size between the two rows: its extraction lets
    # the first row's work be written before the second row is looked at.
    same_size = catalogue / "same-size.pdf"
    same_size.write_bytes((catalogue / "t0.pdf").read_bytes().replace(b"(D:2", b"(D:1", 1))
    manifest = write_manifest(catalogue, [
        {"file": "t0.pdf", "title": "Kinh tế nông thôn"},
        {"file": "same-size.pdf", "title": "Tệp cùng cỡ"},
        {"file": "t0.pdf", "title": "Cùng tệp, tên khác"},
    ])
    result = runner.invoke(args=["import", str(catalogue), "--manifest", str(manifest)])
    assert result.exit_code == 1
    assert "0 đã nhập từ trước" in result.output and "1 bị loại" in result.output
    report = Path(result.output.split("Báo cáo:")[1].strip()).read_text(encoding="utf-8")
    assert "duplicate_file" in report
    assert count(app, Work) == 2


def test_the_largest_rows_are_written_first_and_the_report_keeps_the_manifests_order(
        app, runner, catalogue, make_pdf):
    """Their text is queued first, so no worker ends alone with a long extraction."""
    make_pdf(*[f"Chương {n}: thủy lợi và nông nghiệp vùng ven biển" for n in range(40)]
             ).rename(catalogue / "long.pdf")
    manifest = write_manifest(catalogue, [
        {"file": "t0.pdf", "title": "Ngắn"},
        {"file": "long.pdf", "title": "Dài"},
    ])
    result = runner.invoke(args=["import", str(catalogue), "--manifest", str(manifest)])
    assert result.exit_code == 0, result.output
    with standalone_session(app) as db:
        assert db.scalars(select(Work.title).order_by(Work.id)).all() == ["Dài", "Ngắn"]
    report = Path(result.output.split("Báo cáo:")[1].strip()).read_text(encoding="utf-8")
    assert [line.split(",")[1] for line in report.splitlines()[1:]] == ["t0.pdf", "long.pdf"]


def test_imported_works_are_all_found(app, runner, catalogue, client):
    manifest = write_manifest(catalogue, [
        {"file": f"t{i}.pdf", "title": f"Luận văn {i}"} for i in range(3)])
    result = runner.invoke(args=["import", str(catalogue), "--manifest", str(manifest)])
    assert result.exit_code == 0, result.output
    for words in ("hau giang", "soc trang", "ven bien"):
        assert client.get(f"/api/v1/search?q={words}").get_json()["total"] == 1


def test_an_index_failure_stops_the_import_and_leaves_the_works_queued(
        app, runner, catalogue, monkeypatch):
    from repo_app import resources
    from repo_app.models import IndexQueueItem
    from search import IndexMissingError
    with app.app_context():
        (resources.index().root / "current").unlink()  # no index to write to
    manifest = write_manifest(catalogue, [
        {"file": f"t{i}.pdf", "title": f"Luận văn {i}"} for i in range(3)])
    result = runner.invoke(args=["import", str(catalogue), "--manifest", str(manifest)])
    assert isinstance(result.exception, IndexMissingError)
    with app.app_context(), standalone_session(app) as db:
        queued = set(db.scalars(select(IndexQueueItem.document_id)))
    assert len(queued) == count(app, Work) > 0


def test_dry_run_writes_nothing(app, runner, catalogue):
    manifest = write_manifest(catalogue, [{"file": "t0.pdf", "title": "Kinh tế"}])
    result = runner.invoke(args=["import", str(catalogue), "--manifest", str(manifest),
                                 "--dry-run"])
    assert result.exit_code == 0 and "would_import" in result.output
    assert count(app, Work) == 0


def test_non_utf8_manifest_is_one_clear_error(app, runner, catalogue):
    manifest = write_manifest(catalogue, [{"file": "t0.pdf", "title": "Kinh tế nông thôn"}],
                              encoding="utf-16")  # what Excel writes as "Unicode text"
    result = runner.invoke(args=["import", str(catalogue), "--manifest", str(manifest)])
    assert result.exit_code == 1
    assert "UTF-8" in result.output
    assert count(app, Work) == 0


def test_check_finds_and_repairs(app, runner, publish):
    work_id = publish("Kiểm tra toàn vẹn", "open", text="Nội dung kiểm tra")
    assert runner.invoke(args=["check"]).exit_code == 0
    from repo_app import resources
    with app.app_context():
        resources.index().write([], delete_ids=[str(work_id)])
    found = runner.invoke(args=["check"])
    assert found.exit_code == 1 and "index_missing" in found.output
    repaired = runner.invoke(args=["check", "--repair"])
    assert repaired.exit_code == 0 and "repaired" in repaired.output
    assert runner.invoke(args=["check"]).exit_code == 0


def test_check_reports_an_altered_file(app, runner, publish):
    work_id = publish("Tệp bị sửa", "open")
    with standalone_session(app) as db:
        sha = db.get(Work, work_id).files[0].sha256
    from repo_app import resources
    with app.app_context():
        path = resources.store().path(sha)
    path.chmod(0o644)
    path.write_bytes(b"%PDF-1.4 tampered")
    result = runner.invoke(args=["check", "--repair"])
    assert result.exit_code == 1 and "altered_file" in result.output


def test_holding_id_links_the_imported_work_to_the_register(app, runner, catalogue, tmp_path):
    register = tmp_path / "holdings.csv"
    register.write_text(
        "holding_id,title,creators,year,type,faculty,shelf_mark,format,category\n"
        "LV-001,Kinh tế nông thôn,Trần Văn B,2015,master_thesis,Khoa Kinh tế,LV 1,print,endogenous\n"
        "LV-002,Chưa số hóa,Lê Thị C,2016,master_thesis,Khoa Kinh tế,LV 2,print,endogenous\n",
        encoding="utf-8")
    assert runner.invoke(args=["holdings", "import", str(register)]).exit_code == 0
    manifest = write_manifest(catalogue, [
        {"file": "t0.pdf", "title": "Kinh tế nông thôn", "holding_id": "LV-001"},
        {"file": "t1.pdf", "title": "Không có trong sổ", "holding_id": "LV-999"},
    ])
    result = runner.invoke(args=["import", str(catalogue), "--manifest", str(manifest)])
    assert result.exit_code == 0, result.output
    report = Path(result.output.split("Báo cáo:")[1].strip()).read_text(encoding="utf-8")
    assert "holding_not_found" in report and "LV-999" in report
    overall = json.loads(runner.invoke(args=["coverage", "--format", "json"]).output)["overall"]
    assert (overall["holdings"], overall["digitized"]) == (2, 1)


def test_the_library_accepts_the_deposit_licence_for_the_works_it_imports(app, runner,
                                                                          catalogue):
    from repo_app.models import AuditEvent

    app.config["DEPOSIT_LICENCE"] = "Giấy phép nộp tài liệu của Trường Đại học Mẫu."
    manifest = write_manifest(catalogue, [{"file": "t0.pdf", "title": "Kinh tế nông thôn"}])
    result = runner.invoke(args=["import", str(catalogue), "--manifest", str(manifest)])
    assert result.exit_code == 0, result.output
    with standalone_session(app) as db:
        work = db.scalar(select(Work))
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "work.licence"))
        assert work.licence_text == "Giấy phép nộp tài liệu của Trường Đại học Mẫu."
        assert work.licence_accepted_at is not None
        assert event.work_id == work.id and event.after == {"accepted_by": "library"}
        # The command runs as the system account: no librarian's id to record.
        assert event.actor_id is None
