"""Ids from URLs, range-checked where they enter: one converter for paths, one parser for queries.

A database key is a signed integer (32 bits on PostgreSQL's ``integer``,
64 on SQLite). An id beyond that is not "not found" to the database but an
overflow error, which would surface as a 500 and a stack of log lines. So
``<int:…>`` in every route is this converter: an id out of range never
matches the route, and the answer is the ordinary 404 (JSON under
``/api/``). Ids that arrive in a query string or a form (``/audit?work=``,
OAI-PMH identifiers) go through :func:`parse_id`, the same rule.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

# The largest key every supported database stores: PostgreSQL's ``integer``.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """Werkzeug's ``int`` converter bounded to 0..MAX_ID (page numbers too: no page is that far)."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def parse_id(value: str | None) -> int | None:
    """A positive id from text, or None when it is not one (not digits, zero-padded, out of range)."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or value.startswith("0"):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def parse_page(value: str | None, default: int = 1) -> int:
    """A page number from a query string: out-of-range or malformed values give ``default``."""
    number = parse_id(value)
    return number if number is not None else default


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
