"""The holdings register (the denominator of digitization coverage) and dated coverage snapshots."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_app.db import Base
from repo_app.models.types import UTCDateTime, utcnow
from repo_app.models.works import Collection, Work


class Holding(Base):
    """One in-house work the library holds, printed or digital, from the library catalogue.

    ``holding_id`` is the catalogue's own key, so re-importing the catalogue
    updates rows instead of duplicating them. ``work_id`` is set when the
    repository has the work (by holding id at import, or by a librarian
    confirming ``suggested_work_id``); ``rejected_work_ids`` remembers the
    suggestions a librarian turned down so they are not proposed again.
    ``faculty`` keeps the catalogue's wording; ``collection_id`` links it to a
    repository faculty when the code or name matches.
    """

    __tablename__ = "holdings"

    id: Mapped[int] = mapped_column(primary_key=True)
    holding_id: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(Text)
    creators: Mapped[list[str]] = mapped_column(JSON, default=list)
    year: Mapped[int | None] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40), default="")
    faculty: Mapped[str] = mapped_column(String(300), default="")
    collection_id: Mapped[int | None] = mapped_column(
        ForeignKey("collections.id", ondelete="SET NULL"))
    shelf_mark: Mapped[str] = mapped_column(String(100), default="")
    format: Mapped[str] = mapped_column(String(10), default="print")
    category: Mapped[str] = mapped_column(String(40), index=True)
    work_id: Mapped[int | None] = mapped_column(
        ForeignKey("works.id", ondelete="SET NULL"), index=True)
    link_status: Mapped[str] = mapped_column(String(12), default="none", index=True)
    suggested_work_id: Mapped[int | None] = mapped_column(
        ForeignKey("works.id", ondelete="SET NULL"))
    rejected_work_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    collection: Mapped[Collection | None] = relationship()
    work: Mapped[Work | None] = relationship(foreign_keys=[work_id])
    suggested_work: Mapped[Work | None] = relationship(foreign_keys=[suggested_work_id])


class CoverageSnapshot(Base):
    """The coverage figures of one day and category ("all" for the whole register).

    One row per day and category (later computations that day overwrite it),
    so the chart over time has one point a day however often the report is read.
    """

    __tablename__ = "coverage_snapshots"
    __table_args__ = (UniqueConstraint("taken_on", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taken_on: Mapped[date] = mapped_column(Date, index=True)
    category: Mapped[str] = mapped_column(String(40))
    holdings: Mapped[int] = mapped_column(Integer)
    digitized: Mapped[int] = mapped_column(Integer)
    searchable: Mapped[int] = mapped_column(Integer)
    online: Mapped[int] = mapped_column(Integer)
