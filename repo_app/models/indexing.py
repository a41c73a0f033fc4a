"""The durable indexing queue.

A service writes a row here in the same transaction as the change it
makes; the index writer drains the queue after the commit. A crash between
the two loses nothing: the next drain (or ``repo-app check --repair``)
picks the row up.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from repo_app.db import Base
from repo_app.models.types import UTCDateTime, utcnow


class IndexQueueItem(Base):
    __tablename__ = "index_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
