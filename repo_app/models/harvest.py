"""The union catalogue: partner repositories we harvest over OAI-PMH, and their records.

Harvested records are read-only copies of another library's metadata; they
are shown in search with a link back to the original, never edited here.

A *partner* is one repository, however many base URLs and sets it is
harvested through: its records are one row per OAI identifier, so harvesting
a set after a full harvest (or the same repository by a second address)
updates rows and never duplicates them. A *source* is one list being
harvested (base URL and set) with its checkpoint. A *run* is one harvest,
kept as the librarians' log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_app.db import Base
from repo_app.models.types import UTCDateTime, utcnow


class HarvestPartner(Base):
    """One partner repository. ``key`` identifies it across base URLs (see services.harvest).

    ``name`` is the partner's name as shown in search (never ``local``:
    ``services.harvest.display_name`` sees to it); ``mapping`` holds the
    settings of ``services.harvest_mapping.Mapping`` that differ for this partner.
    """

    __tablename__ = "harvest_partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sources: Mapped[list[HarvestSource]] = relationship(back_populates="partner")


class HarvestSource(Base):
    """One list harvested from a partner (base URL and optional set), with where it stopped.

    ``last_datestamp`` is the partner's responseDate when the last complete
    list began: the next run asks ``from`` it, so it gets only later changes
    (the protocol's recommended way, safe against clocks and same-second
    edits). While a list is incomplete, ``resumption_token`` and
    ``pending_since`` (that list's start) are kept, so an interrupted
    harvest resumes where it stopped. Only a complete list moves
    ``last_datestamp``.
    """

    __tablename__ = "harvest_sources"
    __table_args__ = (UniqueConstraint("url", "set_spec"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    set_spec: Mapped[str] = mapped_column(String(200), default="")
    name: Mapped[str] = mapped_column(String(300), default="")
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("harvest_partners.id", ondelete="CASCADE"), index=True)
    last_datestamp: Mapped[str | None] = mapped_column(String(30))
    resumption_token: Mapped[str | None] = mapped_column(Text)
    pending_since: Mapped[str | None] = mapped_column(String(30))
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    partner: Mapped[HarvestPartner | None] = relationship(back_populates="sources")


class HarvestedRecord(Base):
    """A partner's record as harvested (oai_dc). ``deleted`` keeps the tombstone only."""

    __tablename__ = "harvested_records"
    __table_args__ = (UniqueConstraint("partner_id", "oai_identifier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("harvest_partners.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("harvest_sources.id", ondelete="SET NULL"), index=True)
    oai_identifier: Mapped[str] = mapped_column(String(300))
    datestamp: Mapped[str] = mapped_column(String(30))
    deleted: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(Text, default="")
    creators: Mapped[list[str]] = mapped_column(JSON, default=list)
    year: Mapped[int | None] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(20), default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    harvested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    partner: Mapped[HarvestPartner] = relationship()
    source: Mapped[HarvestSource | None] = relationship()


class HarvestRun(Base):
    """One harvest of one source: the librarians' log (pages, added, updated, deleted, errors).

    ``status`` is ``running``, ``complete`` (the list was finished),
    ``partial`` (stopped between pages; the next run resumes) or ``failed``
    (``error`` says why, naming the page).
    """

    __tablename__ = "harvest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("harvest_partners.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("harvest_sources.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), default="running")
    since: Mapped[str] = mapped_column(String(30), default="")
    resumed: Mapped[bool] = mapped_column(default=False)
    restarted: Mapped[bool] = mapped_column(default=False)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")

    partner: Mapped[HarvestPartner] = relationship()
    source: Mapped[HarvestSource] = relationship()
