"""The OAI-PMH provider: every verb and error validates against the official schemas."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import actor_for
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from repo_app.db import standalone_session
from repo_app.models import Work
from repo_app.services import works

from .conftest import NS


def harvest(client: FlaskClient, schema: etree.XMLSchema, query: str,
            method: str = "GET") -> etree._Element:
    """Ask /oai, check status, type and schema validity, return the parsed document."""
    if method == "POST":
        response = client.post("/oai", data=dict(p.split("=", 1) for p in query.split("&")))
    else:
        response = client.get(f"/oai?{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    doc = etree.fromstring(response.data)
    assert schema.validate(doc), schema.error_log.last_error
    return doc


def error_code(doc: etree._Element) -> str | None:
    found = doc.find("o:error", NS)
    return None if found is None else found.get("code")


def test_the_schema_rejects_an_invalid_response(oai_schema):
    broken = etree.fromstring(
        b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>yesterday'
        b'</responseDate><request>http://x/oai</request><Identify/></OAI-PMH>')
    assert not oai_schema.validate(broken)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("query", [
    "verb=Identify",
    "verb=ListMetadataFormats",
    "verb=ListMetadataFormats&identifier=oai:repo.test:{id}",
    "verb=ListSets",
    "verb=GetRecord&identifier=oai:repo.test:{id}&metadataPrefix=oai_dc",
    "verb=GetRecord&identifier=oai:repo.test:{id}&metadataPrefix=oai_etdms",
    "verb=ListIdentifiers&metadataPrefix=oai_dc",
    "verb=ListRecords&metadataPrefix=oai_dc",
    "verb=ListRecords&metadataPrefix=oai_etdms",
    "verb=ListRecords&metadataPrefix=oai_dc&set=faculty.cntt&from=2000-01-01&until=2999-12-31",
])
def test_every_verb_answers_a_valid_document(client, seed, oai_schema, query, method):
    work_id = seed(3)[0]
    doc = harvest(client, oai_schema, query.format(id=work_id), method)
    assert error_code(doc) is None
    verb = query.split("&")[0].split("=")[1]
    assert doc.find(f"o:{verb}", NS) is not None


@pytest.mark.parametrize(("query", "code"), [
    ("", "badVerb"),
    ("verb=Harvest", "badVerb"),
    ("verb=Identify&verb=ListSets", "badVerb"),
    ("verb=Identify&extra=1", "badArgument"),
    ("verb=ListRecords", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument"),
    ("verb=GetRecord&identifier=oai:repo.test:1", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2021-13-01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=21/01/2021", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2021-01-01T00:00:00", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2021-01-01&until=2021-02-01T00:00:00Z",
     "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2022-01-01&until=2021-01-01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&set=faculty cntt", "badArgument"),
    ("verb=ListRecords&metadataPrefix=bad prefix", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc", "badArgument"),
    ("verb=GetRecord&identifier=%25%25&metadataPrefix=oai_dc", "badArgument"),
    ("verb=GetRecord&identifier=oai:repo.test:1 2&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&set=%00", "badArgument"),
    ("verb=ListRecords&resumptionToken=%01", "badArgument"),
    ("verb=%00Identify", "badVerb"),
    ("verb=ListRecords&resumptionToken=not-a-token", "badResumptionToken"),
    ("verb=ListIdentifiers&resumptionToken=WzEsIm9haV9kYyJd.forged", "badResumptionToken"),
    ("verb=ListSets&resumptionToken=anything", "badResumptionToken"),
    ("verb=ListRecords&metadataPrefix=mods", "cannotDisseminateFormat"),
    ("verb=GetRecord&identifier=oai:repo.test:{id}&metadataPrefix=mods", "cannotDisseminateFormat"),
    ("verb=GetRecord&identifier=oai:repo.test:999999&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("verb=GetRecord&identifier=oai:other.org:{id}&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("verb=ListMetadataFormats&identifier=oai:repo.test:abc", "idDoesNotExist"),
    ("verb=ListRecords&metadataPrefix=oai_dc&set=faculty.nope", "noRecordsMatch"),
    ("verb=ListRecords&metadataPrefix=oai_dc&set=type.poem", "noRecordsMatch"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&from=2999-01-01", "noRecordsMatch"),
    ("verb=ListRecords&metadataPrefix=oai_dc&until=1999-01-01T00:00:00Z", "noRecordsMatch"),
])
def test_every_error_code_is_a_valid_document(client, seed, oai_schema, query, code):
    work_id = seed(2)[0]
    doc = harvest(client, oai_schema, query.format(id=work_id))
    assert error_code(doc) == code
    assert doc.find("o:ListRecords", NS) is None


@pytest.mark.parametrize("query", ["verb=Harvest", "verb=ListRecords&metadataPrefix=oai_dc&x=1"])
def test_bad_verb_and_bad_argument_do_not_echo_the_request(client, seed, oai_schema, query):
    seed(1)
    doc = harvest(client, oai_schema, query)
    request = doc.find("o:request", NS)
    assert dict(request.attrib) == {}
    assert request.text == "http://repo.test/oai"
    assert b"Harvest" not in etree.tostring(doc)


def test_other_errors_echo_the_valid_arguments(client, seed, oai_schema):
    seed(1)
    doc = harvest(client, oai_schema, "verb=ListRecords&metadataPrefix=mods")
    assert doc.find("o:request", NS).attrib == {"verb": "ListRecords", "metadataPrefix": "mods"}


def test_identify_describes_the_repository(client, seed, oai_schema):
    seed(1)
    doc = harvest(client, oai_schema, "verb=Identify")
    ident = doc.find("o:Identify", NS)
    assert ident.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert ident.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert ident.findtext("o:baseURL", namespaces=NS) == "http://repo.test/oai"
    assert ident.findtext("o:earliestDatestamp", namespaces=NS).endswith("Z")
    assert b"oai:repo.test:1" in etree.tostring(doc)


def test_resumption_tokens_page_through_the_whole_list(client, seed, oai_schema):
    ids = set(seed(120))
    seen, cursors = [], []
    doc = harvest(client, oai_schema, "verb=ListIdentifiers&metadataPrefix=oai_dc")
    while True:
        body = doc.find("o:ListIdentifiers", NS)
        seen += [h.findtext("o:identifier", namespaces=NS) for h in body.findall("o:header", NS)]
        token = body.find("o:resumptionToken", NS)
        assert token.get("completeListSize") == "120"
        cursors.append(token.get("cursor"))
        if not token.text:
            break
        doc = harvest(client, oai_schema, f"verb=ListIdentifiers&resumptionToken={token.text}")
    assert cursors == ["0", "50", "100"]
    assert seen == [f"oai:repo.test:{i}" for i in sorted(ids)]


def test_a_single_page_list_has_no_token(client, seed, oai_schema):
    seed(3)
    doc = harvest(client, oai_schema, "verb=ListRecords&metadataPrefix=oai_dc")
    assert doc.find("o:ListRecords/o:resumptionToken", NS) is None
    assert len(doc.findall("o:ListRecords/o:record", NS)) == 3


def test_a_tampered_token_is_refused(client, seed, oai_schema):
    seed(60)
    doc = harvest(client, oai_schema, "verb=ListRecords&metadataPrefix=oai_dc")
    token = doc.findtext("o:ListRecords/o:resumptionToken", namespaces=NS)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    doc = harvest(client, oai_schema, f"verb=ListRecords&resumptionToken={tampered}")
    assert error_code(doc) == "badResumptionToken"


def _set_datestamp(app: Flask, work_id: int, moment: datetime) -> None:
    with standalone_session(app) as db:
        db.get(Work, work_id).datestamp = moment
        db.commit()


def test_from_and_until_select_by_datestamp_at_both_granularities(oai_app, client, seed,
                                                                   oai_schema):
    old, new = seed(2)
    _set_datestamp(oai_app, old, datetime(2020, 5, 1, 8, 30, 0, tzinfo=UTC))
    _set_datestamp(oai_app, new, datetime(2020, 5, 2, 23, 59, 59, tzinfo=UTC))

    def ids(query: str) -> list[str]:
        doc = harvest(client, oai_schema, f"verb=ListIdentifiers&metadataPrefix=oai_dc&{query}")
        return [h.findtext("o:identifier", namespaces=NS)
                for h in doc.findall("o:ListIdentifiers/o:header", NS)]

    assert ids("from=2020-05-02") == [f"oai:repo.test:{new}"]
    assert ids("until=2020-05-01") == [f"oai:repo.test:{old}"]
    assert ids("from=2020-05-01T08:30:00Z&until=2020-05-01T08:30:00Z") == [f"oai:repo.test:{old}"]
    assert ids("from=2020-05-01T08:30:01Z") == [f"oai:repo.test:{new}"]
    assert ids("until=2020-05-02T23:59:59Z") == [f"oai:repo.test:{old}", f"oai:repo.test:{new}"]
    doc = harvest(client, oai_schema, f"verb=GetRecord&identifier=oai:repo.test:{new}"
                                      "&metadataPrefix=oai_dc")
    assert doc.findtext("o:GetRecord/o:record/o:header/o:datestamp",
                        namespaces=NS) == "2020-05-02T23:59:59Z"


def test_sets_are_faculties_with_vietnamese_names_and_types(client, seed, oai_schema):
    seed(2)
    seed(1, faculty="kt", faculty_name="Khoa Kinh tế", type="doctoral_dissertation",
         degree_level="doctoral")
    doc = harvest(client, oai_schema, "verb=ListSets")
    names = {s.findtext("o:setSpec", namespaces=NS): s.findtext("o:setName", namespaces=NS)
             for s in doc.findall("o:ListSets/o:set", NS)}
    assert names["faculty.cntt"] == "Khoa Công nghệ Thông tin"
    assert names["faculty.kt"] == "Khoa Kinh tế"
    assert {"type.master_thesis", "type.doctoral_dissertation"} <= set(names)
    doc = harvest(client, oai_schema, "verb=ListIdentifiers&metadataPrefix=oai_dc&set=faculty.kt")
    headers = doc.findall("o:ListIdentifiers/o:header", NS)
    assert len(headers) == 1
    assert [s.text for s in headers[0].findall("o:setSpec", NS)] == [
        "faculty.kt", "type.doctoral_dissertation"]
    doc = harvest(client, oai_schema,
                  "verb=ListIdentifiers&metadataPrefix=oai_dc&set=type.master_thesis")
    assert len(doc.findall("o:ListIdentifiers/o:header", NS)) == 2


def test_etdms_carries_the_degree(client, seed, oai_schema):
    work_id = seed(1)[0]
    doc = harvest(client, oai_schema,
                  f"verb=GetRecord&identifier=oai:repo.test:{work_id}&metadataPrefix=oai_etdms")
    degree = doc.find(".//e:thesis/e:degree", NS)
    assert degree.findtext("e:name", namespaces=NS) == "Thạc sĩ Khoa học máy tính"
    assert degree.findtext("e:level", namespaces=NS) == "Masters"
    assert degree.findtext("e:discipline", namespaces=NS) == "Khoa học máy tính"
    assert degree.findtext("e:grantor", namespaces=NS) == "Trường Đại học Mẫu"
    assert [c.text for c in doc.findall(".//e:thesis/e:creator", NS)] == [
        "Nguyễn, Thị Hằng", "Trần, Đức Anh"]


def test_oai_dc_writes_names_family_comma_given(client, seed, oai_schema):
    work_id = seed(1)[0]  # advisor "PGS. TS. Lê Văn Bình": the title is no part of the name
    doc = harvest(client, oai_schema,
                  f"verb=GetRecord&identifier=oai:repo.test:{work_id}&metadataPrefix=oai_dc")
    assert [c.text for c in doc.findall(".//dc:creator", NS)] == [
        "Nguyễn, Thị Hằng", "Trần, Đức Anh"]
    assert [c.text for c in doc.findall(".//dc:contributor", NS)] == ["Lê, Văn Bình"]


def test_a_withdrawn_work_is_a_deleted_record(oai_app, client, seed, oai_schema, accounts):
    kept, gone = seed(2)
    with oai_app.test_request_context(), standalone_session(oai_app) as db:
        work = db.get(Work, gone)
        works.withdraw(db, actor_for(accounts["librarian"], "librarian"), work, "plagiarism")
    doc = harvest(client, oai_schema, "verb=ListRecords&metadataPrefix=oai_dc")
    records = {r.findtext("o:header/o:identifier", namespaces=NS): r
               for r in doc.findall("o:ListRecords/o:record", NS)}
    deleted = records[f"oai:repo.test:{gone}"]
    assert deleted.find("o:header", NS).get("status") == "deleted"
    assert deleted.find("o:metadata", NS) is None
    assert records[f"oai:repo.test:{kept}"].find("o:header", NS).get("status") is None
    doc = harvest(client, oai_schema, f"verb=GetRecord&identifier=oai:repo.test:{gone}"
                                      "&metadataPrefix=oai_etdms")
    assert doc.find("o:GetRecord/o:record/o:header", NS).get("status") == "deleted"
    assert "Luận văn" not in etree.tostring(doc, encoding="unicode")


def test_confidential_works_appear_in_no_response(client, seed, oai_schema):
    seed(1)
    secret = seed(1, title="Bí mật quốc phòng", access_level="confidential", was_public=False)[0]
    for query in ("verb=ListRecords&metadataPrefix=oai_dc",
                  "verb=ListRecords&metadataPrefix=oai_etdms",
                  "verb=ListIdentifiers&metadataPrefix=oai_dc"):
        text = etree.tostring(harvest(client, oai_schema, query), encoding="unicode")
        assert "Bí mật" not in text
        assert f"oai:repo.test:{secret}<" not in text
    doc = harvest(client, oai_schema,
                  f"verb=GetRecord&identifier=oai:repo.test:{secret}&metadataPrefix=oai_dc")
    assert error_code(doc) == "idDoesNotExist"


def test_file_links_only_where_anyone_may_download(oai_app, client, publish, oai_schema):
    open_id = publish("Luận văn mở", "open")
    restricted_id = publish("Luận văn hạn chế", "restricted")
    doc = harvest(client, oai_schema, "verb=ListRecords&metadataPrefix=oai_dc")
    links = {}
    for record in doc.findall("o:ListRecords/o:record", NS):
        ident = record.findtext("o:header/o:identifier", namespaces=NS)
        links[ident] = [i.text for i in record.findall(".//dc:identifier", NS)]
    assert any("/files/" in u for u in links[f"oai:repo.test:{open_id}"])
    restricted = links[f"oai:repo.test:{restricted_id}"]
    assert f"http://repo.test/works/{restricted_id}" in restricted
    assert not any("/files/" in u for u in restricted)


def test_hidden_embargoed_metadata_is_not_disseminated(oai_app, client, seed, oai_schema):
    oai_app.extensions["repo_policy"] = type(oai_app.extensions["repo_policy"])(
        embargo_metadata_public=False)
    until = datetime.now(UTC).date() + timedelta(days=30)
    hidden = seed(1, title="Đang cấm công bố", access_level="embargoed", embargo_until=until,
                  was_public=False)[0]
    seed(1)
    doc = harvest(client, oai_schema, "verb=ListRecords&metadataPrefix=oai_dc")
    assert "Đang cấm" not in etree.tostring(doc, encoding="unicode")
    doc = harvest(client, oai_schema,
                  f"verb=GetRecord&identifier=oai:repo.test:{hidden}&metadataPrefix=oai_dc")
    assert error_code(doc) == "idDoesNotExist"


def test_control_characters_in_metadata_do_not_break_the_response(client, seed, oai_schema):
    work_id = seed(1, title="Tiêu đề\x0b có ký tự lạ\x00")[0]
    doc = harvest(client, oai_schema,
                  f"verb=GetRecord&identifier=oai:repo.test:{work_id}&metadataPrefix=oai_dc")
    assert doc.findtext(".//dc:title", namespaces=NS) == "Tiêu đề có ký tự lạ"
