"""The holdings register from the library catalogue's own MARC 21 export (Koha, Libol).

A library that runs Koha or Libol already has its catalogue; exporting it
(ISO 2709 ``.mrc`` or MARCXML) and importing that here saves retyping it
as CSV. Each bibliographic record becomes one holdings row, checked by the
same rules as a CSV row (``holdings.parse_row``); a record that fails is
reported by its position in the file ("record 12") and the others are kept.

Where each column comes from, first found wins:

- ``holding_id``: 001 (Koha's biblionumber when it writes 001), 999 $c
  (Koha), 035 $a
- ``title``: 245 $a $b, without ISBD punctuation; ``creators``: 100, 700 $a
- ``year``: 264 $c, 260 $c, 008/07-10
- ``type``: the degree in 502 (Tiến sĩ / Thạc sĩ / cử nhân, doctor / master /
  bachelor), else a thesis by 008/24 (``m``), else a research report
- ``faculty``: 710 $b (the faculty under the university), else 502 $c
- ``shelf_mark``: 952 $o (Koha), 852 $h (Libol), 090 $a, 082 $a
- ``format``: ``both`` with items and an 856 link, ``digital`` with only a
  link, else ``print``
- ``category``: MARC has none; the command's ``--category`` (default
  ``endogenous``) applies to the whole file
"""

from __future__ import annotations

import io
import re
import warnings
from typing import TYPE_CHECKING

from repo_app.errors import UserError
from repo_app.textfold import fold
from repo_app.vocab import WorkType

if TYPE_CHECKING:
    from pymarc import Record

YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")
ISBD_END = re.compile(r"[\s/:;,.=]+$")
DEGREES = (
    (("tien si", "doctor", "ph.d", "phd"), WorkType.DOCTORAL_DISSERTATION),
    (("thac si", "master"), WorkType.MASTER_THESIS),
    (("cu nhan", "khoa luan", "bachelor", "ky su"), WorkType.BACHELOR_THESIS),
)


def is_marc(data: bytes) -> bool:
    """MARCXML (an XML document) or ISO 2709 (a leader: five digits of record length)."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    if head.startswith(b"<"):
        return b"marc" in data[:2000].lower() or b"<record" in data[:2000]
    return len(head) >= 24 and head[:5].isdigit() and head[20:24] == b"4500"


def read_records(data: bytes) -> list[Record | None]:
    """Every record of the file; None stands for one pymarc could not read.

    pymarc is imported here, when a MARC file is loaded, not with the app.
    """
    from pymarc import MARCReader, parse_xml_to_array
    from pymarc.exceptions import PymarcException

    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    try:
        if head == b"<":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return list(parse_xml_to_array(io.BytesIO(data)))
        reader = MARCReader(data, to_unicode=True, force_utf8=False, utf8_handling="replace",
                            permissive=True)
        return list(reader)
    except (PymarcException, ValueError, SyntaxError) as exc:
        raise UserError("holdings_marc", "The MARC file cannot be read: %(reason)s",
                        reason=str(exc)[:200]) from exc


def _clean(text: str) -> str:
    return ISBD_END.sub("", " ".join(text.split()))


def _first(record: Record, *places: tuple[str, str]) -> str:
    for tag, code in places:
        for field in record.get_fields(tag):
            for value in field.get_subfields(code):
                if value.strip():
                    return _clean(value)
    return ""


def _fixed(record: Record) -> str:
    field = record.get("008")
    return field.data if field is not None and field.data else ""


def _control_number(record: Record) -> str:
    field = record.get("001")
    return field.data.strip() if field is not None and field.data else ""


def _year(record: Record) -> str:
    text = _first(record, ("264", "c"), ("260", "c"))
    fixed = _fixed(record)
    match = YEAR.search(text) or YEAR.search(fixed[7:11] if len(fixed) >= 11 else "")
    return match.group(1) if match else ""


def _type(record: Record) -> str:
    note = fold(" ".join(v for f in record.get_fields("502") for v in f.get_subfields("a", "b")))
    for words, kind in DEGREES:
        if any(w in note for w in words):
            return kind.value
    fixed = _fixed(record)
    thesis = len(fixed) > 24 and "m" in fixed[24:28]
    return (WorkType.MASTER_THESIS if thesis or note else WorkType.RESEARCH_REPORT).value


def _format(record: Record) -> str:
    linked = bool(record.get_fields("856"))
    items = bool(record.get_fields("952", "852"))
    if linked and items:
        return "both"
    return "digital" if linked else "print"


def cells_of(record: Record, category: str) -> dict[str, str]:
    """The holdings CSV's cells for one catalogue record (see the module docstring)."""
    title = " ".join(filter(None, (_first(record, ("245", "a")), _first(record, ("245", "b")))))
    creators = [_clean(v) for tag in ("100", "700") for f in record.get_fields(tag)
                for v in f.get_subfields("a") if v.strip()]
    return {
        "holding_id": _control_number(record) or _first(record, ("999", "c"), ("035", "a")),
        "title": title,
        "creators": "; ".join(creators),
        "year": _year(record),
        "type": _type(record),
        "faculty": _first(record, ("710", "b"), ("502", "c")),
        "shelf_mark": _first(record, ("952", "o"), ("852", "h"), ("090", "a"), ("082", "a")),
        "format": _format(record),
        "category": category,
    }
