"""The OAI-PMH protocol's rules for a request, apart from what the repository answers.

Verbs and their arguments, the schema's patterns, dates and their
granularity, and resumption tokens (signed, so a harvester cannot forge
one). Nothing here reads the database: ``services.oai`` answers the verbs,
``repo_app.oai_xml`` writes the XML.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from repo_app.models.types import utcnow

# verb → (required arguments, optional arguments); resumptionToken is exclusive where allowed.
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset()),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
}
TOKEN_VERBS = frozenset({"ListIdentifiers", "ListRecords", "ListSets"})
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# The OAI-PMH schema's patterns: a value outside them cannot even be echoed in <request>.
PREFIX_PATTERN = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
SET_PATTERN = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
# xs:anyURI as libxml2 checks it: a scheme, then URI characters and %-escapes only.
URI_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:([A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*")
# What XML 1.0 forbids: C0 controls but tab, newline and return; surrogates; U+FFFE and U+FFFF.
# (The same set written as the complement of the allowed ranges takes 8 ms to compile.)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class OaiError(Exception):
    """An OAI-PMH error condition: ``code`` is one of the protocol's error codes."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def echo_arguments(self) -> bool:
        """badVerb and badArgument responses must not echo the request's arguments."""
        return self.code not in ("badVerb", "badArgument")


@dataclass(frozen=True)
class OaiRequest:
    """A checked request: the verb and its arguments, each given once."""

    verb: str
    args: Mapping[str, str]


@dataclass(frozen=True)
class ListQuery:
    """What a list request selects; a resumption token carries exactly this plus a position."""

    prefix: str
    from_raw: str = ""
    until_raw: str = ""
    set_spec: str = ""

    @property
    def start(self) -> datetime | None:
        return parse_datestamp(self.from_raw, end_of_day=False) if self.from_raw else None

    @property
    def end(self) -> datetime | None:
        return parse_datestamp(self.until_raw, end_of_day=True) if self.until_raw else None


# --- requests -----------------------------------------------------------------------------


def parse_request(args: Mapping[str, Sequence[str]]) -> OaiRequest:
    """Check the verb and its arguments: every one allowed, required ones present, none twice."""
    verbs = args.get("verb") or []
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OaiError("badVerb", "Illegal or missing verb.")
    verb = verbs[0]
    given = {name: values for name, values in args.items() if name != "verb"}
    if any(len(values) != 1 for values in given.values()):
        raise OaiError("badArgument", "An argument was given more than once.")
    values = {name: v[0] for name, v in given.items()}
    if any(NOT_XML.search(name) or NOT_XML.search(value) for name, value in values.items()):
        raise OaiError("badArgument", "An argument holds characters XML cannot carry.")
    if "resumptionToken" in values and verb in TOKEN_VERBS:
        if len(values) != 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument.")
        return OaiRequest(verb, values)
    required, optional = VERBS[verb]
    unknown = set(values) - required - optional
    if unknown:
        raise OaiError("badArgument", f"Illegal argument: {sorted(unknown)[0]}.")
    missing = required - set(values)
    if missing:
        raise OaiError("badArgument", f"Missing argument: {sorted(missing)[0]}.")
    _check_values(values)
    return OaiRequest(verb, values)


def _check_values(values: Mapping[str, str]) -> None:
    if "identifier" in values and not URI_PATTERN.fullmatch(values["identifier"]):
        raise OaiError("badArgument", "Malformed identifier.")
    prefix = values.get("metadataPrefix")
    if prefix is not None and not PREFIX_PATTERN.fullmatch(prefix):
        raise OaiError("badArgument", "Malformed metadataPrefix.")
    if "set" in values and not SET_PATTERN.fullmatch(values["set"]):
        raise OaiError("badArgument", "Malformed set.")
    check_dates(values.get("from", ""), values.get("until", ""))


def check_dates(from_raw: str, until_raw: str) -> None:
    """from/until: same granularity, a real date, and from not after until."""
    for raw in (from_raw, until_raw):
        if raw and _granularity(raw) is None:
            raise OaiError("badArgument", "Dates are YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")
    if from_raw and until_raw:
        if _granularity(from_raw) != _granularity(until_raw):
            raise OaiError("badArgument", "from and until have different granularities.")
        if parse_datestamp(from_raw, end_of_day=False) > parse_datestamp(until_raw,
                                                                          end_of_day=False):
            raise OaiError("badArgument", "from is later than until.")


def _granularity(raw: str) -> str | None:
    try:
        if DAY.fullmatch(raw):
            datetime.strptime(raw, "%Y-%m-%d")
            return "day"
        if SECOND.fullmatch(raw):
            datetime.strptime(raw, "%Y-%m-%dT%H:%M:%SZ")
            return "second"
    except ValueError:
        return None
    return None


def parse_datestamp(raw: str, *, end_of_day: bool) -> datetime:
    """A UTC datetime; a day means its first second (from) or its last (until)."""
    if DAY.fullmatch(raw):
        day = datetime.strptime(raw, "%Y-%m-%d").date()
        return datetime.combine(day, time.max if end_of_day else time.min, UTC).replace(
            microsecond=0)
    return datetime.strptime(raw, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def format_datestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- resumption tokens --------------------------------------------------------------------

TOKEN_VERSION = 1


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="oai-resumption")


def encode_token(query: ListQuery, after_id: int, cursor: int) -> str:
    """The query, the last id sent and how many were sent, signed so it cannot be forged."""
    return _serializer().dumps([TOKEN_VERSION, query.prefix, query.from_raw, query.until_raw,
                                query.set_spec, after_id, cursor])


def decode_token(token: str, formats: Collection[str]) -> tuple[ListQuery, int, int]:
    """The query and position in a token; anything malformed or altered is badResumptionToken.

    ``formats`` are the metadata prefixes the repository disseminates today.
    """
    bad = OaiError("badResumptionToken", "The resumption token is invalid.")
    try:
        payload = _serializer().loads(token)
    except (BadSignature, ValueError, UnicodeError):
        raise bad from None
    if not (isinstance(payload, list) and len(payload) == 7 and payload[0] == TOKEN_VERSION):
        raise bad
    _, prefix, from_raw, until_raw, set_spec, after_id, cursor = payload
    strings = (prefix, from_raw, until_raw, set_spec)
    numbers = (after_id, cursor)
    if not all(isinstance(s, str) for s in strings) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in numbers):
        raise bad
    if prefix not in formats:
        raise bad
    try:
        check_dates(from_raw, until_raw)
    except OaiError:
        raise bad from None
    return ListQuery(prefix, from_raw, until_raw, set_spec), after_id, cursor


def response_date() -> str:
    return format_datestamp(utcnow())
