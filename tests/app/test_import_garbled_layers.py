"""A paper whose later pages are garbled stays findable by its title and by what pdftotext read.

The issue's case through ``repo-app import`` and the search API: pdfminer
reads the first page cleanly and the rest as noise. Metadata titles here
are Vietnamese, so only the PDF's own text can match the English title.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from pdf_edits import invisible, join, without_unicode_map

from ingest.sample_pdf import write_pdf, write_unmapped_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils is not installed")

TITLE = "Preemptive Information Extraction using Unrestricted Relation Discovery"
ENGLISH = ("Section {n}. We evaluate the quick brown fox jumping over the lazy dog; "
           "JACKDAWS LOVE MY BIG SPHINX OF QUARTZ, 0123456789 (Table 4, Figure 7). ") * 12


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    folder = tmp_path / "catalogue"
    folder.mkdir()
    paper = write_pdf(folder / "paper.pdf", [TITLE] + [ENGLISH.format(n=n) for n in range(2, 4)])
    # Garbled pages drawn invisibly: OCR, where it runs, finds nothing to add.
    invisible(without_unicode_map(paper, 1))
    join(folder / "rescued.pdf",
         write_pdf(tmp_path / "cover.pdf", ["Khoa Nông nghiệp"]),
         write_unmapped_pdf(tmp_path / "body.pdf",
                            ["Chương 2. Bồi lắng phù sa ven sông Hậu Giang mùa lũ."]))
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "creators", "year", "type", "language", "access"])
        writer.writerow(["paper.pdf", "Bài báo về trích xuất thông tin", "Trần Văn B", "2006",
                         "article", "en", "open"])
        writer.writerow(["rescued.pdf", "Luận văn nông nghiệp", "Lê Thị C", "2015",
                         "master_thesis", "vi", "open"])
    return folder


@pytest.fixture
def imported(runner, catalogue) -> None:
    result = runner.invoke(args=["import", str(catalogue), "--manifest",
                                 str(catalogue / "manifest.csv")])
    assert result.exit_code == 0, result.output


def titles_found(client, query: str) -> list[str]:
    hits = client.get("/api/v1/search", query_string={"q": query}).get_json()
    return [hit["title"] for hit in hits["hits"]]


def test_the_title_on_the_clean_first_page_is_findable(imported, client):
    assert titles_found(client, f'"{TITLE}"') == ["Bài báo về trích xuất thông tin"]


def test_text_pdftotext_read_where_pdfminer_could_not_is_findable(imported, client):
    assert titles_found(client, "bồi lắng phù sa") == ["Luận văn nông nghiệp"]


def test_the_paper_is_not_written_off_as_garbled(imported, client):
    [hit] = client.get("/api/v1/search", query_string={"q": TITLE}).get_json()["hits"]
    work = client.get(f"/api/v1/works/{hit['id']}").get_json()
    assert [file["extraction"]["status"] for file in work["files"]] == ["ok"]
