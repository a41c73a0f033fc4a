"""The union catalogue: partner repositories we harvest over OAI-PMH, and their records.

Harvested records are read-only copies of another library's metadata; they
are shown in search with a link back to the original, never edited here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_app.db import Base
from repo_app.models.types import UTCDateTime, utcnow


class HarvestSource(Base):
    """One partner endpoint (and optional set) with where the last harvest stopped.

    ``last_datestamp`` is the partner's responseDate when the last complete
    list began: the next run asks ``from`` it, so it gets only later changes
    (the protocol's recommended way, safe against clocks and same-second
    edits). While a list is incomplete, ``resumption_token`` and
    ``pending_since`` (that list's start) are kept, so an interrupted
    harvest resumes where it stopped.
    """

    __tablename__ = "harvest_sources"
    __table_args__ = (UniqueConstraint("url", "set_spec"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    set_spec: Mapped[str] = mapped_column(String(200), default="")
    name: Mapped[str] = mapped_column(String(300), default="")
    last_datestamp: Mapped[str | None] = mapped_column(String(30))
    resumption_token: Mapped[str | None] = mapped_column(Text)
    pending_since: Mapped[str | None] = mapped_column(String(30))
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    records: Mapped[list[HarvestedRecord]] = relationship(back_populates="source")


class HarvestedRecord(Base):
    """A partner's record as harvested (oai_dc). ``deleted`` keeps the tombstone only."""

    __tablename__ = "harvested_records"
    __table_args__ = (UniqueConstraint("source_id", "oai_identifier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("harvest_sources.id", ondelete="CASCADE"),
                                           index=True)
    oai_identifier: Mapped[str] = mapped_column(String(300))
    datestamp: Mapped[str] = mapped_column(String(30))
    deleted: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(Text, default="")
    creators: Mapped[list[str]] = mapped_column(JSON, default=list)
    year: Mapped[int | None] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)
    url: Mapped[str] = mapped_column(String(1000), default="")
    harvested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source: Mapped[HarvestSource] = relationship(back_populates="records")
