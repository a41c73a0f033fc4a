"""Manifest columns for bilingual records, and faculties named in words rather than by code."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from helpers import write_manifest
from repo_app.db import standalone_session
from repo_app.models import Collection, Work
from repo_app.services import works

COLUMNS = ["file", "title", "creators", "year", "type", "faculty", "language", "keywords",
           "access", "title_en", "abstract_en", "keywords_en"]


def manifest(folder: Path, rows: list[dict]) -> Path:
    return write_manifest(folder, COLUMNS, rows)


def test_english_columns_are_imported(app, runner, tmp_path, make_pdf):
    make_pdf("Nội dung").rename(tmp_path / "a.pdf")
    path = manifest(tmp_path, [{
        "file": "a.pdf", "title": "Kinh tế nông thôn", "keywords": "nông thôn; kinh tế",
        "title_en": "Rural economics", "abstract_en": "A study.",
        "keywords_en": "rural areas; economics"}])
    result = runner.invoke(args=["import", str(tmp_path), "--manifest", str(path)])
    assert result.exit_code == 0, result.output
    with standalone_session(app) as db:
        work = db.scalar(select(Work))
        assert (work.title_en, work.abstract_en, work.keywords_en) == (
            "Rural economics", "A study.", ["rural areas", "economics"])


def test_a_faculty_given_by_name_is_the_faculty_with_that_code(app, runner, tmp_path, make_pdf):
    with app.app_context(), standalone_session(app) as db:
        works.collection_by_code(db, "kt", "Khoa Kinh tế")
        db.commit()
    for name in ("a", "b", "c"):
        make_pdf(f"Nội dung {name}").rename(tmp_path / f"{name}.pdf")
    path = manifest(tmp_path, [
        {"file": "a.pdf", "title": "Một", "faculty": "Khoa Kinh tế"},
        {"file": "b.pdf", "title": "Hai", "faculty": "khoa kinh te"},
        {"file": "c.pdf", "title": "Ba", "faculty": "kt"}])
    assert runner.invoke(args=["import", str(tmp_path), "--manifest", str(path)]).exit_code == 0
    with standalone_session(app) as db:
        assert [c.code for c in db.scalars(select(Collection))] == ["kt"]
        assert {w.collection.code for w in db.scalars(select(Work))} == {"kt"}
