"""The database each test app runs on: a SQLite file by default, or a PostgreSQL database.

With ``REPO_TEST_DATABASE_URL=postgresql+psycopg://user@host:port/dbname`` the
whole suite runs on that server. Creating and migrating a database costs
about a second, so each test process keeps a small pool: a database is
created with a unique name (other engineers test on the same server at the
same time) and migrated once, lent to one app at a time, emptied (rows deleted,
identities restarted) when it comes back, and dropped when the process ends. An app
that lives for a whole module (the access matrix's world) simply holds its
database that long, while the module's other apps borrow another.

``postgres_server()`` answers the PostgreSQL-only tests (concurrency that
SQLite serialises): the configured server, else the usual local one, else
a reason to skip.
"""

from __future__ import annotations

import atexit
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine, make_url

from repo_app import db as repo_db
from repo_app import models

LOCAL_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PREFIX = "repotest_"


class PostgresPool:
    """Databases on one server, created on demand, migrated once and reused after a TRUNCATE."""

    def __init__(self, server: str) -> None:
        self.server = make_url(server)
        self.admin: Engine = create_engine(self.server, isolation_level="AUTOCOMMIT",
                                           pool_pre_ping=True)
        self.run = f"{PREFIX}{uuid.uuid4().hex[:10]}_{os.environ.get('PYTEST_XDIST_WORKER', 'm')}"
        self.free: list[str] = []
        self.made: list[str] = []
        atexit.register(self.drop_all)

    def url(self, name: str) -> str:
        url: URL = self.server.set(database=name)
        return url.render_as_string(hide_password=False)

    def acquire(self) -> str:
        """A migrated, empty database that no other app is using."""
        if not self.free:
            name = f"{self.run}_{len(self.made)}"
            with self.admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            self.made.append(name)
            repo_db.migrate(self.url(name))
            return self.url(name)
        return self.url(self.free.pop())

    def release(self, url: str) -> None:
        """Empty the database (every table, identities restarted) and put it back in the pool."""
        name = make_url(url).database
        with self.admin.connect() as conn:
            # Anything a test left connected (a forked worker, a thread) must not block TRUNCATE.
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
        engine = create_engine(url)
        with engine.begin() as conn:
            # DELETE, not TRUNCATE: on a few rows it is ten times faster (no new files to fsync).
            for table in reversed(models.Base.metadata.sorted_tables):
                conn.execute(text(f'DELETE FROM "{table.name}"'))
            sequences = conn.scalars(text("SELECT sequencename FROM pg_sequences "
                                          "WHERE schemaname = 'public'")).all()
            for sequence in sequences:
                conn.execute(text("SELECT setval(:seq, 1, false)"), {"seq": sequence})
        engine.dispose()
        self.free.append(name)

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.made.clear()
        self.admin.dispose()


@contextmanager
def empty_database(server: str) -> Iterator[str]:
    """A database with no tables at all (as before ``repo-app init``), dropped afterwards."""
    pool = _pool(server)
    name = f"{pool.run}_empty"
    with pool.admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield pool.url(name)
    finally:
        with pool.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@cache
def _pool(server: str) -> PostgresPool:
    return PostgresPool(server)


def configured_server() -> str | None:
    """The PostgreSQL server the whole suite runs on, or None for SQLite."""
    url = os.environ.get("REPO_TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


@cache
def _reachable(server: str) -> str:
    """'' when ``server`` answers, otherwise why not."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    engine = create_engine(server, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return ""
    except Exception as exc:  # noqa: BLE001 - any failure to connect is a reason to skip
        return f"no PostgreSQL answers at {make_url(server).render_as_string()}: {exc.__class__.__name__}"
    finally:
        engine.dispose()


def postgres_server() -> str:
    """The server for PostgreSQL-only tests; skips the test with the reason when none answers."""
    server = configured_server() or os.environ.get("REPO_TEST_POSTGRES_URL", LOCAL_SERVER)
    reason = _reachable(server)
    if reason:
        pytest.skip(reason)
    return server


def lease(request: pytest.FixtureRequest, server: str | None = None) -> str | None:
    """A database URL for one app, given back when ``request``'s scope ends (None: SQLite)."""
    server = server or configured_server()
    if server is None:
        return None
    pool = _pool(server)
    url = pool.acquire()
    request.addfinalizer(lambda: pool.release(url))
    return url


def dispose(app: Flask) -> None:
    """Close the app's connections, so its database can be emptied and lent again."""
    app.extensions["repo_db"].kw["bind"].dispose()
