"""The durable indexing queue.

A service writes a row here in the same transaction as the change it
makes (``UnitOfWork.index``); the index writer drains the queue after the
commit. A crash between the two loses nothing: the next drain (or
``repo-app check --repair``) picks the row up. Rows name index documents
(``services.document_ids``), so one queue serves local works and harvested
records, and can remove a document whose row is gone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from repo_app.db import Base
from repo_app.models.types import UTCDateTime, utcnow


class IndexQueueItem(Base):
    __tablename__ = "index_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[str] = mapped_column(String(40), index=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
