"""Works, their files and the collections (faculties) they belong to."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_app.db import Base
from repo_app.models.types import FreeText, UTCDateTime, utcnow
from repo_app.models.users import User


class Collection(Base):
    """A faculty or department. ``code`` is ASCII (OAI-PMH setSpec), ``name`` Vietnamese."""

    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")


class Work(Base):
    """A thesis, dissertation, research report or article, with the ETD-MS fields.

    ``datestamp`` is the OAI-PMH datestamp: bumped by every change a
    harvester must see (metadata, status, access), so incremental harvests
    pick it up. ``was_public`` stays true once the work has been public, so
    withdrawing it (or making it confidential) is reported as a deletion.
    """

    __tablename__ = "works"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str | None] = mapped_column(String(100), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    title: Mapped[str] = mapped_column(FreeText)
    alt_title: Mapped[str] = mapped_column(FreeText, default="")
    creators: Mapped[list[str]] = mapped_column(JSON, default=list)
    advisors: Mapped[list[str]] = mapped_column(JSON, default=list)
    abstract: Mapped[str] = mapped_column(FreeText, default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The English version of the description, for bilingual records (the fields above
    # are in the work's own ``language``, usually Vietnamese).
    title_en: Mapped[str] = mapped_column(Text, default="")
    abstract_en: Mapped[str] = mapped_column(Text, default="")
    keywords_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    year: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8), default="vi")
    type: Mapped[str] = mapped_column(String(40))
    collection_id: Mapped[int | None] = mapped_column(ForeignKey("collections.id"))
    degree_name: Mapped[str] = mapped_column(String(200), default="")
    degree_level: Mapped[str] = mapped_column(String(20), default="")
    discipline: Mapped[str] = mapped_column(String(200), default="")
    grantor: Mapped[str] = mapped_column(String(300), default="")
    access_level: Mapped[str] = mapped_column(String(20), default="open")
    embargo_until: Mapped[date | None] = mapped_column(Date)
    access_after_embargo: Mapped[str] = mapped_column(String(20), default="open")
    embargo_reason: Mapped[str] = mapped_column(FreeText, default="")
    review_comment: Mapped[str] = mapped_column(FreeText, default="")
    # What the depositor asked for, apart from what the reviewer decides (embargo_until):
    # an embargo until a day, and why; and the licence they accepted, word for word, and when.
    embargo_requested_until: Mapped[date | None] = mapped_column(Date)
    embargo_request_reason: Mapped[str] = mapped_column(FreeText, default="")
    licence_text: Mapped[str] = mapped_column(FreeText, default="")
    licence_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    depositor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    datestamp: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    was_public: Mapped[bool] = mapped_column(default=False)

    collection: Mapped[Collection | None] = relationship()
    depositor: Mapped[User | None] = relationship()
    files: Mapped[list[File]] = relationship(
        back_populates="work", order_by="File.position", cascade="all, delete-orphan"
    )

    @property
    def faculty_name(self) -> str:
        return self.collection.name if self.collection else ""

    def touch(self) -> None:
        """Record a change that harvesters and caches must notice."""
        self.updated_at = self.datestamp = utcnow()


class File(Base):
    """A stored bitstream of a work. The bytes live in the file store under ``sha256``.

    ``extraction_status`` is ``queued`` or ``running`` while a background job
    makes its text (``pages_done`` of ``pages``), then one of ingest's statuses.

    ``access_level`` overrides the work's level for this file when set
    (an open thesis with a restricted appendix).
    """

    __tablename__ = "files"
    __table_args__ = (UniqueConstraint("work_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    original_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100), default="application/pdf")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    access_level: Mapped[str | None] = mapped_column(String(20))
    extraction_status: Mapped[str] = mapped_column(String(20), default="pending")
    extraction_message: Mapped[str] = mapped_column(Text, default="")
    pages: Mapped[int | None] = mapped_column(Integer)
    chars: Mapped[int] = mapped_column(Integer, default=0)
    ocr: Mapped[bool] = mapped_column(default=False)
    legacy_encoding: Mapped[str | None] = mapped_column(String(20))
    # Pages read or recognised so far while the text is being made in the background.
    pages_done: Mapped[int] = mapped_column(Integer, default=0)
    # The searchable copy of a scan (the original stays the preservation master).
    derivative_sha256: Mapped[str | None] = mapped_column(String(64))
    derivative_size: Mapped[int | None] = mapped_column(Integer)
    derivative_pdfa: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    work: Mapped[Work] = relationship(back_populates="files")

    @property
    def served_sha256(self) -> str:
        """The bytes downloads and the reader serve: the searchable copy when there is one."""
        return self.derivative_sha256 or self.sha256
