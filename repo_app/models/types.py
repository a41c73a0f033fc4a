"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Text, TypeDecorator


class UTCDateTime(TypeDecorator):
    """Timestamps stored and returned as aware UTC datetimes.

    SQLite drops time zones; without this, a datestamp read back is naive
    and an OAI-PMH response could leak the server's local offset.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, _dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; use utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, _dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class FreeText(TypeDecorator):
    """Text typed by people or read from files, stored without NUL characters.

    PostgreSQL's text types refuse U+0000 (SQLite keeps it), and no title or
    abstract means one; stripping it here keeps one behaviour on both
    databases instead of a 500 on one of them.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, _dialect) -> str | None:
        return None if value is None else value.replace("\x00", "")


def utcnow() -> datetime:
    """Now, in UTC, to the second (OAI-PMH's finest granularity)."""
    return datetime.now(UTC).replace(microsecond=0)
