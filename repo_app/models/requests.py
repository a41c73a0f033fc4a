"""Request a copy, the notification outbox, and the reader's page log.

``CopyRequest`` is one reader's request for access to one work and the
librarian's decision; a grant it leads to is an ``AccessGrant`` (which is
what ``access.decide`` reads). ``Notification`` is an outbox: messages are
written in the same transaction as the decision they announce and sent
afterwards (by SMTP when configured), so a mail failure never loses a
decision and the requester can always read it on "my requests".
``ReaderPageView`` logs each page image served, which is both the reader's
rate limit (pages in the last minute) and a record of who read what.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_app.db import Base
from repo_app.models.grants import AccessGrant
from repo_app.models.types import UTCDateTime, utcnow
from repo_app.models.users import User
from repo_app.models.works import Work


class CopyRequest(Base):
    """``status`` is ``pending``, ``granted`` or ``declined``; a decision is final."""

    __tablename__ = "copy_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    grant_id: Mapped[int | None] = mapped_column(
        ForeignKey("access_grants.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    work: Mapped[Work] = relationship()
    grant: Mapped[AccessGrant | None] = relationship()


class Notification(Base):
    """One message to one account; ``sent_at`` stays empty until (and unless) it is mailed."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str] = mapped_column(Text, default="")


class ReaderPageView(Base):
    """One page image served: ``viewer`` is ``user:<id>`` or ``ip:<address>``."""

    __tablename__ = "reader_page_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    viewer: Mapped[str] = mapped_column(String(80), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id", ondelete="CASCADE"))
    page: Mapped[int]
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The code in this page's watermark: a leaked image names the request that made it.
    mark: Mapped[str] = mapped_column(String(12), default="")
