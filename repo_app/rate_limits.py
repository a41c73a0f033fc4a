"""Where rate-limit counters live: one SQLite file shared by every process on the host.

Flask-Limiter counts in memory by default, which is per process: behind
``repo-app serve --workers 4`` an attacker would get four times the
attempts, and each restart would forgive them all. This storage (a
``limits`` backend, registered as ``repo-sqlite://PATH``) keeps fixed-window
counters in a small SQLite file in the data directory instead, so every
worker process on the host shares them and they survive restarts — with no
service to run. Sites with web servers on several hosts configure Redis
(``REPO_QUEUE_URL=redis://…``) and the counters go there. Only login
attempts are counted, so the writes are few.

Flask-Limiter keeps one storage per ``Limiter`` object, and ours is a module
global shared by every app a process builds (tests build many). So the
``Limiter`` is given ``repo-app://``, a storage that hands each call to the
current app's own counters (``init_app``), each app with its own place and
key prefix.
"""

from __future__ import annotations

import sqlite3
import threading
import time

from flask import Flask, current_app
from limits.storage import Storage, storage_from_string

SCHEME = "repo-sqlite"
PER_APP = "repo-app://"
_EXTENSION = "repo_rate_limits"
SCHEMA = """CREATE TABLE IF NOT EXISTS counters (
    key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"""


class SQLiteStorage(Storage):
    """Fixed-window counters in one SQLite file; each change is one short write transaction."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **options: float | str | bool) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = (uri or "").split("://", 1)[1]
        self._local = threading.local()

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(SCHEMA)
            self._local.conn = conn
        return conn

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        db, now = self._db(), time.time()
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT count, expires FROM counters WHERE key = ?", (key,)).fetchone()
            if row is None or row[1] <= now:
                count, expires = amount, now + expiry
            else:
                count, expires = row[0] + amount, row[1]
            db.execute("INSERT OR REPLACE INTO counters (key, count, expires) VALUES (?, ?, ?)",
                       (key, count, expires))
            db.execute("DELETE FROM counters WHERE expires <= ?", (now,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return count

    def get(self, key: str) -> int:
        row = self._db().execute("SELECT count FROM counters WHERE key = ? AND expires > ?",
                                 (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._db().execute("SELECT expires FROM counters WHERE key = ?", (key,)).fetchone()
        return row[0] if row else time.time()

    def check(self) -> bool:
        try:
            self._db().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self._db().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self._db().execute("DELETE FROM counters WHERE key = ?", (key,))


class PerAppStorage(Storage):
    """The current app's counters (``app.extensions``), behind Flask-Limiter's one storage."""

    STORAGE_SCHEME = ["repo-app"]

    @property
    def base_exceptions(self) -> tuple[type[Exception], ...]:
        return (Exception,)

    @staticmethod
    def _target() -> tuple[Storage, str]:
        return current_app.extensions[_EXTENSION]

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        storage, prefix = self._target()
        return storage.incr(prefix + key, expiry, amount)

    def get(self, key: str) -> int:
        storage, prefix = self._target()
        return storage.get(prefix + key)

    def get_expiry(self, key: str) -> float:
        storage, prefix = self._target()
        return storage.get_expiry(prefix + key)

    def check(self) -> bool:
        return self._target()[0].check()

    def reset(self) -> int | None:
        return self._target()[0].reset()

    def clear(self, key: str) -> None:
        storage, prefix = self._target()
        storage.clear(prefix + key)


def init_app(app: Flask) -> None:
    """Give the app its counters: ``RATE_LIMIT_STORAGE`` (a ``limits`` URI) and key prefix."""
    app.config["RATELIMIT_STORAGE_URI"] = PER_APP
    app.extensions[_EXTENSION] = (storage_from_string(app.config["RATE_LIMIT_STORAGE"]),
                                  app.config["RATE_LIMIT_PREFIX"] + ":")
