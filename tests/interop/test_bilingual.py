"""Bilingual records: the English title, abstract and keywords from the form to every output."""

from __future__ import annotations

from lxml import etree

from helpers import login

from .conftest import NS

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ENGLISH = {"title_en": "Flood forecasting on the Ca River", "abstract_en": "We forecast floods.",
           "keywords_en": ["flood forecasting", "hydrology"]}


def test_the_deposit_form_keeps_the_english_version(client, accounts, make_pdf):
    import io

    from helpers import csrf_token

    login(client, "depositor@test.vn")
    data = {"title": "Dự báo lũ sông Cả", "creators": "Lê Văn A", "type": "master_thesis",
            "year": "2022", "language": "vi", "collection_id": "0", "degree_level": "master",
            "title_en": ENGLISH["title_en"], "abstract_en": ENGLISH["abstract_en"],
            "keywords_en": "flood forecasting; hydrology", "save": "1",
            "csrf_token": csrf_token(client, "/deposit"),
            "files": [(io.BytesIO(make_pdf("Nội dung").read_bytes()), "a.pdf")]}
    response = client.post("/deposit", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<p class="title-en" lang="en">Flood forecasting on the Ca River</p>' in page
    assert "We forecast floods." in page and "hydrology" in page
    edit = client.get(response.headers["Location"] + "/edit").get_data(as_text=True)
    assert "flood forecasting\nhydrology" in edit


def _record(client, schema, work_id: int, prefix: str) -> etree._Element:
    doc = etree.fromstring(client.get(
        f"/oai?verb=GetRecord&metadataPrefix={prefix}&identifier=oai:repo.test:{work_id}").data)
    assert schema.validate(doc), schema.error_log.last_error
    return doc


def test_oai_dc_tags_each_language(client, seed, oai_schema):
    work_id = seed(1, title="Dự báo lũ sông Cả", keywords=["dự báo lũ"], **ENGLISH)[0]
    doc = _record(client, oai_schema, work_id, "oai_dc")
    titles = [(t.text, t.get(XML_LANG)) for t in doc.iterfind(".//dc:title", NS)]
    assert titles == [("Dự báo lũ sông Cả", "vi"), ("Flood forecasting on the Ca River", "en")]
    subjects = [(t.text, t.get(XML_LANG)) for t in doc.iterfind(".//dc:subject", NS)]
    assert subjects == [("dự báo lũ", "vi"), ("flood forecasting", "en"), ("hydrology", "en")]
    descriptions = {t.get(XML_LANG): t.text for t in doc.iterfind(".//dc:description", NS)}
    assert descriptions == {"vi": "Tóm tắt luận văn.", "en": "We forecast floods."}


def test_etdms_tags_each_language(client, seed, oai_schema):
    work_id = seed(1, title="Dự báo lũ sông Cả", **ENGLISH)[0]
    doc = _record(client, oai_schema, work_id, "oai_etdms")
    titles = [(t.text, t.get(XML_LANG)) for t in doc.iterfind(".//e:title", NS)]
    assert titles == [("Dự báo lũ sông Cả", "vi"), ("Flood forecasting on the Ca River", "en")]


def test_a_record_without_english_carries_no_empty_english_element(client, seed, oai_schema):
    work_id = seed(1)[0]
    doc = _record(client, oai_schema, work_id, "oai_dc")
    assert [t.get(XML_LANG) for t in doc.iterfind(".//dc:title", NS)] == ["vi"]


def test_both_languages_are_searchable(client, seed):
    work_id = seed(1, title="Dự báo lũ sông Cả", **ENGLISH)[0]
    for query in ("dự báo lũ", "flood forecasting", "hydrology", "forecast floods"):
        hits = client.get("/api/v1/search", query_string={"q": query}).get_json()["hits"]
        assert [h["id"] for h in hits] == [work_id], query
