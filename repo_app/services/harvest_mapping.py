"""From a partner's oai_dc to our catalogue's fields, with the settings that differ per partner.

Simple Dublin Core is loose, and each platform fills it its own way:

- **dates**: DSpace sends ``dc.date.accessioned`` and ``dc.date.available``
  (full timestamps of the upload) beside ``dc.date.issued`` (the year of the
  work). The year we want is the issue, never later than the upload: by
  default the earliest year among the dates, preferring plain dates over
  timestamps.
- **links**: EPrints puts the PDF's address in ``dc:identifier`` and the
  landing page in ``dc:relation``; DSpace puts the handle in
  ``dc:identifier``. We link to the landing page, never the file.
- **HTML**: EPrints abstracts may carry markup (``<p>``, ``&lt;p&gt;``);
  it is reduced to plain text.
- **TCVN3/VNI**: old Vietnamese records typed in legacy fonts arrive as
  ``Gi¸o tr×nh``; they are repaired with ``ingest.legacy_fonts``, the same
  code the text extraction uses.

:class:`Mapping` holds the choices; a partner that differs keeps its own
values (``repo-app harvest URL --map date=last``).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import asdict, dataclass, fields
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from ingest import legacy_fonts
from repo_app.errors import UserError
from repo_app.services.harvest_client import DcValue, PartnerRecord

YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T")
TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
FILE_LINK = re.compile(r"(\.(pdf|docx?|zip|ps|epub|txt)(\?.*)?$)|/bitstream/|/download/", re.I)
BLOCK_TAGS = ("p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4")

CHOICES: dict[str, tuple[str, ...]] = {
    "date": ("earliest", "first", "last"),
    "link": ("landing", "identifier", "relation"),
    "html": ("strip", "keep"),
    "legacy_fonts": ("auto", "tcvn3", "vni", "off"),
}


@dataclass(frozen=True)
class Mapping:
    """How to read one partner's oai_dc. Defaults suit DSpace and EPrints."""

    date: str = "earliest"
    link: str = "landing"
    html: str = "strip"
    legacy_fonts: str = "auto"

    @classmethod
    def from_stored(cls, stored: dict[str, Any] | None) -> Mapping:
        known = {f.name for f in fields(cls)}
        return cls(**{k: str(v) for k, v in (stored or {}).items() if k in known})

    def differences(self) -> dict[str, str]:
        """The settings that differ from the defaults (what a partner row stores)."""
        default = asdict(Mapping())
        return {k: v for k, v in asdict(self).items() if v != default[k]}


def parse_setting(text: str) -> tuple[str, str]:
    """``name=value`` from the command line, checked against CHOICES."""
    name, _, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if name not in CHOICES:
        raise UserError("bad_mapping", "Unknown mapping setting %(name)s; the settings are: "
                        "%(allowed)s.", name=name, allowed=", ".join(CHOICES))
    if value not in CHOICES[name]:
        raise UserError("bad_mapping", "%(name)s must be one of: %(allowed)s.", name=name,
                        allowed=", ".join(CHOICES[name]))
    return name, value


@dataclass(frozen=True)
class MappedRecord:
    title: str
    creators: list[str]
    year: int | None
    type: str
    description: str
    subjects: list[str]
    language: str
    url: str


def map_record(record: PartnerRecord, mapping: Mapping) -> MappedRecord:
    """The catalogue's fields of a (not deleted) partner record."""
    dc = record.dc
    repair = _repairer(dc, mapping)

    def text(value: str) -> str:
        return repair(_plain(value, mapping))

    titles = _prefer_language(dc.get("title", []))
    descriptions = _prefer_language(dc.get("description", []))
    return MappedRecord(
        title=text(titles[0].text) if titles else "",
        creators=[text(v.text) for v in dc.get("creator", [])],
        year=pick_year([v.text for v in dc.get("date", [])], mapping.date),
        type=_plain(_first(dc, "type"), mapping),
        description=text(descriptions[0].text) if descriptions else "",
        subjects=[text(v.text) for v in dc.get("subject", [])],
        language=_first(dc, "language")[:20],
        url=pick_link(dc, mapping.link),
    )


def _first(dc: dict[str, list[DcValue]], name: str) -> str:
    values = dc.get(name, [])
    return values[0].text if values else ""


def _prefer_language(values: list[DcValue]) -> list[DcValue]:
    """Vietnamese (or untagged) first, so a bilingual record shows its Vietnamese title."""
    return sorted(values, key=lambda v: v.lang not in ("", "vi", "vie"))


def pick_year(dates: list[str], rule: str) -> int | None:
    """The work's year from its dc:date values (see the module docstring)."""
    years = [(TIMESTAMP.match(d) is not None, int(m.group(1)))
             for d in dates if (m := YEAR.search(d))]
    if not years:
        return None
    if rule == "first":
        return years[0][1]
    if rule == "last":
        return years[-1][1]
    plain = [y for stamped, y in years if not stamped]
    return min(plain or [y for _, y in years])


def pick_link(dc: dict[str, list[DcValue]], rule: str) -> str:
    """The record's page at the partner: a landing page, not a file, unless told otherwise."""
    def links(name: str) -> list[str]:
        return [v.text for v in dc.get(name, []) if v.text.startswith(("http://", "https://"))]

    identifiers, relations = links("identifier"), links("relation")
    if rule == "identifier":
        return identifiers[0] if identifiers else ""
    if rule == "relation":
        return relations[0] if relations else ""
    pages = [u for u in identifiers + relations if not FILE_LINK.search(u)]
    return (pages or identifiers or relations or [""])[0]


def _plain(value: str, mapping: Mapping) -> str:
    """HTML (markup or escaped markup) as plain text, entities resolved, spaces tidied."""
    if mapping.html == "keep":
        return value.strip()
    text = html.unescape(value) if "&" in value else value
    if TAG.search(text):
        try:
            fragment = lxml_html.fragment_fromstring(text, create_parent="div")
            for element in fragment.iter(*BLOCK_TAGS):
                element.tail = "\n" + (element.tail or "")
            text = fragment.text_content()
        except (etree.ParserError, ValueError):
            text = TAG.sub(" ", text)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))


def _repairer(dc: dict[str, list[DcValue]], mapping: Mapping):
    """A function repairing legacy-font text, judged once on the whole record."""
    encoding = mapping.legacy_fonts
    if encoding == "auto":
        sample = " ".join(v.text for name in ("title", "creator", "description", "subject")
                          for v in dc.get(name, []))
        encoding = legacy_fonts.guess_legacy_encoding(sample) or "off"
    if encoding == "off":
        return lambda text: text
    return lambda text: legacy_fonts.convert(text, encoding)
