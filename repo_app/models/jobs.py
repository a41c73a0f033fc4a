"""Background jobs and the pages OCR has recognised.

A ``Job`` row is the durable truth about a piece of long work (extracting a
file's text, recognising one page, finishing a scan); the task queue only
carries job ids to workers. A crash anywhere loses no job: a row stays
``queued`` or ``running`` until a worker finishes it, and ``jobs.sweep``
sends again what no live worker holds.

``unique_key`` equals ``key`` while the job is outstanding and is cleared
when it ends, so at most one outstanding job exists per key (no duplicate
work) while finished ones stay as history.

An ``OcrPage`` is written the moment a page is recognised, so OCR resumes
at the next page after a crash and no page is recognised twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from repo_app.db import Base
from repo_app.models.types import FreeText, UTCDateTime, utcnow

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
JOB_STATES = (QUEUED, RUNNING, DONE, FAILED)


class Job(Base):
    """One unit of background work, its attempts and its outcome."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    key: Mapped[str] = mapped_column(String(120), index=True)
    unique_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    state: Mapped[str] = mapped_column(String(10), default=QUEUED, index=True)
    file_id: Mapped[int | None] = mapped_column(
        ForeignKey("files.id", ondelete="CASCADE"), index=True)
    batch: Mapped[str] = mapped_column(String(40), default="", index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    pages: Mapped[int] = mapped_column(Integer, default=0)  # pages this job recognised or read
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=4)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    worker: Mapped[str] = mapped_column(String(120), default="")  # host:pid of the holder
    message: Mapped[str] = mapped_column(FreeText, default="")


class OcrPage(Base):
    """One recognised page of a file: its text, how far to trust it, and its review."""

    __tablename__ = "ocr_pages"
    __table_args__ = (UniqueConstraint("file_id", "page"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id", ondelete="CASCADE"), index=True)
    page: Mapped[int] = mapped_column(Integer)  # 0-based
    text: Mapped[str] = mapped_column(FreeText, default="")
    confidence: Mapped[float | None] = mapped_column(Float)
    valid_ratio: Mapped[float] = mapped_column(Float, default=0.0)
    words: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    # The page's invisible-text PDF in the store, grafted onto the scan for the derivative.
    text_pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    # "" (trusted), "pending" (below the thresholds), "accepted", "corrected", "failed".
    review: Mapped[str] = mapped_column(String(10), default="", index=True)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    message: Mapped[str] = mapped_column(Text, default="")
