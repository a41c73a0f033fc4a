"""Usage statistics, COUNTER Release 5 style: what is counted, and how it reaches the database.

Counted: views of a work's page, downloads of its files, and pages opened in
the online reader, per local day (the site's time zone), each as a *total*
and as *unique* visitors. Left out: robots and machines (the COUNTER list,
``robot_agents``), library staff, and a repeat of the same use of the same
work by the same visitor within 30 seconds (COUNTER's double-click rule; a
run of repeats each within 30 s of the last counts once).

A visitor is known only as an HMAC of their account (``user:<id>``) or of
their address and browser, under a random salt of the day (``UsageSalt``)
shared by every worker. Those hashes (``UsageSeen``) and the salt are
deleted once the day is over: what remains are ``UsageDaily`` counts.

Recording is cheap for the request: a hit is put in an in-process buffer
(``Recorder``) and written, with those of other requests, by a timer thread
every ``USAGE_FLUSH_SECONDS`` in one transaction (an upsert per day, work
and metric), and at the process's exit. Several processes may flush at
once: the daily counts are added with ``INSERT … ON CONFLICT DO UPDATE``
on SQLite and PostgreSQL alike. A process killed with ``kill -9`` loses at
most its last seconds of counts, which statistics can bear.
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import logging
import os
import secrets
import threading
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from repo_app.access import Actor, counts_as_use, effective_level
from repo_app.db import standalone_session
from repo_app.models import UsageDaily, UsageSalt, UsageSeen, Work
from repo_app.services.robot_agents import is_robot
from repo_app.vocab import AccessLevel

log = logging.getLogger(__name__)

VIEW, DOWNLOAD, READ = "view", "download", "read"
METRICS = (VIEW, DOWNLOAD, READ)
DOUBLE_CLICK = timedelta(seconds=30)


@dataclass(frozen=True)
class Hit:
    """One counted use, already anonymous: ``visitor`` is the day's HMAC."""

    day: date
    work_id: int
    metric: str
    visitor: str
    at: datetime


@dataclass(frozen=True)
class Totals:
    """A work's use since counting began (what the work page and the API show)."""

    views: int = 0
    downloads: int = 0
    reads: int = 0

    def as_json(self) -> dict[str, int]:
        return {"views": self.views, "downloads": self.downloads, "reads": self.reads}


def local_day(moment: datetime, zone: str) -> date:
    """The day a moment falls on in the site's time zone (Vietnam's, not UTC's)."""
    return moment.astimezone(ZoneInfo(zone)).date()


def site_zone(app: Flask) -> str:
    """The day counts fall on is the site's (``REPO_TIMEZONE``, Vietnam's by default)."""
    return app.config["BABEL_DEFAULT_TIMEZONE"]


def today() -> date:
    return local_day(datetime.now(UTC), site_zone(current_app))


def counts(actor: Actor, user_agent: str | None) -> bool:
    """Whether a use is counted at all: not a robot's or a machine's, not library staff's."""
    return counts_as_use(actor) and not is_robot(user_agent)


def visitor_key(actor: Actor, address: str | None, user_agent: str | None) -> str:
    """Who a visitor is, for today's hash: the account, else address and browser (COUNTER)."""
    if actor.user_id is not None:
        return f"user:{actor.user_id}"
    return f"guest:{address or ''}|{user_agent or ''}"


def _insert(db: Session, table):
    """The dialect's INSERT, which has ``on_conflict_do_…`` (SQLite and PostgreSQL).

    Imported here: the PostgreSQL dialect package (asyncpg's module included)
    costs every command and web process a twentieth of a second at start.
    """
    from sqlalchemy.dialects import postgresql, sqlite

    return (postgresql if db.get_bind().dialect.name == "postgresql" else sqlite).insert(table)


def day_salt(db: Session, day: date) -> bytes:
    """The salt of ``day``'s visitor hashes, made by whichever process asks first."""
    db.execute(_insert(db, UsageSalt).values(day=day, salt=secrets.token_hex(32))
               .on_conflict_do_nothing(index_elements=["day"]))
    salt = db.scalar(select(UsageSalt.salt).where(UsageSalt.day == day))
    db.commit()
    return bytes.fromhex(salt)


def visitor_hash(salt: bytes, visitor_key: str) -> str:
    return hmac.new(salt, visitor_key.encode(), hashlib.sha256).hexdigest()[:32]


def _see(db: Session, hit: Hit) -> tuple[bool, bool]:
    """(counted, unique) for a hit, updating the visitor's last use of the work today."""
    key = (UsageSeen.day == hit.day, UsageSeen.work_id == hit.work_id,
           UsageSeen.metric == hit.metric, UsageSeen.visitor == hit.visitor)
    last = db.scalar(select(UsageSeen.last_at).where(*key))
    if last is None:
        # RETURNING says whether the row went in (psycopg's rowcount does not here).
        added = db.scalar(_insert(db, UsageSeen).values(
            day=hit.day, work_id=hit.work_id, metric=hit.metric, visitor=hit.visitor,
            last_at=hit.at).on_conflict_do_nothing().returning(UsageSeen.work_id))
        if added is not None:
            return True, True
        last = db.scalar(select(UsageSeen.last_at).where(*key))  # another process was first
    db.execute(update(UsageSeen).where(*key).values(last_at=max(last, hit.at)))
    return abs(hit.at - last) > DOUBLE_CLICK, False


def write(db: Session, hits: Iterable[Hit], today: date) -> None:
    """Add ``hits`` to the daily counts and forget the visitors of days before ``today``."""
    counts: dict[tuple[date, int, str], list[int]] = defaultdict(lambda: [0, 0])
    for hit in sorted(hits, key=lambda h: h.at):
        counted, unique = _see(db, hit)
        counts[(hit.day, hit.work_id, hit.metric)][0] += counted
        counts[(hit.day, hit.work_id, hit.metric)][1] += unique
    existing = set(db.scalars(select(Work.id).where(Work.id.in_({k[1] for k in counts}))))
    for (day, work_id, metric), (total, uniques) in counts.items():
        if work_id not in existing or not total:
            continue  # a work deleted since, or only repeats
        stmt = _insert(db, UsageDaily).values(day=day, work_id=work_id, metric=metric,
                                              total=total, uniques=uniques)
        db.execute(stmt.on_conflict_do_update(
            index_elements=["day", "work_id", "metric"],
            set_={"total": UsageDaily.total + stmt.excluded.total,
                  "uniques": UsageDaily.uniques + stmt.excluded.uniques}))
    forget_before(db, today)
    db.commit()


def forget_before(db: Session, today: date) -> None:
    """Drop the visitor hashes and salts of past days: only daily counts outlive the day."""
    db.execute(delete(UsageSeen).where(UsageSeen.day < today))
    db.execute(delete(UsageSalt).where(UsageSalt.day < today))


def shown(work: Work) -> bool:
    """Usage is never shown for a confidential work (not even its existence in figures)."""
    return effective_level(work) != AccessLevel.CONFIDENTIAL


def totals(db: Session, work: Work) -> Totals | None:
    """A work's counts for the page and the API; None for a confidential work."""
    if not shown(work):
        return None
    rows = db.execute(select(UsageDaily.metric, func.sum(UsageDaily.total))
                      .where(UsageDaily.work_id == work.id).group_by(UsageDaily.metric))
    by_metric = {metric: int(total or 0) for metric, total in rows}
    return Totals(views=by_metric.get(VIEW, 0), downloads=by_metric.get(DOWNLOAD, 0),
                  reads=by_metric.get(READ, 0))


class Recorder:
    """One process's buffer of hits for one app, written by a timer thread.

    ``flush_seconds`` 0 writes each hit at once (tests; a site that wants no
    delay). A process forked after the buffer was made starts an empty one.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.flush_seconds = float(app.config["USAGE_FLUSH_SECONDS"])
        self.zone = site_zone(app)
        self._reset()
        _LIVE.add(self)

    def _reset(self) -> None:
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.hits: list[Hit] = []
        self.salts: dict[date, bytes] = {}
        self.timer: threading.Timer | None = None

    def hit(self, work_id: int, metric: str, visitor_key: str) -> None:
        """Buffer one use (the caller has left out robots and staff)."""
        if os.getpid() != self.pid:
            self._reset()
        now = datetime.now(UTC)
        day = local_day(now, self.zone)
        hit = Hit(day, work_id, metric, visitor_hash(self._salt(day), visitor_key), now)
        with self.lock:
            self.hits.append(hit)
            if self.flush_seconds > 0 and self.timer is None:
                self.timer = threading.Timer(self.flush_seconds, self.flush)
                self.timer.daemon = True
                self.timer.start()
        if self.flush_seconds <= 0:
            self.flush()

    def _salt(self, day: date) -> bytes:
        if day not in self.salts:
            with standalone_session(self.app) as db:
                self.salts = {day: day_salt(db, day)}
        return self.salts[day]

    def flush(self) -> None:
        """Write the buffered hits in one transaction; a failure is logged, the hits dropped."""
        with self.lock:
            hits, self.hits, self.timer = self.hits, [], None
        if not hits:
            return
        try:
            with standalone_session(self.app) as db:
                write(db, hits, local_day(datetime.now(UTC), self.zone))
        except Exception:  # statistics must never break the site; say so in the log
            log.exception("usage: %s hits could not be written", len(hits))


_MAKING = threading.Lock()
# Recorders to flush when the process exits; weak, so an app dropped (tests make many)
# is not kept alive by its recorder.
_LIVE: weakref.WeakSet[Recorder] = weakref.WeakSet()


@atexit.register
def _flush_all() -> None:
    for live in list(_LIVE):
        live.flush()


def recorder(app: Flask) -> Recorder:
    """The app's recorder in this process, made on first use."""
    with _MAKING:
        found = app.extensions.get("repo_usage")
        if found is None:
            found = app.extensions["repo_usage"] = Recorder(app)
    return found
