"""Bearer tokens for depositing through the API (``repo-app tokens create``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_app.db import Base
from repo_app.models.types import UTCDateTime, utcnow
from repo_app.models.users import User


class ApiToken(Base):
    """Only the SHA-256 of the token is stored: a leaked database leaks no usable token.

    A token acts only within its scopes and until it expires or is revoked.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the token may do, space-separated: ``deposit`` (create, upload, submit) and/or
    # ``read`` (the account's own records through the API).
    scopes: Mapped[str] = mapped_column(String(100), default="deposit")
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
