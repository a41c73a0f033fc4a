"""MARC 21: every record we write reads back with pymarc, and MARCXML validates against the
Library of Congress MARC21 slim schema (in ../shared/xsd)."""

from __future__ import annotations

import io

import pytest
from lxml import etree
from pymarc import MARCReader, parse_xml_to_array

from .conftest import NS, load_schema

MARC = {"m": "http://www.loc.gov/MARC21/slim"}
THESIS = {"title": "Dự báo lũ sông Cả", "title_en": "Flood forecasting on the Ca River",
          "abstract_en": "We forecast floods.", "keywords_en": ["flood forecasting"],
          "creators": ["Nguyễn Thị Hằng", "Trần Đức Anh"], "advisors": ["Lê Văn Bình"],
          "type": "doctoral_dissertation", "degree_level": "doctoral",
          "degree_name": "Tiến sĩ Thủy văn học", "discipline": "Thủy văn học", "year": 2019}


@pytest.fixture(scope="session")
def marc_schema() -> etree.XMLSchema:
    return load_schema("MARC21slim.xsd")


def subfields(record, tag: str, code: str) -> list[str]:
    return [v for f in record.get_fields(tag) for v in f.get_subfields(code)]


def read_mrc(data: bytes) -> list:
    return list(MARCReader(data, to_unicode=True, force_utf8=True))


def test_a_thesis_maps_as_national_libraries_catalogue_it(client, seed):
    work_id = seed(1, **THESIS)[0]
    response = client.get(f"/works/{work_id}/export.mrc")
    assert response.status_code == 200 and response.mimetype == "application/marc"
    [record] = read_mrc(response.data)
    assert record.leader[6:10] == "am a"
    assert record["001"].data == f"vnir/{work_id}"
    fixed = record["008"].data
    assert len(fixed) == 40 and fixed[7:11] == "2019" and fixed[15:17] == "vm"
    assert fixed[23] == "o" and fixed[24] == "m" and fixed[35:38] == "vie"
    assert subfields(record, "041", "a") == ["vie"] and subfields(record, "041", "b") == [
        "vie", "eng"]
    assert subfields(record, "100", "a") == ["Nguyễn, Thị Hằng"]
    assert subfields(record, "100", "e") == ["author"]
    assert subfields(record, "245", "a") == ["Dự báo lũ sông Cả"]
    assert subfields(record, "242", "a") == ["Flood forecasting on the Ca River"]
    assert subfields(record, "242", "y") == ["eng"]
    assert subfields(record, "264", "c") == ["2019"]
    assert subfields(record, "502", "b") == ["Tiến sĩ Thủy văn học"]
    assert subfields(record, "502", "c") == ["Trường Đại học Mẫu"]
    assert subfields(record, "502", "d") == ["2019"]
    assert subfields(record, "520", "a") == ["Tóm tắt luận văn.", "We forecast floods."]
    assert subfields(record, "650", "a") == ["Thủy văn học"]
    assert subfields(record, "653", "a") == ["học máy", "xử lý ảnh", "flood forecasting"]
    people = {(f["a"], f["e"]) for f in record.get_fields("700")}
    assert people == {("Trần, Đức Anh", "author"), ("Lê, Văn Bình", "thesis advisor")}
    assert subfields(record, "710", "4") == ["dgg"]
    assert subfields(record, "856", "u") == [f"http://repo.test/works/{work_id}"]


def test_an_academic_title_is_no_family_name_and_no_english_title_no_242(client, seed):
    work_id = seed(1, **{**THESIS, "title_en": "", "creators": ["TS. Nguyễn Thị Hằng"],
                         "advisors": ["PGS.TS. Lê Văn Bình", "ThS. Mai Thị Hoá"]})[0]
    [record] = read_mrc(client.get(f"/works/{work_id}/export.mrc").data)
    assert subfields(record, "100", "a") == ["Nguyễn, Thị Hằng"]
    assert subfields(record, "100", "c") == ["TS."]
    assert [(f["a"], f["c"]) for f in record.get_fields("700")] == [
        ("Lê, Văn Bình", "PGS.TS."), ("Mai, Thị Hoá", "ThS.")]
    assert record.get_fields("242") == []  # 242 without $a would be an empty translated title


def test_the_pages_and_the_pdf_link_come_from_the_files(client, publish):
    work_id = publish("Luận văn mở", "open")
    [record] = read_mrc(client.get(f"/works/{work_id}/export.mrc").data)
    assert subfields(record, "300", "a") == ["1 tr."]
    links = subfields(record, "856", "u")
    assert links[0] == f"http://repo.test/works/{work_id}" and "/files/" in links[1]


def test_a_restricted_work_has_no_file_link(client, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    [record] = read_mrc(client.get(f"/works/{work_id}/export.mrc").data)
    assert subfields(record, "856", "u") == [f"http://repo.test/works/{work_id}"]


def test_marcxml_is_valid_and_reads_back(client, seed, marc_schema):
    work_id = seed(1, **THESIS)[0]
    response = client.get(f"/works/{work_id}/export.marcxml")
    assert response.status_code == 200
    doc = etree.fromstring(response.data)
    assert marc_schema.validate(doc), marc_schema.error_log.last_error
    [record] = parse_xml_to_array(io.BytesIO(response.data))
    assert record["245"]["a"] == "Dự báo lũ sông Cả"


def test_a_confidential_work_cannot_be_exported(client, seed):
    secret = seed(1, title="Hồ sơ mật", access_level="confidential", was_public=False)[0]
    for fmt in ("marcxml", "mrc"):
        response = client.get(f"/works/{secret}/export.{fmt}")
        assert response.status_code == 404
        assert "Hồ sơ mật".encode() not in response.data


def test_oai_pmh_offers_marc21_and_every_record_validates(client, seed, oai_schema):
    ids = seed(3, **THESIS)
    formats = etree.fromstring(client.get("/oai?verb=ListMetadataFormats").data)
    assert "marc21" in [p.text for p in formats.iterfind(".//o:metadataPrefix", NS)]
    doc = etree.fromstring(client.get("/oai?verb=ListRecords&metadataPrefix=marc21").data)
    assert oai_schema.validate(doc), oai_schema.error_log.last_error
    records = doc.findall(".//o:metadata/m:record", {**NS, **MARC})
    assert len(records) == 3
    got = etree.fromstring(client.get(
        f"/oai?verb=GetRecord&metadataPrefix=marc21&identifier=oai:repo.test:{ids[0]}").data)
    assert oai_schema.validate(got), oai_schema.error_log.last_error
    data = got.find(".//m:datafield[@tag='245']/m:subfield[@code='a']", MARC)
    assert data.text == "Dự báo lũ sông Cả"


def test_export_marc_writes_every_public_work_for_koha(app, runner, seed, tmp_path):
    public = seed(3, **THESIS) + seed(1, access_level="restricted")
    seed(1, title="Hồ sơ mật", access_level="confidential", was_public=False)
    seed(1, title="Bản nháp", status="draft", was_public=False)
    target = tmp_path / "koha.mrc"
    result = runner.invoke(args=["export", "--marc", str(target)])
    assert result.exit_code == 0, result.output
    assert "4 records" in result.output
    records = read_mrc(target.read_bytes())
    assert [r["001"].data for r in records] == [f"vnir/{i}" for i in public]
    assert b"M\xe1\xba\xadt" not in target.read_bytes() and "Bản nháp".encode() not in \
        target.read_bytes()


def test_export_without_a_target_says_what_is_needed(runner):
    result = runner.invoke(args=["export"])
    assert result.exit_code == 1 and "--marc FILE" in result.output
