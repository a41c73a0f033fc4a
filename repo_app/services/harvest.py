"""Harvesting partners' OAI-PMH endpoints (oai_dc) into a read-only union catalogue.

A harvest loses nothing:

- Each page is stored and committed with the resumption token that follows
  it, so a harvest that dies resumes at the next page.
- Only a complete list moves the incremental checkpoint
  (``HarvestSource.last_datestamp``). A malformed page or an OAI error
  (anything but ``noRecordsMatch``) fails the run, names the page, keeps
  the checkpoint, and is written to the partner's log.
- A resumption token the partner no longer knows (``badResumptionToken``)
  restarts the list from the checkpoint, once per run: records already
  stored are simply updated again.
- Records are one per OAI identifier and *partner* (see :func:`partner_key`),
  whichever set or base URL they came through.

Each page's records are queued for the index in its commit, like any other
change (``UnitOfWork.index``); they enter search as documents with
``source`` = the partner's name and a link to the original, visible to
anyone, with no full text (``indexing.record_document``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_app import access, resources
from repo_app.access import Action, Actor
from repo_app.errors import UserError
from repo_app.models import HarvestedRecord, HarvestPartner, HarvestRun, HarvestSource
from repo_app.models.types import utcnow
from repo_app.services import partner_names
from repo_app.services.harvest_client import (
    HarvestFailure,
    Identity,
    PartnerClient,
    PartnerPage,
    PartnerRecord,
    TokenExpired,
    normalized_base_url,
)
from repo_app.services.harvest_mapping import Mapping, map_record, parse_setting
from repo_app.services.unit_of_work import UnitOfWork

DATE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?")


@dataclass
class HarvestReport:
    source: str
    pages: int = 0
    added: int = 0
    updated: int = 0
    deleted: int = 0
    resumed: bool = False
    restarted: bool = False
    since: str | None = None


class HarvestError(UserError):
    """A run that failed; ``report`` says what was kept before it did."""

    def __init__(self, message: str, report: HarvestReport) -> None:
        super().__init__("harvest_failed", "The harvest failed: %(reason)s", status=502,
                         reason=message)
        self.report = report


def check_date(value: str) -> None:
    if not DATE.fullmatch(value):
        raise UserError("bad_date", "Dates are YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ: %(value)s",
                        value=value)


def partner_key(identity: Identity, url: str) -> str:
    """How a partner is recognised across base URLs: its oai-identifier repositoryIdentifier,
    else the base URL its Identify gives, else the URL we called."""
    if identity.repository_identifier:
        return identity.repository_identifier.lower()
    return normalized_base_url(identity.base_url or url)


def display_name(identity: Identity, url: str) -> str:
    """The partner's name for search: never one that passes for this library.

    Invisible characters (zero-width spaces, soft hyphens, direction marks)
    are dropped. A name that, read the way a person reads it (compatibility
    forms, letters from other scripts that look Latin, accents, case, spaces
    and punctuation set aside), is or contains ``local`` (the index's value
    for our own works), our institution's name or our host is shown with its
    own host added, so no spelling makes a partner's records look like ours
    (``services.partner_names``).
    """
    return partner_names.shown(identity.name, urlsplit(url).hostname or url)


def _partner(db: Session, key: str, name: str, explicit_key: bool) -> HarvestPartner:
    found = db.scalar(select(HarvestPartner).where(HarvestPartner.key == key))
    if found is None:
        found = HarvestPartner(key=key, name=name, mapping={})
        db.add(found)
    if name and not (explicit_key and found.name):
        found.name = name
    db.flush()
    return found


def _source(db: Session, partner: HarvestPartner, url: str, set_spec: str) -> HarvestSource:
    found = db.scalar(select(HarvestSource).where(HarvestSource.url == url,
                                                  HarvestSource.set_spec == set_spec))
    if found is None:
        found = HarvestSource(url=url, set_spec=set_spec)
        db.add(found)
    found.partner = partner
    found.name = partner.name
    db.flush()
    return found


def set_mapping(partner: HarvestPartner, settings: list[str]) -> None:
    """Apply ``name=value`` settings to the partner's stored mapping (checked first)."""
    changes = dict(parse_setting(s) for s in settings)
    mapping = Mapping.from_stored({**(partner.mapping or {}), **changes})
    partner.mapping = mapping.differences()


def run(db: Session, actor: Actor, url: str, *, set_spec: str = "", since: str | None = None,
        key: str | None = None, mapping: list[str] | None = None,
        client: PartnerClient | None = None) -> HarvestReport:
    """Harvest ``url`` incrementally: resume a pending list, else ask for changes since last time.

    An explicit ``since`` starts a new list from that date (a pending token
    is dropped). ``key`` names the partner when its Identify does not say
    who it is; ``mapping`` holds ``name=value`` settings kept for the partner.
    """
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.HARVEST)
        if since:
            check_date(since)
        return _run(uow, url, set_spec, since, key, mapping or [], client or PartnerClient(url))


def _run(uow: UnitOfWork, url: str, set_spec: str, since: str | None, key: str | None,
         mapping: list[str], client: PartnerClient) -> HarvestReport:
    db = uow.db
    try:
        identity = client.identify()
    except HarvestFailure as exc:
        _log_unreachable(uow, url, set_spec, str(exc))
        raise HarvestError(str(exc), HarvestReport(source=url)) from exc
    partner = _partner(db, key or partner_key(identity, url), display_name(identity, url),
                       explicit_key=key is not None)
    if mapping:
        set_mapping(partner, mapping)
    source = _source(db, partner, url, set_spec)
    report = HarvestReport(source=partner.name)
    log = HarvestRun(partner=partner, source=source, status="running")
    db.add(log)
    uow.commit()
    _ListHarvest(uow, client, source, identity, log, report).run(since)
    uow.audit("harvest.run", after={"source": url, "set": set_spec, "partner": partner.key,
                                    "added": report.added, "updated": report.updated,
                                    "deleted": report.deleted})
    return report


def _log_unreachable(uow: UnitOfWork, url: str, set_spec: str, message: str) -> None:
    """A partner known from earlier runs gets the failed Identify in its log too."""
    source = uow.db.scalar(select(HarvestSource).where(HarvestSource.url == url,
                                                       HarvestSource.set_spec == set_spec))
    if source is not None and source.partner_id is not None:
        uow.db.add(HarvestRun(partner_id=source.partner_id, source_id=source.id, status="failed",
                              error=message, finished_at=utcnow()))
        uow.commit()


class _ListHarvest:
    """One run over one source: pages, checkpoints, one restart on an expired token, the log."""

    def __init__(self, uow: UnitOfWork, client: PartnerClient, source: HarvestSource,
                 identity: Identity, log: HarvestRun, report: HarvestReport) -> None:
        self.uow = uow
        self.db = uow.db
        self.client = client
        self.source = source
        self.identity = identity
        self.log = log
        self.report = report
        self.mapping = Mapping.from_stored(source.partner.mapping)

    def run(self, since: str | None) -> None:
        try:
            self._pages(self._first_params(since))
        except TokenExpired:
            self.report.restarted = True
            self._restart()
        except HarvestFailure as exc:
            self._fail(str(exc))
        self._finish("complete" if self.source.resumption_token is None else "partial")

    def _restart(self) -> None:
        """The partner forgot the token: ask for the list again from the checkpoint."""
        self.source.resumption_token = None
        self.uow.commit()
        try:
            self._pages(self._first_params(None))
        except HarvestFailure as exc:
            self._fail(str(exc))

    def _first_params(self, since: str | None) -> dict[str, str]:
        source = self.source
        if source.resumption_token and not since:
            self.report.resumed = True
            return {"resumptionToken": source.resumption_token}
        source.resumption_token = None
        start = since or source.last_datestamp
        if start and self.identity.granularity == "YYYY-MM-DD":
            start = start[:10]
        self.report.since = start
        return {"metadataPrefix": "oai_dc", **({"set": source.set_spec} if source.set_spec else {}),
                **({"from": start} if start else {})}

    def _pages(self, params: dict[str, str]) -> None:
        while True:
            page = self.client.list_records(params)
            self._keep(page, first="resumptionToken" not in params)
            if page.token is None:
                return
            params = {"resumptionToken": page.token}

    def _keep(self, page: PartnerPage, *, first: bool) -> None:
        """Store one page, its index changes and its checkpoint in one transaction."""
        source = self.source
        if first:
            source.pending_since = page.response_date or _now()
        for row in _store(self.db, source, page.records, self.mapping, self.report):
            self.uow.index(row)
        self.report.pages += 1
        source.resumption_token = page.token
        if page.token is None:
            source.last_datestamp = source.pending_since
            source.pending_since = None
        source.last_run_at = utcnow()
        self._copy_counts()
        self.uow.commit()

    def _fail(self, message: str) -> None:
        self.uow.rollback()
        self.log.error = message
        self._finish("failed")
        raise HarvestError(message, self.report)

    def _copy_counts(self) -> None:
        for name in ("pages", "added", "updated", "deleted", "resumed", "restarted"):
            setattr(self.log, name, getattr(self.report, name))
        self.log.since = self.report.since or ""

    def _finish(self, status: str) -> None:
        self._copy_counts()
        self.log.status = status
        self.log.finished_at = utcnow()
        self.uow.commit()


def _now() -> str:
    return utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")


def _store(db: Session, source: HarvestSource, records: list[PartnerRecord], mapping: Mapping,
           report: HarvestReport) -> list[HarvestedRecord]:
    """Upsert a page's records and return those changed; deleted ones keep a tombstone
    (the index queue then removes their document)."""
    changed = []
    for record in records:
        row = db.scalar(select(HarvestedRecord).where(
            HarvestedRecord.partner_id == source.partner_id,
            HarvestedRecord.oai_identifier == record.identifier))
        if row is None and record.deleted:
            continue
        if row is None:
            row = HarvestedRecord(partner_id=source.partner_id, oai_identifier=record.identifier)
            db.add(row)
            report.added += 1
        elif record.deleted:
            report.deleted += not row.deleted
        else:
            report.updated += 1
        row.source_id = source.id
        row.datestamp = record.datestamp
        row.harvested_at = utcnow()
        if record.deleted:
            _tombstone(row)
        else:
            row.deleted = False
            _apply(row, map_record(record, mapping))
        changed.append(row)
    db.flush()
    return changed


def _tombstone(row: HarvestedRecord) -> None:
    row.deleted = True
    row.title, row.description, row.creators, row.subjects = "", "", [], []


def _apply(row: HarvestedRecord, mapped) -> None:
    row.title = mapped.title
    row.creators = mapped.creators
    row.year = mapped.year
    row.type = mapped.type[:100]
    row.description = mapped.description
    row.subjects = mapped.subjects
    row.language = mapped.language
    row.url = mapped.url[:1000]


def partners(db: Session, actor: Actor) -> list[HarvestPartner]:
    """Every partner, by name, for the harvest log (librarians)."""
    _require_harvest(actor)
    return list(db.scalars(select(HarvestPartner).order_by(HarvestPartner.name)))


def runs(db: Session, actor: Actor, partner_id: int | None = None,
         limit: int = 200) -> list[HarvestRun]:
    """The latest runs, newest first (of one partner when given)."""
    _require_harvest(actor)
    query = select(HarvestRun).order_by(HarvestRun.id.desc()).limit(limit)
    if partner_id is not None:
        query = query.where(HarvestRun.partner_id == partner_id)
    return list(db.scalars(query))


def _require_harvest(actor: Actor) -> None:
    access.require(actor, Action.HARVEST, policy=resources.policy())
