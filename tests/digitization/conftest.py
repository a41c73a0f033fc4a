"""Scans deposited in the suite's app (jobs run eagerly right after each commit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from ingest.sample_pdf import write_image_pdf
from repo_app.access import SYSTEM
from repo_app.db import standalone_session
from repo_app.models import File
from repo_app.services import files, works

SCAN_PAGES = ["Trường Đại học Cần Thơ\nLuận văn thạc sĩ kinh tế\nNghiên cứu nuôi tôm sú",
              "Chương 2. Phương pháp nghiên cứu ở tỉnh Sóc Trăng"]


@pytest.fixture
def scanned(app: Flask, tmp_path: Path, tesseract_vie) -> File:
    """A published work whose one file is a two-page scan, recognised by OCR."""
    scan = write_image_pdf(tmp_path / "scan.pdf", SCAN_PAGES)
    with app.test_request_context(), standalone_session(app) as db:
        with scan.open("rb") as stream:
            staged = files.stage(stream, "luan-van.pdf")
        work = works.create(db, SYSTEM, works.WorkFields(
            title="Nuôi tôm sú", type="master_thesis", year=2001, creators=["Võ E"]), [staged],
            submit=True)
        works.publish(db, SYSTEM, work, works.AccessSettings(level="open", reason="test"))
        return db.scalar(select(File).where(File.work_id == work.id))
