"""The plain data that crosses the edge between the app and the index.

The app turns a stored work into a ``WorkDocument`` (one pure function in
``repo_app.services.indexing``); the index never reads the database. The
access module turns a requester into a ``Scope``; the index never knows
about roles or networks, only about audience tokens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class WorkDocument:
    """Everything the index knows about one work.

    Audience tokens are opaque strings chosen by the access module
    (for example ``"anyone"``, ``"campus"``, ``"member"``, ``"staff"``).
    A searcher sees the record when one of their tokens is in
    ``meta_audience``; their query may match ``fulltext`` (and a snippet
    may quote it) only when one of their tokens is in ``text_audience``, or
    when ``embargo_until`` has passed and one is in ``text_audience_after``.
    """

    id: str
    title: str
    url: str
    alt_title: str = ""
    creators: tuple[str, ...] = ()
    advisors: tuple[str, ...] = ()
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    fulltext: str = ""
    faculty: str = ""
    type: str = ""
    degree_level: str = ""
    year: int | None = None
    language: str = ""
    access: str = "open"
    embargo_until: date | None = None
    source: str = "local"
    owner: str = ""
    meta_audience: tuple[str, ...] = ("anyone",)
    text_audience: tuple[str, ...] = ("anyone",)
    text_audience_after: tuple[str, ...] = ()
    version: str = ""


@dataclass(frozen=True)
class Scope:
    """What one searcher may see, as the access module decided it.

    ``tokens``: the searcher's audience tokens. ``owner``: the searcher's
    owner key (their own works are fully visible to them). ``work_ids``:
    works the searcher was granted (request-a-copy) in full.
    ``today`` is passed in so an embargo that ended at midnight is lifted
    in search with no job having run.
    """

    tokens: frozenset[str]
    today: date
    owner: str = ""
    work_ids: frozenset[str] = field(default_factory=frozenset)
