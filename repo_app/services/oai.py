"""OAI-PMH 2.0: the verbs' answers, that is which works a harvester sees and how.

Visibility is the anonymous visitor's: a work is a record when
``access.decide(ANONYMOUS, VIEW_METADATA, work)`` allows it, and a work that
was once public but no longer is (withdrawn, confidential, embargoed with
hidden metadata) is a *deleted* record, kept forever ("persistent"), so a
harvester learns to remove it. Everything here returns plain data; the
protocol's rules for a request are ``services.oai_requests``, the XML is
written by ``repo_app.oai_xml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from repo_app import resources
from repo_app.access import ANONYMOUS, Action, decide
from repo_app.models import Collection, Work
from repo_app.models.types import utcnow
from repo_app.routing import parse_id
from repo_app.services import marc
from repo_app.services.addresses import Addresses
from repo_app.services.citations import inverted
from repo_app.services.oai_requests import (
    ListQuery,
    OaiError,
    decode_token,
    encode_token,
    format_datestamp,
)
from repo_app.services.public_works import ACCESS_COLUMNS, visible_to_anyone
from repo_app.vocab import ACCESS_LABELS, TYPE_LABELS, WorkStatus, WorkType

if TYPE_CHECKING:
    from pymarc import Record as PymarcRecord

OAI_DC = "oai_dc"
OAI_ETDMS = "oai_etdms"
MARC21 = "marc21"
FORMATS = {
    OAI_DC: ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
             "http://www.openarchives.org/OAI/2.0/oai_dc/"),
    OAI_ETDMS: ("http://www.ndltd.org/standards/metadata/etdms/1.0/etdms.xsd",
                "http://www.ndltd.org/standards/metadata/etdms/1.0/"),
    MARC21: (marc.MARC_SCHEMA, marc.MARC_NS),
}
DOMAIN_PATTERN = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")


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
    title_en: str = ""
    abstract_en: str = ""
    subjects_en: tuple[str, ...] = ()


@dataclass(frozen=True)
class Record:
    """One OAI record: its header and, unless deleted, its metadata."""

    identifier: str
    datestamp: str
    sets: tuple[str, ...]
    deleted: bool
    metadata: Metadata | None = None
    marc: PymarcRecord | None = None


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
    return parse_id(local)


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


def marc_source(work: Work, addresses: Addresses) -> marc.MarcSource:
    """The work for ``services.marc``: its page, the files anyone may download, its pages."""
    pages = sum(f.pages or 0 for f in work.files)
    return marc.MarcSource(work, addresses.work(work.id), _file_urls(work, addresses),
                           pages or None)


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
        title=work.title, alt_title=work.alt_title,
        # "Family, Given", as DSpace and EPrints write dc:creator.
        creators=tuple(map(inverted, work.creators)), advisors=tuple(map(inverted, work.advisors)),
        subjects=tuple(work.keywords), abstract=work.abstract,
        publisher=work.grantor or current_app.config["INSTITUTION_NAME"], date=str(year),
        type=work.type, type_label=type_label, language=work.language, identifiers=ids,
        rights=rights, degree_name=work.degree_name,
        degree_level=ETDMS_LEVELS.get(work.degree_level, work.degree_level),
        discipline=work.discipline, grantor=work.grantor, title_en=work.title_en,
        abstract_en=work.abstract_en, subjects_en=tuple(work.keywords_en),
    )


def _record(work: Work, state: str, with_metadata: bool, addresses: Addresses,
            prefix: str = OAI_DC, listed: frozenset[str] = frozenset()) -> Record:
    """One record; a deleted one names only the sets still listed (``listed``), so the
    header of a work no one may see now cannot name a set that holds nothing public."""
    deleted = state == "deleted"
    shown = with_metadata and not deleted
    sets = _sets_of(work)
    return Record(
        identifier=oai_identifier(work.id),
        datestamp=format_datestamp(work.datestamp),
        sets=tuple(s for s in sets if s in listed) if deleted else sets,
        deleted=deleted,
        metadata=metadata_of(work, addresses) if shown and prefix != MARC21 else None,
        marc=marc.record_of(marc_source(work, addresses)) if shown and prefix == MARC21 else None,
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
    listed = _listed_specs(db) if state == "deleted" else frozenset()
    return _record(work, state, True, addresses, prefix, listed)


def metadata_formats(db: Session, identifier: str | None) -> list[tuple[str, str, str]]:
    """(prefix, schema, namespace) of every format; every record is offered in all of them."""
    if identifier is not None:
        _shown_work(db, identifier)
    return [(prefix, schema, ns) for prefix, (schema, ns) in FORMATS.items()]


def list_sets(db: Session) -> list[tuple[str, str]]:
    """Faculties (their Vietnamese names) and types of work that hold a public record now.

    A set is listed only when one of its works is public under the policy in
    force today: a faculty with only confidential, unpublished, withdrawn or
    now-hidden works is not named (and a deleted record's header leaves out a
    set not listed here, see ``_record``). An empty list is ``noSetHierarchy``
    (the schema wants a set).
    """
    sets = _public_sets(db)
    if not sets:
        raise OaiError("noSetHierarchy", "No set holds a record yet.")
    return sets


def _public_sets(db: Session) -> list[tuple[str, str]]:
    stmt = select(*ACCESS_COLUMNS, Work.collection_id, Work.type).where(
        Work.status == WorkStatus.PUBLISHED)
    shown = [r for r in db.execute(stmt) if visible_to_anyone(r)]
    faculty_ids = {r.collection_id for r in shown if r.collection_id is not None}
    type_codes = {r.type for r in shown}
    faculties = [(f"faculty.{c.code}", c.name) for c in db.scalars(
        select(Collection).where(Collection.id.in_(faculty_ids)).order_by(Collection.code))]
    with force_locale("vi"):
        types = [(f"type.{t.value}", str(TYPE_LABELS[t])) for t in WorkType if t in type_codes]
    return faculties + types


def _listed_specs(db: Session) -> frozenset[str]:
    return frozenset(spec for spec, _ in _public_sets(db))


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
        query, after_id, cursor = decode_token(args["resumptionToken"], FORMATS)
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
    works = [(w, _state(w) or "deleted") for w in _load(db, chunk)]
    listed = _listed_specs(db) if any(state == "deleted" for _, state in works) else frozenset()
    records = [_record(w, state, with_metadata, addresses, query.prefix, listed)
               for w, state in works]
    more = len(remaining) > size
    token = encode_token(query, chunk[-1], cursor + len(chunk)) if more else None
    return Page(query.prefix, records, complete_size=len(ids), cursor=cursor, token=token,
                resumed="resumptionToken" in args)


def _load(db: Session, ids: list[int]) -> list[Work]:
    stmt = select(Work).where(Work.id.in_(ids)).order_by(Work.id).options(
        selectinload(Work.files), selectinload(Work.collection))
    return list(db.scalars(stmt))
