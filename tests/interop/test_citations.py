"""Citation export and the work page's Google Scholar / Dublin Core meta tags."""

from __future__ import annotations

import json
import re

import pytest

from helpers import login


def meta(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<meta name="([^"]+)" content="([^"]*)"(?: lang="[a-z]+")?>', page)


@pytest.mark.parametrize(("kind", "entry", "extra"), [
    ("doctoral_dissertation", "@phdthesis{", "school = {Trường Đại học Mẫu}"),
    ("master_thesis", "@mastersthesis{", "school = {Trường Đại học Mẫu}"),
    ("bachelor_thesis", "@mastersthesis{", "type = {Bachelor's thesis}"),
    ("research_report", "@techreport{", "institution = {Trường Đại học Mẫu}"),
    ("article", "@article{", "publisher = {Trường Đại học Mẫu}"),
])
def test_bibtex_entry_type_follows_the_kind_of_work(client, seed, kind, entry, extra):
    work_id = seed(1, type=kind)[0]
    response = client.get(f"/works/{work_id}/cite.bib")
    assert response.status_code == 200
    assert response.content_type == "application/x-bibtex; charset=utf-8"
    text = response.get_data(as_text=True)
    assert text.startswith(entry + f"nguyen2021_{work_id},")
    assert extra in text


def test_bibtex_keeps_vietnamese_and_escapes_only_bibtex_specials(client, seed):
    work_id = seed(1, title="Đo lường R&D: 100% hiệu quả #1 với biến_x {mới}")[0]
    text = client.get(f"/works/{work_id}/cite.bib").get_data(as_text=True)
    assert r"title = {{Đo lường R\&D: 100\% hiệu quả \#1 với biến\_x \{mới\}}}" in text
    assert "author = {Nguyễn, Thị Hằng and Trần, Đức Anh}" in text
    assert "\\'" not in text and "\\~" not in text


def test_ris_lists_every_author_in_utf8(client, seed):
    work_id = seed(1)[0]
    response = client.get(f"/works/{work_id}/cite.ris")
    assert response.status_code == 200
    lines = response.get_data().decode("utf-8").split("\r\n")
    assert lines[0] == "TY  - THES"
    assert [line for line in lines if line.startswith("AU")] == [
        "AU  - Nguyễn, Thị Hằng", "AU  - Trần, Đức Anh"]
    assert "PY  - 2021" in lines and "ER  -" in lines


def test_csl_json_splits_vietnamese_names_family_first(client, seed):
    work_id = seed(1, type="doctoral_dissertation")[0]
    response = client.get(f"/works/{work_id}/cite.json")
    assert response.status_code == 200
    item = json.loads(response.get_data(as_text=True))[0]
    assert item["type"] == "thesis"
    assert item["genre"] == "Doctoral dissertation"
    assert item["author"][0] == {"family": "Nguyễn", "given": "Thị Hằng"}
    assert item["issued"] == {"date-parts": [[2021]]}
    assert "Nguy\\u" not in response.get_data(as_text=True)


@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
def test_a_confidential_work_cannot_be_cited(client, seed, fmt):
    secret = seed(1, title="Hồ sơ mật", access_level="confidential", was_public=False)[0]
    response = client.get(f"/works/{secret}/cite.{fmt}")
    assert response.status_code == 404
    assert "Hồ sơ mật" not in response.get_data(as_text=True)


def test_an_unknown_format_is_404(client, seed):
    work_id = seed(1)[0]
    assert client.get(f"/works/{work_id}/cite.docx").status_code == 404
    assert client.get("/search/cite.docx?q=x").status_code == 404


def test_a_result_list_is_cited_with_the_search_scope(client, seed):
    seed(3, title="Mạng nơ-ron đồ thị")
    seed(1, title="Mạng nơ-ron bí mật", access_level="confidential", was_public=False)
    seed(1, title="Kinh tế vĩ mô")
    response = client.get("/search/cite.bib", query_string={"q": "mạng nơ-ron"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.count("@mastersthesis{") == 3
    assert "bí mật" not in text and "Kinh tế" not in text


def test_a_librarian_may_cite_what_they_may_see(client, seed, accounts):
    secret = seed(1, title="Hồ sơ mật", access_level="confidential", was_public=False)[0]
    login(client, "librarian@test.vn")
    response = client.get(f"/works/{secret}/cite.ris")
    assert response.status_code == 200
    assert "TI  - Hồ sơ mật" in response.get_data(as_text=True)


def test_an_open_work_page_has_scholar_and_dublin_core_tags(client, publish):
    work_id = publish("Nghiên cứu xâm nhập mặn", "open", creators=["Lê Thị Thu", "Võ Văn Kiệt"],
                      grantor="Trường Đại học Cần Thơ")
    tags = meta(client.get(f"/works/{work_id}").get_data(as_text=True))
    assert ("citation_title", "Nghiên cứu xâm nhập mặn") in tags
    assert [v for k, v in tags if k == "citation_author"] == ["Lê, Thị Thu", "Võ, Văn Kiệt"]
    assert ("citation_publication_date", "2020") in tags
    assert ("citation_dissertation_institution", "Trường Đại học Cần Thơ") in tags
    pdf = [v for k, v in tags if k == "citation_pdf_url"]
    assert len(pdf) == 1 and f"/works/{work_id}/files/" in pdf[0]
    assert ("DC.title", "Nghiên cứu xâm nhập mặn") in tags
    assert [v for k, v in tags if k == "DC.creator"] == ["Lê, Thị Thu", "Võ, Văn Kiệt"]
    assert ("DC.date", "2020") in tags
    identifiers = [v for k, v in tags if k == "DC.identifier"]
    assert f"http://repo.test/works/{work_id}" in identifiers
    assert f"vnir/{work_id}" in identifiers


@pytest.mark.parametrize("level", ["restricted", "campus"])
def test_no_pdf_url_where_anonymous_may_not_download(client, publish, level):
    work_id = publish("Luận văn có giới hạn", level)
    page = client.get(f"/works/{work_id}").get_data(as_text=True)
    tags = meta(page)
    assert ("citation_title", "Luận văn có giới hạn") in tags
    assert "citation_pdf_url" not in page


def test_a_confidential_page_carries_no_citation_tags(client, publish, accounts):
    work_id = publish("Hồ sơ mật", "confidential")
    login(client, "librarian@test.vn")
    response = client.get(f"/works/{work_id}")
    assert response.status_code == 200
    assert "citation_title" not in response.get_data(as_text=True)


def test_a_name_already_written_family_comma_given_is_kept(client, seed):
    work_id = seed(1, creators=["Smith, John Paul", "Lê Minh Tuấn", "UNESCO"])[0]
    lines = client.get(f"/works/{work_id}/cite.ris").get_data(as_text=True).split("\r\n")
    assert [line for line in lines if line.startswith("AU")] == [
        "AU  - Smith, John Paul", "AU  - Lê, Minh Tuấn", "AU  - UNESCO"]
    item = json.loads(client.get(f"/works/{work_id}/cite.json").get_data(as_text=True))[0]
    assert item["author"][0] == {"family": "Smith", "given": "John Paul"}
    assert item["author"][2] == {"literal": "UNESCO"}


def test_an_academic_title_is_set_aside_in_every_citation(client, seed):
    work_id = seed(1, creators=["PGS. TS. Lê Minh Tuấn", "ThS. Mai Thị Hoá"])[0]
    ris = client.get(f"/works/{work_id}/cite.ris").get_data(as_text=True).split("\r\n")
    assert [line for line in ris if line.startswith("AU")] == [
        "AU  - Lê, Minh Tuấn", "AU  - Mai, Thị Hoá"]
    assert "author = {Lê, Minh Tuấn and Mai, Thị Hoá}" in client.get(
        f"/works/{work_id}/cite.bib").get_data(as_text=True)
    item = json.loads(client.get(f"/works/{work_id}/cite.json").get_data(as_text=True))[0]
    assert item["author"][0] == {"family": "Lê", "given": "Minh Tuấn"}
    page = client.get(f"/works/{work_id}").get_data(as_text=True)
    assert '<meta name="citation_author" content="Lê, Minh Tuấn">' in page


def test_a_bilingual_record_carries_both_languages_tagged(client, seed):
    work_id = seed(1, title="Dự báo lũ sông Cả", title_en="Flood forecasting on the Ca River",
                   abstract_en="We forecast floods.", keywords_en=["flood forecasting"])[0]
    page = client.get(f"/works/{work_id}").get_data(as_text=True)
    assert '<meta name="DC.title" content="Dự báo lũ sông Cả" lang="vi">' in page
    assert '<meta name="DC.title" content="Flood forecasting on the Ca River" lang="en">' in page
    assert '<meta name="DC.description" content="We forecast floods." lang="en">' in page
    assert '<meta name="citation_keywords" content="flood forecasting" lang="en">' in page
    ris = client.get(f"/works/{work_id}/cite.ris").get_data(as_text=True)
    assert "TT  - Flood forecasting on the Ca River" in ris
    assert "KW  - flood forecasting" in ris


def test_result_citations_are_not_crowded_out_by_harvested_records(app, client, seed):
    from repo_app import resources
    from search.documents import WorkDocument

    seed(25, title="Mạng nơ-ron đồ thị")
    with app.app_context():
        resources.index().write([WorkDocument(id=f"h:{i}", title="Mạng nơ-ron đồ thị ngoài",
                                              url=f"http://partner.test/{i}", source="Đối tác",
                                              year=2030) for i in range(150)])
    response = client.get("/search/cite.ris", query_string={"q": "mạng nơ-ron", "sort": "newest"})
    assert response.get_data(as_text=True).count("TY  - ") == 25
