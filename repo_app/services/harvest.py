"""Harvesting partners' OAI-PMH endpoints (oai_dc) into a read-only union catalogue.

Each page of a list is stored and committed with the resumption token that
follows it, so a harvest that dies resumes at the next page; the page's
records are queued for the index in the same commit, like any other change.
Harvested records enter search as documents with ``source`` = the partner's
name and a link to the original, visible to anyone, with no full text
(``indexing.record_document``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from requests import RequestException
from sickle import Sickle
from sickle.models import Record
from sickle.oaiexceptions import NoRecordsMatch, OAIError
from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_app.access import Action, Actor
from repo_app.errors import UserError
from repo_app.models import HarvestedRecord, HarvestSource
from repo_app.models.types import utcnow
from repo_app.services.oai_requests import format_datestamp
from repo_app.services.unit_of_work import UnitOfWork

YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")


@dataclass(frozen=True)
class PartnerPage:
    """One response of a partner: its records, the next token and its responseDate."""

    records: list[Record]
    token: str | None
    response_date: str


@dataclass
class HarvestReport:
    source: str
    pages: int = 0
    added: int = 0
    updated: int = 0
    deleted: int = 0
    resumed: bool = False
    since: str | None = None


class Partner:
    """A partner endpoint reached with Sickle; pages are requested one at a time."""

    def __init__(self, url: str, timeout: float = 60) -> None:
        self.url = url
        self.client = Sickle(url, max_retries=2, timeout=timeout)

    def _failed(self, exc: Exception) -> UserError:
        return UserError("harvest_failed",
                         "The partner %(url)s did not answer properly: %(reason)s", status=502,
                         url=self.url, reason=f"{type(exc).__name__}: {exc}"[:300])

    def identify(self) -> tuple[str, str]:
        """The partner's name and granularity."""
        try:
            info = self.client.Identify()
        except (RequestException, OAIError, etree.XMLSyntaxError) as exc:
            raise self._failed(exc) from exc
        return info.repositoryName, getattr(info, "granularity", "YYYY-MM-DDThh:mm:ssZ")

    def page(self, params: dict[str, str]) -> PartnerPage:
        try:
            response = self.client.harvest(verb="ListRecords", **params)
        except NoRecordsMatch:
            return PartnerPage([], None, format_datestamp(utcnow()))
        except (RequestException, OAIError, etree.XMLSyntaxError) as exc:
            raise self._failed(exc) from exc
        ns = self.client.oai_namespace
        records = [Record(el) for el in response.xml.iterfind(f".//{ns}record")]
        token = response.xml.find(f".//{ns}resumptionToken")
        date = response.xml.findtext(f".//{ns}responseDate") or format_datestamp(utcnow())
        return PartnerPage(records, (token.text or None) if token is not None else None, date)


def _source(db: Session, url: str, set_spec: str) -> HarvestSource:
    found = db.scalar(select(HarvestSource).where(HarvestSource.url == url,
                                                  HarvestSource.set_spec == set_spec))
    if found is None:
        found = HarvestSource(url=url, set_spec=set_spec, name=url)
        db.add(found)
        db.flush()
    return found


def check_date(value: str) -> None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?", value):
        raise UserError("bad_date", "Dates are YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ: %(value)s",
                        value=value)


def run(db: Session, actor: Actor, url: str, *, set_spec: str = "", since: str | None = None,
        partner: Partner | None = None) -> HarvestReport:
    """Harvest ``url`` incrementally: resume a pending list, else ask for changes since last time.

    An explicit ``since`` starts a new list from that date (a pending token is dropped).
    """
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.HARVEST)
        if since:
            check_date(since)
        return _run(uow, url, set_spec, since, partner or Partner(url))


def _run(uow: UnitOfWork, url: str, set_spec: str, since: str | None,
         partner: Partner) -> HarvestReport:
    db = uow.db
    name, granularity = partner.identify()
    source = _source(db, url, set_spec)
    source.name = name
    report = HarvestReport(source=name)
    if since or not source.resumption_token:
        source.resumption_token = None
        start = since or source.last_datestamp
        if start and granularity == "YYYY-MM-DD":
            start = start[:10]
        params = {"metadataPrefix": "oai_dc", **({"set": set_spec} if set_spec else {}),
                  **({"from": start} if start else {})}
        report.since = start
    else:
        params = {"resumptionToken": source.resumption_token}
        report.resumed = True
    _harvest_pages(uow, source, partner, params, report)
    uow.audit("harvest.run", after={"source": url, "set": set_spec, "added": report.added,
                                    "updated": report.updated, "deleted": report.deleted})
    return report


def _harvest_pages(uow: UnitOfWork, source: HarvestSource, partner: Partner,
                   params: dict[str, str], report: HarvestReport) -> None:
    while True:
        page = partner.page(params)
        if "resumptionToken" not in params:
            source.pending_since = page.response_date
        for row in _store(uow.db, source, page.records, report):
            uow.index(row)
        report.pages += 1
        source.resumption_token = page.token
        if page.token is None:
            source.last_datestamp = source.pending_since
            source.pending_since = None
        source.last_run_at = utcnow()
        uow.commit()
        if page.token is None:
            return
        params = {"resumptionToken": page.token}


def _first(values: dict[str, list[str]], name: str) -> str:
    found = [v for v in values.get(name, []) if v and v.strip()]
    return found[0].strip() if found else ""


def _apply(row: HarvestedRecord, record: Record) -> None:
    meta = record.metadata
    row.title = _first(meta, "title")
    row.creators = [c.strip() for c in meta.get("creator", []) if c and c.strip()]
    match = YEAR.search(_first(meta, "date"))
    row.year = int(match.group(1)) if match else None
    row.type = _first(meta, "type")
    row.description = _first(meta, "description")
    row.subjects = [s.strip() for s in meta.get("subject", []) if s and s.strip()]
    links = [i for i in meta.get("identifier", []) if i and i.startswith(("http://", "https://"))]
    row.url = links[0] if links else ""


def _store(db: Session, source: HarvestSource, records: list[Record],
           report: HarvestReport) -> list[HarvestedRecord]:
    """Upsert a page's records and return those changed; deleted ones keep a tombstone."""
    changed = []
    for record in records:
        ident = record.header.identifier
        row = db.scalar(select(HarvestedRecord).where(HarvestedRecord.source_id == source.id,
                                                      HarvestedRecord.oai_identifier == ident))
        if row is None and record.deleted:
            continue
        if row is None:
            row = HarvestedRecord(source_id=source.id, oai_identifier=ident)
            db.add(row)
            report.added += 1
        elif not record.deleted:
            report.updated += 1
        row.datestamp = record.header.datestamp
        row.harvested_at = utcnow()
        if record.deleted:
            report.deleted += not row.deleted
            row.deleted = True
            row.title, row.description, row.creators, row.subjects = "", "", [], []
        else:
            row.deleted = False
            _apply(row, record)
        changed.append(row)
    db.flush()
    return changed
