"""The holdings register from the library system's MARC 21 export (Koha ISO 2709, MARCXML)."""

from __future__ import annotations

import io

import pytest
from pymarc import Field, Indicators, MARCWriter, Record, Subfield, XMLWriter
from sqlalchemy import select

from repo_app.db import standalone_session
from repo_app.models import Holding


def koha_record(biblionumber: str, title: str, author: str, year: str, note: str,
                call_number: str, *, link: bool = False, items: bool = True) -> Record:
    """A bibliographic record laid out as Koha exports it (999 $c biblionumber, 952 items)."""
    record = Record(force_utf8=True, leader="00000nam a22000007a 4500")
    record.add_field(Field(tag="008", data="240101s" + year + "    vm     om    000 0 vie d"))
    fields = [
        ("100", "1 ", [("a", author + ",")]),
        ("245", "10", [("a", title + " /"), ("c", author + ".")]),
        ("264", " 1", [("a", "Hà Nội :"), ("b", "Trường Đại học Mẫu,"), ("c", year + ".")]),
        ("502", "  ", [("b", note), ("c", "Trường Đại học Mẫu"), ("d", year)]),
        ("710", "2 ", [("a", "Trường Đại học Mẫu."), ("b", "Khoa Kinh tế")]),
        ("942", "  ", [("c", "LV")]),
        ("999", "  ", [("c", biblionumber), ("d", biblionumber)]),
    ]
    if items:
        fields.append(("952", "  ", [("a", "TVM"), ("o", call_number), ("y", "LV")]))
    if link:
        fields.append(("856", "40", [("u", f"http://opac.example.org/{biblionumber}")]))
    for tag, ind, subs in fields:
        record.add_field(Field(tag=tag, indicators=Indicators(*ind),
                               subfields=[Subfield(c, v) for c, v in subs]))
    return record


RECORDS = [
    koha_record("101", "Quản trị rủi ro tín dụng", "Nguyễn Văn An", "2012", "Luận văn Thạc sĩ",
                "LV.KT.101"),
    koha_record("102", "Chính sách tiền tệ", "Trần Thị Bình", "2009", "Luận án Tiến sĩ",
                "LA.KT.7", link=True),
    koha_record("103", "Kế toán doanh nghiệp", "Lê Văn Cường", "2015", "Khoá luận cử nhân",
                "KL.15", link=True, items=False),
]


def iso2709(records: list[Record]) -> bytes:
    out = io.BytesIO()
    writer = MARCWriter(out)
    for record in records:
        writer.write(record)
    return out.getvalue()


def marcxml(records: list[Record]) -> bytes:
    out = io.BytesIO()
    writer = XMLWriter(out)
    for record in records:
        writer.write(record)
    writer.close(close_fh=False)
    return out.getvalue()


def holdings_of(app) -> dict[str, Holding]:
    with standalone_session(app) as db:
        return {h.holding_id: h for h in db.scalars(select(Holding))}


@pytest.mark.parametrize("encode", [iso2709, marcxml], ids=["iso2709", "marcxml"])
def test_a_koha_export_loads_the_register(app, runner, tmp_path, encode):
    path = tmp_path / "koha.mrc"
    path.write_bytes(encode(RECORDS))
    result = runner.invoke(args=["holdings", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 dòng: thêm 3," in result.output
    found = holdings_of(app)
    first = found["101"]
    assert first.title == "Quản trị rủi ro tín dụng"
    assert first.creators == ["Nguyễn Văn An"]
    assert (first.year, first.type, first.category) == (2012, "master_thesis", "endogenous")
    assert (first.faculty, first.shelf_mark, first.format) == ("Khoa Kinh tế", "LV.KT.101", "print")
    assert (found["102"].type, found["102"].format) == ("doctoral_dissertation", "both")
    assert (found["103"].type, found["103"].format) == ("bachelor_thesis", "digital")


def test_a_marc_file_imported_twice_updates_and_never_duplicates(app, runner, tmp_path):
    path = tmp_path / "koha.mrc"
    path.write_bytes(iso2709(RECORDS))
    runner.invoke(args=["holdings", "import", str(path)])
    again = runner.invoke(args=["holdings", "import", str(path), "--category", "rare"])
    assert "thêm 0, cập nhật 3," in again.output
    assert {h.category for h in holdings_of(app).values()} == {"rare"}


def test_a_bad_record_is_reported_by_number_and_the_others_are_kept(app, runner, tmp_path):
    untitled = koha_record("104", "", "Ai đó", "2010", "Luận văn Thạc sĩ", "X")
    untitled.remove_fields("245")
    path = tmp_path / "koha.xml"
    path.write_bytes(marcxml([RECORDS[0], untitled, RECORDS[1]]))
    result = runner.invoke(args=["holdings", "import", str(path)])
    assert result.exit_code == 1
    assert "dòng 2: 104: title (nhan đề) bị trống." in result.output
    assert set(holdings_of(app)) == {"101", "102"}
