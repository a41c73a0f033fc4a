"""OAI-PMH 2.0: argument checking, which works a harvester sees, and resumption tokens.

Visibility is the anonymous visitor's: a work is a record when
``access.decide(ANONYMOUS, VIEW_METADATA, work)`` allows it, and a work that
was once public but no longer is (withdrawn, confidential, embargoed with
hidden metadata) is a *deleted* record, kept forever ("persistent"), so a
harvester learns to remove it. Everything here returns plain data; the
XML is written by ``repo_app.oai_xml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from repo_app import resources
from repo_app.access import ANONYMOUS, Action, decide
from repo_app.models import Collection, Work
from repo_app.models.types import utcnow
from repo_app.services.addresses import Addresses
from repo_app.services.public_works import ACCESS_COLUMNS, visible_to_anyone
from repo_app.vocab import ACCESS_LABELS, TYPE_LABELS, WorkStatus, WorkType

OAI_DC = "oai_dc"
OAI_ETDMS = "oai_etdms"
FORMATS = {
    OAI_DC: ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
             "http://www.openarchives.org/OAI/2.0/oai_dc/"),
    OAI_ETDMS: ("http://www.ndltd.org/standards/metadata/etdms/1.0/etdms.xsd",
                "http://www.ndltd.org/standards/metadata/etdms/1.0/"),
}
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
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
DOMAIN_PATTERN = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")


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


@dataclass(frozen=True)
class Metadata:
    """A work's descriptive fields as a harvester may see them (no access decision left to make)."""

    title: str
    alt_title: str
    creators: tuple[str, ...]
    advisors: tuple[str, ...]
    subjects: tuple[str, ...]
    abstract: str
    publisher: str
    date: str
    type: str
    type_label: str
    language: str
    identifiers: tuple[str, ...]
    rights: str
    degree_name: str
    degree_level: str
    discipline: str
    grantor: str


@dataclass(frozen=True)
class Record:
    """One OAI record: its header and, unless deleted, its metadata."""

    identifier: str
    datestamp: str
    sets: tuple[str, ...]
    deleted: bool
    metadata: Metadata | None = None


@dataclass(frozen=True)
class Page:
    """One page of a list; ``token`` is None on the last page (sent as an empty token)."""

    prefix: str
    records: list[Record]
    complete_size: int
    cursor: int
    token: str | None
    resumed: bool = False


@dataclass(frozen=True)
class IdentifyInfo:
    name: str
    base_url: str
    admin_email: str
    earliest: str
    domain: str
    sample_identifier: str
    describe_identifiers: bool = field(default=True)


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


def require_format(prefix: str) -> None:
    if prefix not in FORMATS:
        raise OaiError("cannotDisseminateFormat", f"Unknown metadata format {prefix}.")


# ETD-MS degree levels, in the words NDLTD's guidelines use.
ETDMS_LEVELS = {"bachelor": "Undergraduate", "master": "Masters", "doctoral": "Doctoral"}


# --- identity -----------------------------------------------------------------------------


def domain() -> str:
    """The repository's domain in identifiers: REPO_OAI_DOMAIN, else BASE_URL's host."""
    configured = current_app.config["OAI_DOMAIN"]
    return configured or urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"


def oai_identifier(work_id: int) -> str:
    return f"oai:{domain()}:{work_id}"


def work_id_of(identifier: str) -> int | None:
    prefix = f"oai:{domain()}:"
    local = identifier[len(prefix):] if identifier.startswith(prefix) else ""
    return int(local) if local.isdigit() and not local.startswith("0") else None


def identify(db: Session, base_url: str) -> IdentifyInfo:
    earliest = db.scalar(select(func.min(Work.datestamp)).where(
        or_(Work.status == WorkStatus.PUBLISHED, Work.was_public.is_(True))))
    name = domain()
    return IdentifyInfo(
        name=current_app.config["INSTITUTION_NAME"],
        base_url=base_url,
        admin_email=current_app.config["ADMIN_EMAIL"] or f"library@{name}",
        earliest=format_datestamp(earliest or utcnow()),
        domain=name,
        sample_identifier=f"oai:{name}:1",
        describe_identifiers=bool(DOMAIN_PATTERN.fullmatch(name)),
    )


# --- records ------------------------------------------------------------------------------


def _state(work: Work) -> str | None:
    """'public', 'deleted' or None (never shown: never public and not public now)."""
    if decide(ANONYMOUS, Action.VIEW_METADATA, work, policy=resources.policy()):
        return "public"
    return "deleted" if work.was_public else None


def _sets_of(work: Work) -> tuple[str, ...]:
    sets = [f"faculty.{work.collection.code}"] if work.collection else []
    return (*sets, f"type.{work.type}")


def _file_urls(work: Work, addresses: Addresses) -> tuple[str, ...]:
    policy = resources.policy()
    return tuple(
        addresses.file(work.id, f.id)
        for f in work.files
        if decide(ANONYMOUS, Action.DOWNLOAD, work, f, policy=policy)
    )


def metadata_of(work: Work, addresses: Addresses) -> Metadata:
    """What anonymous harvesters may know: descriptive fields, file links only if downloadable."""
    page = addresses.work(work.id)
    ids = (page, *([work.identifier] if work.identifier else []), *_file_urls(work, addresses))
    with force_locale("vi"):
        type_label = str(TYPE_LABELS.get(WorkType(work.type), work.type))
        rights = str(ACCESS_LABELS.get(work.access_level, work.access_level))
    year = work.year or (work.published_at or work.datestamp).year
    return Metadata(
        title=work.title, alt_title=work.alt_title, creators=tuple(work.creators),
        advisors=tuple(work.advisors), subjects=tuple(work.keywords), abstract=work.abstract,
        publisher=work.grantor or current_app.config["INSTITUTION_NAME"], date=str(year),
        type=work.type, type_label=type_label, language=work.language, identifiers=ids,
        rights=rights, degree_name=work.degree_name,
        degree_level=ETDMS_LEVELS.get(work.degree_level, work.degree_level),
        discipline=work.discipline, grantor=work.grantor,
    )


def _record(work: Work, state: str, with_metadata: bool, addresses: Addresses) -> Record:
    deleted = state == "deleted"
    return Record(
        identifier=oai_identifier(work.id),
        datestamp=format_datestamp(work.datestamp),
        sets=_sets_of(work),
        deleted=deleted,
        metadata=metadata_of(work, addresses) if with_metadata and not deleted else None,
    )


def _shown_work(db: Session, identifier: str) -> tuple[Work, str]:
    work_id = work_id_of(identifier)
    work = db.get(Work, work_id) if work_id is not None else None
    state = _state(work) if work is not None else None
    if work is None or state is None:
        raise OaiError("idDoesNotExist", "No such record.")
    return work, state


def get_record(db: Session, identifier: str, prefix: str, addresses: Addresses) -> Record:
    work, state = _shown_work(db, identifier)
    require_format(prefix)
    return _record(work, state, True, addresses)


def metadata_formats(db: Session, identifier: str | None) -> list[tuple[str, str, str]]:
    """(prefix, schema, namespace) of every format; every record is offered in all of them."""
    if identifier is not None:
        _shown_work(db, identifier)
    return [(prefix, schema, ns) for prefix, (schema, ns) in FORMATS.items()]


def list_sets(db: Session) -> list[tuple[str, str]]:
    """Faculties (their Vietnamese names) and types of work."""
    faculties = [(f"faculty.{c.code}", c.name)
                 for c in db.scalars(select(Collection).order_by(Collection.code))]
    with force_locale("vi"):
        types = [(f"type.{t.value}", str(TYPE_LABELS[t])) for t in WorkType]
    return faculties + types


def _candidates(db: Session, query: ListQuery) -> list[int]:
    """Ids of the works the list shows (public or deleted), in id order."""
    stmt = select(*ACCESS_COLUMNS, Work.was_public).where(
        or_(Work.status == WorkStatus.PUBLISHED, Work.was_public.is_(True))).order_by(Work.id)
    if query.start is not None:
        stmt = stmt.where(Work.datestamp >= query.start)
    if query.end is not None:
        stmt = stmt.where(Work.datestamp <= query.end)
    stmt = _set_filter(stmt, query.set_spec)
    if stmt is None:
        return []
    return [row.id for row in db.execute(stmt) if row.was_public or visible_to_anyone(row)]


def _set_filter(stmt, set_spec: str):
    """Restrict to a set; None when the set cannot exist (an empty list, noRecordsMatch)."""
    if not set_spec:
        return stmt
    kind, _, value = set_spec.partition(".")
    if kind == "faculty" and value:
        return stmt.join(Collection, Work.collection_id == Collection.id).where(
            Collection.code == value)
    if kind == "type" and value in {t.value for t in WorkType}:
        return stmt.where(Work.type == value)
    return None


def list_records(db: Session, args: Mapping[str, str], addresses: Addresses, *,
                 with_metadata: bool) -> Page:
    """One page of ListRecords/ListIdentifiers, from fresh arguments or a resumption token."""
    if "resumptionToken" in args:
        query, after_id, cursor = decode_token(args["resumptionToken"])
    else:
        query = ListQuery(args["metadataPrefix"], args.get("from", ""), args.get("until", ""),
                          args.get("set", ""))
        after_id, cursor = 0, 0
        require_format(query.prefix)
    ids = _candidates(db, query)
    remaining = [i for i in ids if i > after_id]
    if not remaining:
        raise OaiError("noRecordsMatch", "No records match the request.")
    size = int(current_app.config["OAI_PAGE_SIZE"])
    chunk = remaining[:size]
    records = [_record(w, _state(w) or "deleted", with_metadata, addresses)
               for w in _load(db, chunk)]
    more = len(remaining) > size
    token = encode_token(query, chunk[-1], cursor + len(chunk)) if more else None
    return Page(query.prefix, records, complete_size=len(ids), cursor=cursor, token=token,
                resumed="resumptionToken" in args)


def _load(db: Session, ids: list[int]) -> list[Work]:
    stmt = select(Work).where(Work.id.in_(ids)).order_by(Work.id).options(
        selectinload(Work.files), selectinload(Work.collection))
    return list(db.scalars(stmt))


# --- resumption tokens --------------------------------------------------------------------

TOKEN_VERSION = 1


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="oai-resumption")


def encode_token(query: ListQuery, after_id: int, cursor: int) -> str:
    """The query, the last id sent and how many were sent, signed so it cannot be forged."""
    return _serializer().dumps([TOKEN_VERSION, query.prefix, query.from_raw, query.until_raw,
                                query.set_spec, after_id, cursor])


def decode_token(token: str) -> tuple[ListQuery, int, int]:
    """The query and position in a token; anything malformed or altered is badResumptionToken."""
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
    try:
        check_dates(from_raw, until_raw)
        require_format(prefix)
    except OaiError:
        raise bad from None
    return ListQuery(prefix, from_raw, until_raw, set_spec), after_id, cursor


def response_date() -> str:
    return format_datestamp(utcnow())
