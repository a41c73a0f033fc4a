"""Harvesting DSpace and EPrints as they answer (captured responses on loopback), broken ones too.

What must hold: nothing is lost (a malformed page or an OAI error fails the
run with exit 1 and keeps the checkpoint; an expired token restarts the list),
one record per OAI identifier, and each partner's Dublin Core read right.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpers import login
from repo_app.db import standalone_session
from repo_app.models import HarvestedRecord, HarvestPartner, HarvestRun, HarvestSource

from .captured import CapturedPartner, oai_error, serve

DSPACE_NAME = "Thư viện số Trường Đại học Ví Dụ"


@pytest.fixture
def dspace():
    with serve(CapturedPartner("dspace")) as partner:
        yield partner


@pytest.fixture
def eprints():
    with serve(CapturedPartner("eprints")) as partner:
        yield partner


def harvest(runner, url: str, *args: str, code: int = 0):
    result = runner.invoke(args=["harvest", url, *args])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def records(app) -> dict[str, HarvestedRecord]:
    with standalone_session(app) as db:
        return {r.oai_identifier: r for r in db.scalars(select(HarvestedRecord))}


def source(app) -> HarvestSource:
    with standalone_session(app) as db:
        return db.scalar(select(HarvestSource))


def handle(n: int) -> str:
    return f"oai:dspace.example.org:123456789/{n}"


def test_a_dspace_list_is_harvested_over_two_pages(app, runner, dspace):
    output = harvest(runner, dspace.url)
    assert f"{DSPACE_NAME}: 2 pages" in output and "4 added" in output
    assert set(records(app)) == {handle(1021), handle(1022), handle(1023), handle(1024)}
    assert source(app).last_datestamp == "2026-11-20T08:15:02Z"


def test_dspace_dates_give_the_year_of_issue_not_of_accession(app, runner, dspace):
    harvest(runner, dspace.url)
    years = {k: r.year for k, r in records(app).items()}
    assert years[handle(1021)] == 2012
    assert years[handle(1022)] == 2003
    assert years[handle(1023)] == 2015


def test_the_vietnamese_title_of_a_bilingual_record_is_kept(app, runner, dspace):
    harvest(runner, dspace.url)
    assert records(app)[handle(1021)].title == "Quản lý chất lượng nước sông Hồng"


def test_tcvn3_partner_text_is_repaired(app, client, runner, dspace):
    harvest(runner, dspace.url)
    row = records(app)[handle(1022)]
    assert row.title == "Giáo trình kinh tế học đại cương"
    assert row.creators == ["Trần Văn Đức"]
    assert row.subjects == ["kinh tế học"]
    assert "¸" not in row.description and row.description.startswith("Giáo trình dùng cho")
    body = client.get("/api/v1/search?q=giao trinh kinh te").get_json()
    assert [h["title"] for h in body["hits"]] == ["Giáo trình kinh tế học đại cương"]


def test_eprints_links_to_the_landing_page_and_abstracts_are_plain_text(app, runner, eprints):
    harvest(runner, eprints.url)
    row = records(app)["oai:eprints.example.org:57"]
    assert row.url == "http://eprints.example.org/57/"
    assert row.description == "Luận án xây dựng mô hình dự báo lũ.\nKết quả & thảo luận."
    assert row.year == 2017


def test_a_partner_mapping_setting_is_kept_for_its_next_runs(app, runner, eprints):
    harvest(runner, eprints.url, "--map", "link=identifier")
    assert records(app)["oai:eprints.example.org:57"].url.endswith(".pdf")
    with standalone_session(app) as db:
        assert db.scalar(select(HarvestPartner)).mapping == {"link": "identifier"}


def test_an_unknown_mapping_setting_lists_the_allowed_ones(runner, eprints):
    output = harvest(runner, eprints.url, "--map", "link=pdf", code=1)
    assert "landing, identifier, relation" in output


def test_a_page_cut_off_mid_record_fails_and_keeps_the_checkpoint(app, runner, dspace):
    whole = dspace.page("ListRecords:oai_dc////3")
    dspace.answer("ListRecords:oai_dc////3", whole[: len(whole) // 2])
    output = harvest(runner, dspace.url, code=1)
    assert "page 2" in output and "not well-formed XML" in output
    assert len(records(app)) == 3, "the first page is kept, nothing bogus from the second"
    kept = source(app)
    assert kept.last_datestamp is None, "an incomplete list never moves the checkpoint"
    assert kept.resumption_token == "oai_dc////3"
    dspace.answer("ListRecords:oai_dc////3", whole)
    output = harvest(runner, dspace.url)
    assert "resumed" in output and "1 added" in output
    assert len([r for r in records(app).values() if not r.deleted]) == 4


def test_an_oai_error_on_the_first_request_fails_the_run(app, runner, dspace):
    dspace.answer("ListRecords", oai_error("badArgument", "Illegal argument"))
    output = harvest(runner, dspace.url, code=1)
    assert "badArgument" in output
    assert records(app) == {}
    assert source(app).last_datestamp is None


def test_no_records_match_is_a_complete_empty_list(app, runner, dspace):
    dspace.answer("ListRecords", oai_error("noRecordsMatch"))
    output = harvest(runner, dspace.url)
    assert "0 added" in output
    assert source(app).last_datestamp is not None


def test_an_expired_token_restarts_the_list_from_the_checkpoint(app, runner, dspace):
    whole = dspace.page("ListRecords:oai_dc////3")
    dspace.answer("ListRecords:oai_dc////3", b"<OAI-PMH", status=500)
    harvest(runner, dspace.url, code=1)
    # The partner restarted: the kept token is now unknown to it.
    dspace.answer("ListRecords:oai_dc////3", oai_error("badResumptionToken", "expired"))
    dspace.answer("ListRecords:oai_dc////4", whole)
    first = dspace.page("ListRecords").replace(b"oai_dc////3<", b"oai_dc////4<")
    dspace.answer("ListRecords", first)
    output = harvest(runner, dspace.url)
    assert "restarted" in output
    assert len([r for r in records(app).values() if not r.deleted]) == 4
    assert source(app).last_datestamp is not None
    asked = [r.get("resumptionToken") for r in dspace.requests if r.get("verb") == "ListRecords"]
    assert asked == [None, "oai_dc////3", "oai_dc////3", None, "oai_dc////4"]


def test_an_html_page_at_the_harvest_url_is_a_clear_error(runner, dspace):
    dspace.answer("Identify", b"<!DOCTYPE html><html><body><h1>DSpace</h1></body></html>",
                  content_type="text/html")
    output = harvest(runner, dspace.url, code=1)
    assert "HTML page" in output and "base URL" in output


def test_a_set_after_a_full_harvest_adds_no_duplicates(app, runner, dspace):
    harvest(runner, dspace.url)
    output = harvest(runner, dspace.url, "--set", "col_123456789_12")
    assert "0 added" in output
    with standalone_session(app) as db:
        assert len(db.scalars(select(HarvestedRecord)).all()) == 4


def test_two_base_urls_of_one_partner_share_its_records(app, runner, dspace):
    harvest(runner, dspace.url)
    with serve(dspace, host="localhost") as same:
        output = harvest(runner, same.url)
    assert "0 added" in output
    with standalone_session(app) as db:
        assert len(db.scalars(select(HarvestedRecord)).all()) == 4
        assert len(db.scalars(select(HarvestPartner)).all()) == 1
        assert len(db.scalars(select(HarvestSource)).all()) == 2


def test_a_record_deleted_later_leaves_search(app, client, runner, dspace):
    harvest(runner, dspace.url)
    assert client.get("/api/v1/search?q=GIS").get_json()["total"] == 1
    deleted = (b'<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
               b"<responseDate>2026-12-01T00:00:00Z</responseDate><request>x</request>"
               b'<ListRecords><record><header status="deleted"><identifier>'
               + handle(1023).encode() + b"</identifier><datestamp>2026-11-30T00:00:00Z"
               b"</datestamp></header></record></ListRecords></OAI-PMH>")
    dspace.answer("ListRecords", deleted)
    output = harvest(runner, dspace.url)
    assert "1 deleted" in output
    assert dspace.requests[-1]["from"] == "2026-11-20T08:15:02Z"
    assert records(app)[handle(1023)].deleted
    assert client.get("/api/v1/search?q=GIS").get_json()["total"] == 0


# What a partner may call itself to pass for this library: our index's "local", our names and
# host, as they are, in full-width forms, with look-alike Cyrillic or Greek letters, zero-width
# spaces, soft hyphens, punctuation, other case, or inside a longer name.
POSING_NAMES = ["local", "LOCAL ", "ＬＯＣＡＬ", "lοcal", "lo\u200bcal", "Trường Đại học Mẫu",
                "Trườпg Đại học Mẫu", "Trường Đại học Mẫu\u200b", "Trư\u00adờng Đại-học Mẫu",
                "TRUONG DAI HOC MAU", "Thư viện số Trường Đại học Mẫu", "Sample University",
                "repo.test"]


def _visible(name: str) -> str:
    return " ".join(name.replace("\u200b", "").replace("\u00ad", "").split())


@pytest.mark.parametrize("name", POSING_NAMES)
def test_a_partner_never_passes_for_this_library(app, client, runner, eprints, name):
    identify = eprints.page("Identify").replace(
        "Kho lưu trữ EPrints Đại học Ví Dụ".encode(), name.encode())
    eprints.answer("Identify", identify)
    harvest(runner, eprints.url)
    body = client.get("/api/v1/search?q=").get_json()
    sources = [f["value"] for f in body["facets"]["source"]]
    assert sources == [f"{_visible(name)} (127.0.0.1)"]
    assert {hit["source"] for hit in body["hits"]} == {sources[0]}
    assert client.get("/api/v1/works").get_json()["total"] == 0
    # The results page names the partner's library on each of its records.
    page = client.get("/search?q=").get_data(as_text=True)
    assert page.count("Thư viện: ") == body["total"] > 0


@pytest.mark.parametrize("stored", ["local", "Trường Đại học Mẫu", ""])
def test_a_name_stored_before_the_check_is_not_ours_after_a_rebuild(app, client, runner, eprints,
                                                                    stored):
    harvest(runner, eprints.url)
    with standalone_session(app) as db:  # as a harvest made before names were checked left it
        db.scalar(select(HarvestPartner)).name = stored
        db.commit()
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    body = client.get("/api/v1/search?q=").get_json()
    sources = {f["value"] for f in body["facets"]["source"]}
    assert len(sources) == 1 and "local" not in sources and stored not in sources
    assert client.get("/api/v1/works").get_json()["total"] == 0
    assert "Trường Đại học Mẫu</a>" not in client.get("/search?q=").get_data(as_text=True)


def test_a_partner_with_its_own_name_keeps_it(app, client, runner, eprints, publish):
    publish("Luận văn của thư viện", "open")
    harvest(runner, eprints.url)
    body = client.get("/api/v1/search?q=").get_json()
    assert {f["value"] for f in body["facets"]["source"]} == {
        "local", "Kho lưu trữ EPrints Đại học Ví Dụ"}
    local = [hit for hit in body["hits"] if hit["source"] == "local"]
    assert [hit["title"] for hit in local] == ["Luận văn của thư viện"]


def test_the_harvest_log_shows_each_run_to_librarians(app, accounts, runner, dspace):
    harvest(runner, dspace.url)
    dspace.answer("ListRecords", oai_error("badArgument", "Illegal argument"))
    harvest(runner, dspace.url, code=1)
    with standalone_session(app) as db:
        runs = db.scalars(select(HarvestRun).order_by(HarvestRun.id)).all()
        assert [(r.status, r.pages, r.added) for r in runs] == [("complete", 2, 4), ("failed", 0, 0)]
    librarian = app.test_client()
    login(librarian, "librarian@test.vn")
    page = librarian.get("/harvest").get_data(as_text=True)
    assert DSPACE_NAME in page and "badArgument" in page
    reader = app.test_client()
    login(reader, "reader@test.vn")
    assert reader.get("/harvest").status_code == 403
    assert app.test_client().get("/harvest").status_code == 302
