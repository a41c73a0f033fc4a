"""Small facts the application keeps about itself between runs (one JSON value per key)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from repo_app.db import Base
from repo_app.models.types import UTCDateTime, utcnow


class AppState(Base):
    """``key`` → ``value``; e.g. ``harvestable_policy``: the access settings OAI-PMH last
    answered under (``services.policy_changes``)."""

    __tablename__ = "app_state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
