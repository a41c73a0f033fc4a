"""Usage statistics: daily counts per work, and the day's means of telling visitors apart.

``UsageDaily`` is all that is kept for good: per local day, work and metric
(``view`` of the work page, ``download`` of a file, ``read`` of a reader
page), the total and the unique count. ``UsageSeen`` and ``UsageSalt`` hold
the current day's salted visitor hashes (for uniques and the 30-second
double-click rule) and the salt itself; both are deleted once the day is
over, so no address, session or account can be linked to a count after it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from repo_app.db import Base
from repo_app.models.types import UTCDateTime


class UsageDaily(Base):
    """One day's use of one work by one metric (COUNTER R5: Total_ and Unique_Item_…)."""

    __tablename__ = "usage_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    metric: Mapped[str] = mapped_column(String(10), primary_key=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    uniques: Mapped[int] = mapped_column(Integer, default=0)


class UsageSeen(Base):
    """A visitor's last use of a work today; ``visitor`` is an HMAC under the day's salt."""

    __tablename__ = "usage_seen"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    work_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    metric: Mapped[str] = mapped_column(String(10), primary_key=True)
    visitor: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)


class UsageSalt(Base):
    """The random salt of one day's visitor hashes, shared by every worker process."""

    __tablename__ = "usage_salts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))
