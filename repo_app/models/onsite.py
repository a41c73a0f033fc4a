"""On-site reading requests: the permit a reader needs for an ``onsite`` work.

Circular 02/2020/TT-BVHTTDL Art. 32: restricted documents of some classes
are read only on site, in a separate room, by a reader with a letter of
introduction or the library head's written approval. A request records the
purpose, the uploaded letter (kept in the file store under its checksum),
and the librarian's decision: who approved it and from when until when it
is valid. ``access.decide`` reads the approved, current ones (through
``services.onsite.permitted_work_ids``) and opens the work only from the
reading-room networks, never for download.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_app.db import Base
from repo_app.models.types import UTCDateTime, utcnow
from repo_app.models.users import User
from repo_app.models.works import Work


class OnsiteRequest(Base):
    """``status`` is ``pending``, ``approved`` or ``declined``; a decision is final."""

    __tablename__ = "onsite_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(Text)
    letter_sha256: Mapped[str] = mapped_column(String(64))
    letter_name: Mapped[str] = mapped_column(String(255))
    letter_media_type: Mapped[str] = mapped_column(String(100))
    letter_size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    work: Mapped[Work] = relationship()
