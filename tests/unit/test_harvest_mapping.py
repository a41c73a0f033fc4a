"""Reading a partner's oai_dc: dates, links, HTML and legacy Vietnamese fonts, per partner."""

from __future__ import annotations

import pytest

from repo_app.errors import UserError
from repo_app.services.harvest_client import DcValue, PartnerRecord
from repo_app.services.harvest_mapping import (
    Mapping,
    map_record,
    parse_setting,
    pick_link,
    pick_year,
)


def record(**fields: list[str]) -> PartnerRecord:
    return PartnerRecord("oai:p:1", "2026-01-01T00:00:00Z", False, (),
                         {name: [DcValue(v) for v in values] for name, values in fields.items()})


@pytest.mark.parametrize(("dates", "rule", "year"), [
    (["2019-05-14T02:31:07Z", "2019-05-14T02:31:07Z", "2012"], "earliest", 2012),
    (["2018-01-02T10:00:00Z", "2003-05"], "earliest", 2003),
    (["2020-09-30T04:00:00Z"], "earliest", 2020),
    (["2019-05-14T02:31:07Z", "2012"], "first", 2019),
    (["2012", "2019-05-14T02:31:07Z"], "last", 2019),
    (["n.d."], "earliest", None),
])
def test_the_year_is_the_issue_not_the_accession(dates, rule, year):
    assert pick_year(dates, rule) == year


def test_the_link_is_the_landing_page_not_the_file():
    dc = record(identifier=["http://e.org/57/1/thesis.pdf", "Citation text"],
                relation=["http://e.org/57/"]).dc
    assert pick_link(dc, "landing") == "http://e.org/57/"
    assert pick_link(dc, "identifier") == "http://e.org/57/1/thesis.pdf"
    dspace = record(identifier=["http://d.org/bitstream/1/2/a.pdf", "http://d.org/handle/1/2"]).dc
    assert pick_link(dspace, "landing") == "http://d.org/handle/1/2"


def test_html_becomes_plain_text_unless_kept():
    rec = record(title=["Tiêu đề"], description=["<p>Một <i>đoạn</i>.</p><p>Hai &amp; ba</p>"])
    assert map_record(rec, Mapping()).description == "Một đoạn.\nHai & ba"
    assert map_record(rec, Mapping(html="keep")).description.startswith("<p>")


def test_vni_text_is_repaired_with_the_ingest_tables():
    rec = record(title=["Nghieân cöùu chaát löôïng nöôùc soâng Hoàng"],
                 description=["Vaø caùc giaûi phaùp quaûn lyù chaát löôïng nöôùc"])
    mapped = map_record(rec, Mapping())
    assert mapped.title == "Nghiên cứu chất lượng nước sông Hồng"
    assert map_record(rec, Mapping(legacy_fonts="off")).title.startswith("Nghieân")


def test_unicode_vietnamese_is_left_alone():
    rec = record(title=["Hoà bình và phát triển bền vững"], subject=["phát triển"])
    assert map_record(rec, Mapping(legacy_fonts="tcvn3")).title == "Hoà bình và phát triển bền vững"


def test_mapping_settings_are_checked_and_only_differences_are_kept():
    assert parse_setting("date=last") == ("date", "last")
    with pytest.raises(UserError):
        parse_setting("date=newest")
    with pytest.raises(UserError):
        parse_setting("colour=blue")
    assert Mapping(link="relation").differences() == {"link": "relation"}
    assert Mapping.from_stored({"html": "keep", "unknown": "x"}) == Mapping(html="keep")
