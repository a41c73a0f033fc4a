"""Fixtures for the search package: a real index in tmp_path and works in real Vietnamese."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from search import Scope, SearchIndex, SearchRequest, SearchResults, WorkDocument

PROJECT = Path(__file__).resolve().parents[2]
TODAY = date(2025, 6, 15)

LAND = WorkDocument(
    id="land",
    title="Quản lý nhà nước về đất đai tại tỉnh An Giang",
    url="/works/land",
    creators=("Nguyễn Thị Hoà",),
    advisors=("Trần Văn Thuỷ",),
    abstract="Luận văn phân tích chính sách đất đai và quyền sử dụng đất ở An Giang.",
    keywords=("đất đai", "quản lý nhà nước"),
    fulltext="Chương 1. Tổng quan về quản lý đất đai ở đồng bằng sông Cửu Long.",
    faculty="law",
    type="master_thesis",
    degree_level="master",
    year=2019,
    language="vi",
    version="v1",
)
UNIVERSITY = WorkDocument(
    id="university",
    title="Đại học tự chủ và chất lượng đào tạo",
    url="/works/university",
    creators=("Lê Văn Đường",),
    abstract="Nghiên cứu mô hình tự chủ đại học ở Việt Nam.",
    keywords=("giáo dục đại học",),
    fulltext="Các trường đại học đạt kiểm định chất lượng giáo dục.",
    faculty="education",
    type="doctoral_dissertation",
    degree_level="doctoral",
    year=2021,
    language="vi",
    version="v1",
)
BUSINESS = WorkDocument(
    id="business",
    title="Quản trị kinh doanh trong doanh nghiệp may mặc",
    url="/works/business",
    creators=("Phạm Quang Huy",),
    abstract="Nghiên cứu quản trị kinh doanh ngành may mặc xuất khẩu.",
    keywords=("quản trị kinh doanh", "may mặc"),
    faculty="economics",
    type="master_thesis",
    degree_level="master",
    year=2018,
    language="vi",
)
STAFFING = WorkDocument(
    id="staffing",
    title="Quản trị nhân sự trong doanh nghiệp dệt may",
    url="/works/staffing",
    abstract="Quản trị nhân sự và năng suất lao động ngành dệt may.",
    keywords=("quản trị nhân sự", "dệt may"),
    faculty="economics",
    type="bachelor_thesis",
    degree_level="bachelor",
    year=2017,
    language="vi",
)
MEDICINE = WorkDocument(
    id="medicine",
    title="Y học cổ truyền và sức khoẻ cộng đồng",
    url="/works/medicine",
    abstract="Ứng dụng y học cổ truyền trong chăm sóc sức khoẻ. Hoá dược và thuỷ sản.",
    faculty="medicine",
    type="bachelor_thesis",
    degree_level="bachelor",
    year=2015,
    language="vi",
)
WATER = WorkDocument(
    id="water",
    title="Water quality of the Mekong Delta",
    url="/works/water",
    creators=("Võ Thanh Tâm",),
    abstract="From salinity to aquaculture: a study of water quality.",
    faculty="agriculture",
    type="research_report",
    year=2020,
    language="en",
)
POTTERY = WorkDocument(
    id="pottery",
    title="Bảo tồn nghề gốm truyền thống",
    url="/works/pottery",
    abstract="Khảo sát các làng gốm ở Bình Dương.",
    fulltext="Làng gốm lưu giữ công thức men zanthoxylum do nghệ nhân truyền lại.",
    faculty="culture",
    type="master_thesis",
    year=2022,
    language="vi",
    access="campus",
    owner="u-42",
)
SECRET = WorkDocument(
    id="secret",
    title="Quản trị rủi ro an ninh doanh nghiệp",
    url="/works/secret",
    abstract="Quản trị rủi ro an ninh trong doanh nghiệp may mặc.",
    keywords=("quản trị rủi ro",),
    faculty="security",
    type="research_report",
    year=2023,
    language="vi",
    access="confidential",
)
WORKS = (LAND, UNIVERSITY, BUSINESS, STAFFING, MEDICINE, WATER, POTTERY, SECRET)
TEXTS = {work.id: work.fulltext for work in WORKS}


ScopeFactory = Callable[..., Scope]
Find = Callable[..., SearchResults]


# Levels whose records are public under the default policy ("" is a harvested record).
PUBLIC_RECORDS = ("", "open", "campus", "restricted", "embargoed")
EVERY_LEVEL = (*PUBLIC_RECORDS, "confidential")


def _scope(
    *,
    read: tuple[str, ...] = ("open",),
    see: tuple[str, ...] = PUBLIC_RECORDS,
    owner: str = "",
    work_ids: tuple[str, ...] = (),
) -> Scope:
    return Scope(
        metadata_levels=frozenset(see),
        text_levels=frozenset(read),
        today=TODAY,
        owner=owner,
        work_ids=frozenset(work_ids),
    )


@pytest.fixture
def today() -> date:
    """The fixed day every test scope searches on."""
    return TODAY


@pytest.fixture
def make_scope() -> ScopeFactory:
    """``make_scope(read=levels, see=levels, owner=, work_ids=)``: a searcher on the fixed day.

    By default an anonymous visitor off campus: public records, open texts.
    """
    return _scope


@pytest.fixture
def anyone() -> Scope:
    """An anonymous visitor off campus."""
    return _scope()


@pytest.fixture
def campus() -> Scope:
    """A visitor on the campus network."""
    return _scope(read=("open", "campus"))


@pytest.fixture
def staff() -> Scope:
    """A librarian: every level."""
    return _scope(read=EVERY_LEVEL, see=EVERY_LEVEL)


@pytest.fixture
def works() -> tuple[WorkDocument, ...]:
    """Eight works: open, campus-only text (pottery), staff-only record (secret)."""
    return WORKS


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    """An empty index on disk."""
    created = SearchIndex(tmp_path / "index")
    created.create_or_open()
    return created


@pytest.fixture
def works_index(index: SearchIndex) -> SearchIndex:
    """The index holding the fixture works."""
    index.write(WORKS)
    return index


@pytest.fixture
def find(works_index: SearchIndex, anyone: Scope) -> Find:
    """Search the fixture works: ``find(q, scope, **request_fields)``, anonymous by default.

    ``texts_for`` hands out every work's text, as a careless caller might:
    the index alone must decide whose text may be quoted.
    """

    def run(q: str = "", scope: Scope = anyone, **fields: object) -> SearchResults:
        return works_index.search(SearchRequest(q=q, **fields), scope, texts_for=lambda ids: TEXTS)

    return run


@pytest.fixture(scope="session")
def viwiki_articles() -> Callable[[int], list[dict[str, str]]]:
    """``viwiki_articles(n)``: the first n long articles of the shared Wikipedia sample.

    Read from REPO_TEST_VI (default ../shared/vi), never copied into the project.
    """
    folder = Path(os.environ.get("REPO_TEST_VI", PROJECT.parent / "shared" / "vi"))
    path = folder / "viwiki_sample.jsonl"
    if not path.exists():
        pytest.skip(f"Vietnamese sample not found at {path}")

    def load(count: int) -> list[dict[str, str]]:
        articles = []
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                article = json.loads(line)
                if len(article["text"]) > 5000:
                    articles.append(article)
                if len(articles) == count:
                    break
        return articles

    return load
