"""Fixtures for the interoperability tests: many works fast, and the OAI-PMH schemas.

``seed`` inserts published works directly (no PDF, no extraction), the
way a back catalogue looks to a harvester, and indexes them through the
app's own queue so search, the API and the sitemap see them too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from lxml import etree

from repo_app.db import standalone_session
from repo_app.models import Work
from repo_app.services import indexing, works

XSD_DIR = Path(os.environ.get("REPO_TEST_XSD",
                              Path(__file__).resolve().parents[2].parent / "shared" / "xsd"))
# libxml2 reads the catalogue when it first resolves a URL: set it before any schema loads.
os.environ.setdefault("XML_CATALOG_FILES", str(XSD_DIR / "catalog.xml"))

NS = {"o": "http://www.openarchives.org/OAI/2.0/",
      "dc": "http://purl.org/dc/elements/1.1/",
      "e": "http://www.ndltd.org/standards/metadata/etdms/1.0/"}


@pytest.fixture(scope="session")
def oai_schema() -> etree.XMLSchema:
    """The official OAI-PMH, Dublin Core and ETD-MS schemas (REPO_TEST_XSD, default ../shared/xsd)."""
    return load_schema("oai_all.xsd")


def load_schema(name: str) -> etree.XMLSchema:
    """A schema of ../shared/xsd (REPO_TEST_XSD), or the test skipped saying where it looked."""
    path = XSD_DIR / name
    if not path.exists():
        pytest.skip(f"{name} not found at {path} (set REPO_TEST_XSD)")
    return etree.XMLSchema(etree.parse(str(path)))


@pytest.fixture
def oai_app(app: Flask) -> Flask:
    app.config.update(OAI_DOMAIN="repo.test", OAI_PAGE_SIZE=50)
    return app


Seed = Callable[..., list[int]]


def seed_into(app: Flask, n: int = 1, *, faculty: str = "cntt",
              faculty_name: str = "Khoa Công nghệ Thông tin", **fields) -> list[int]:
    """Insert ``n`` published works (one faculty, given fields) into ``app``; returns their ids."""
    with app.test_request_context(), standalone_session(app) as db:
        collection = works.collection_by_code(db, faculty, faculty_name)
        made = []
        for i in range(n):
            values = {
                "title": f"Luận văn số {i}: Nghiên cứu đường biên",
                "creators": ["Nguyễn Thị Hằng", "Trần Đức Anh"],
                "advisors": ["PGS. TS. Lê Văn Bình"],
                "keywords": ["học máy", "xử lý ảnh"],
                "abstract": "Tóm tắt luận văn.",
                "year": 2021, "type": "master_thesis", "degree_level": "master",
                "degree_name": "Thạc sĩ Khoa học máy tính", "discipline": "Khoa học máy tính",
                "grantor": "Trường Đại học Mẫu", "status": "published",
                "access_level": "open", "was_public": True, "collection_id": collection.id,
                "embargo_until": None,
            }
            values.update(fields)
            work = Work(**values)
            db.add(work)
            db.flush()
            work.identifier = f"vnir/{work.id}"
            indexing.enqueue(db, work)
            made.append(work.id)
        db.commit()
        indexing.drain(db)
        return made


@pytest.fixture
def seed(oai_app: Flask) -> Seed:
    """Insert published works into the app under test (no PDF, no extraction) and index them."""
    def _seed(n: int = 1, **fields) -> list[int]:
        return seed_into(oai_app, n, **fields)
    return _seed
