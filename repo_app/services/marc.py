"""Works as MARC 21 bibliographic records (pymarc), the way national libraries catalogue theses.

Vietnamese union catalogues and library systems (Koha, Libol) exchange
MARC 21; a record from here loads into them as a catalogue record of an
online thesis. The mapping, field by field:

=====  ==================================================================
001    the work's persistent identifier (``vnir/12``), 003 the prefix
005    the OAI datestamp; 008 fixed data (date, year, ``vm`` = Vietnam,
       online form ``o``, nature of contents ``m`` = theses, language)
040    cataloguing source: the institution, cataloguing language ``vie``
041    language of the text (``$a``) and of the summaries (``$b``)
100    first author, "Family, Given" with relator ``author`` / ``aut``
245    title and statement of responsibility; 242 the English title
       (``$y eng``); 246 the alternative title
264    publication: the grantor and the year (``_1``)
300    extent: the pages of the files (``123 tr.``); 336/337/338 RDA types
502    dissertation note: degree, grantor, year
520    the abstract, one per language
650    the discipline; 653 the keywords, every language
700    other authors (``author``) and advisors (``thesis advisor`` / ``ths``)
710    the degree-granting institution (``dgg``)
856    the landing page, and each file anyone may download
=====  ==================================================================

Only what an anonymous visitor may see goes in: callers pass works that
``access.decide(ANONYMOUS, VIEW_METADATA)`` allows, and file links are
given only for files anyone may download.

pymarc is imported by the functions that build and write records, so
building the app (every OAI-PMH and export view imports this module) does
not load it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING

from flask import current_app
from lxml import etree

from repo_app.services.citations import inverted, title_and_name
from repo_app.vocab import WorkType

if TYPE_CHECKING:
    from pymarc import Field, Record

MARC_NS = "http://www.loc.gov/MARC21/slim"
MARC_SCHEMA = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# ISO 639-1 (what works store) → MARC language codes (ISO 639-2/B).
MARC_LANGUAGES = {"vi": "vie", "en": "eng", "fr": "fre", "zh": "chi", "ja": "jpn", "ko": "kor",
                  "ru": "rus", "de": "ger", "km": "khm", "lo": "lao", "th": "tha", "es": "spa"}
DEGREE_NOTES = {"bachelor": "Khóa luận tốt nghiệp", "master": "Luận văn Thạc sĩ",
                "doctoral": "Luận án Tiến sĩ"}
# New record, language material, monograph, Unicode; ISBD punctuation; lengths filled on write.
LEADER = "00000nam a2200000 i 4500"
THESES = frozenset({WorkType.BACHELOR_THESIS, WorkType.MASTER_THESIS,
                    WorkType.DOCTORAL_DISSERTATION})


@dataclass(frozen=True)
class MarcSource:
    """A work as the catalogue may show it, with the addresses the view layer gave it."""

    work: object  # models.Work (kept loose: this module reads attributes only)
    page_url: str
    file_urls: tuple[str, ...]
    pages: int | None


def marc_language(code: str) -> str:
    return MARC_LANGUAGES.get((code or "").lower(), "und")


def _field(tag: str, ind: str, *pairs: tuple[str, str]) -> Field | None:
    """A data field from (code, value) pairs, empty values dropped; None when nothing is left."""
    from pymarc import Field, Indicators, Subfield

    subfields = [Subfield(code, value) for code, value in pairs if value]
    if not subfields:
        return None
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]), subfields=subfields)


def _fixed_008(work, entered: str) -> str:
    """The 40 positions of 008 for books (MARC 21), position by position."""
    parts = [
        entered,                                    # 00-05 date entered on file (yymmdd)
        "s", f"{work.year:04d}" if work.year else "uuuu", "    ",  # 06-14 single date
        "vm ",                                      # 15-17 place: Vietnam
        "    ", " ",                                # 18-22 illustrations, audience
        "o",                                        # 23 form of item: online
        "m   " if work.type in THESES else "    ",  # 24-27 nature of contents: theses
        " ", "0", "0", "0", " ", "0", " ",          # 28-34 gov. pub. … biography
        marc_language(work.language),               # 35-37 language
        " ", "d",                                   # 38-39 modified record, source: other
    ]
    fixed = "".join(parts)
    assert len(fixed) == 40, fixed
    return fixed


def record_of(source: MarcSource) -> Record:
    """The MARC 21 record of one work (Unicode, leader position 9 = ``a``)."""
    from pymarc import Field, Record

    work = source.work
    institution = current_app.config["INSTITUTION_NAME"]
    record = Record(force_utf8=True, leader=LEADER)
    stamp = work.datestamp
    record.add_field(Field(tag="001", data=work.identifier or str(work.id)),
                     Field(tag="003", data=current_app.config["IDENTIFIER_PREFIX"]),
                     Field(tag="005", data=stamp.strftime("%Y%m%d%H%M%S.0")),
                     Field(tag="008", data=_fixed_008(work, stamp.strftime("%y%m%d"))))
    summaries = [work.language] if work.abstract else []
    summaries += ["en"] if work.abstract_en else []
    fields = [
        _field("040", "  ", ("a", institution), ("b", "vie"), ("e", "rda")),
        _field("041", "0 ", ("a", marc_language(work.language)),
               *(("b", marc_language(code)) for code in summaries)),
        *_names(work, institution),
        _field("242", "10", ("a", work.title_en), ("y", "eng")) if work.title_en else None,
        _field("245", "10", ("a", work.title), ("c", "; ".join(work.creators))),
        _field("246", "3 ", ("a", work.alt_title)),
        _field("264", " 1", ("b", work.grantor or institution),
               ("c", str(work.year) if work.year else "")),
        _field("300", "  ", ("a", f"{source.pages} tr." if source.pages else "1 tài liệu trực tuyến")),
        _field("336", "  ", ("a", "văn bản"), ("b", "txt"), ("2", "rdacontent")),
        _field("337", "  ", ("a", "máy tính"), ("b", "c"), ("2", "rdamedia")),
        _field("338", "  ", ("a", "tài nguyên trực tuyến"), ("b", "cr"), ("2", "rdacarrier")),
        _dissertation_note(work, institution),
        _field("520", "3 ", ("a", work.abstract)),
        _field("520", "3 ", ("a", work.abstract_en)),
        _field("650", " 4", ("a", work.discipline)),
        *(_field("653", "  ", ("a", keyword)) for keyword in [*work.keywords, *work.keywords_en]),
        *_added_entries(work, institution),
        _field("856", "40", ("u", source.page_url), ("y", "Trang tài liệu")),
        *(_field("856", "40", ("u", url), ("q", "application/pdf")) for url in source.file_urls),
    ]
    record.add_ordered_field(*(f for f in fields if f is not None))
    return record


def _names(work, institution: str) -> list[Field | None]:
    first = work.creators[0] if work.creators else ""
    return [_person("100", first, "author", "aut")]


def _person(tag: str, name: str, relator: str, code: str) -> Field | None:
    """A personal name entry: "Family, Given" in $a, an academic title ("PGS.TS.") in $c."""
    if not name:
        return None
    title = title_and_name(name)[0]
    return _field(tag, "1 ", ("a", inverted(name)), ("c", title), ("e", relator), ("4", code))


def _dissertation_note(work, institution: str) -> Field | None:
    if work.type not in THESES:
        return None
    degree = work.degree_name or DEGREE_NOTES.get(work.degree_level, "")
    return _field("502", "  ", ("b", degree), ("c", work.grantor or institution),
                  ("d", str(work.year) if work.year else ""))


def _added_entries(work, institution: str) -> list[Field | None]:
    entries = [_person("700", name, "author", "aut") for name in work.creators[1:]]
    entries += [_person("700", name, "thesis advisor", "ths") for name in work.advisors]
    if work.type in THESES:
        entries.append(_field("710", "2 ", ("a", work.grantor or institution),
                              ("e", "degree granting institution"), ("4", "dgg")))
    return entries


# --- serialisations -----------------------------------------------------------------------


def as_xml_element(record: Record) -> etree._Element:
    """A MARCXML ``<record>`` (with its schemaLocation), to embed in an OAI-PMH response."""
    from pymarc import record_to_xml

    element = etree.fromstring(record_to_xml(record, namespace=True))
    element.set(f"{{{XSI}}}schemaLocation", f"{MARC_NS} {MARC_SCHEMA}")
    return element


def as_marcxml(records: Iterable[Record]) -> bytes:
    """A MARCXML ``<collection>`` document."""
    from pymarc import record_to_xml

    collection = etree.Element(f"{{{MARC_NS}}}collection", nsmap={None: MARC_NS, "xsi": XSI})
    collection.set(f"{{{XSI}}}schemaLocation", f"{MARC_NS} {MARC_SCHEMA}")
    for record in records:
        element = etree.fromstring(record_to_xml(record, namespace=True))
        collection.append(element)
    return etree.tostring(collection, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def as_iso2709(records: Iterable[Record]) -> Iterator[bytes]:
    """ISO 2709 (``.mrc``) bytes, record by record, as Koha's importer reads them."""
    from pymarc import MARCWriter

    for record in records:
        buffer = BytesIO()
        MARCWriter(buffer).write(record)
        yield buffer.getvalue()
