"""Database engine and per-request sessions.

The session's lifetime is managed here, outside the code that uses it:
a request (or a CLI command) opens one lazily and it is closed at teardown.
Services receive the session as their first argument and own commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class Base(DeclarativeBase):
    """Declarative base with a naming convention so Alembic can alter SQLite tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str, busy_timeout: float = 30.0) -> Engine:
    """Create the engine; SQLite gets WAL and a busy timeout so several workers can share it.

    ``pool_pre_ping`` on PostgreSQL replaces a connection the server dropped
    (a restart, a failover) before a request uses it, so the site recovers
    by itself once the database is back.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": busy_timeout})
        event.listen(engine, "connect", partial(_sqlite_pragmas, busy_timeout=busy_timeout))
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record, busy_timeout: float) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
    cursor.close()


def init_app(app: Flask) -> None:
    """Attach an engine and session factory to the app and close sessions at teardown."""
    engine = make_engine(app.config["DATABASE_URL"], app.config["DB_BUSY_TIMEOUT"])
    factory = sessionmaker(engine, expire_on_commit=False)
    event.listen(factory, "after_commit", _run_after_commit)
    event.listen(factory, "after_soft_rollback", _forget_after_commit)
    app.extensions["repo_db"] = factory
    app.teardown_appcontext(_close_session)


def after_commit(db: Session, callback: Callable[[], object]) -> None:
    """Run ``callback`` once ``db``'s current transaction commits; never if it rolls back.

    How a job's id reaches the workers only when the row they will read exists.
    """
    db.info.setdefault(_AFTER_COMMIT, []).append(callback)


_AFTER_COMMIT = "repo_after_commit"


def _run_after_commit(db: Session) -> None:
    if db.in_nested_transaction():
        return  # a savepoint released: the outer transaction may still roll back
    for callback in db.info.pop(_AFTER_COMMIT, []):
        callback()


def _forget_after_commit(db: Session, previous_transaction) -> None:
    if previous_transaction.nested:
        return  # a savepoint rolled back: what was queued before it still stands
    db.info.pop(_AFTER_COMMIT, None)


def session() -> Session:
    """The current request's (or command's) session, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["repo_db"]()
    return g.db_session


@contextmanager
def standalone_session(app: Flask) -> Iterator[Session]:
    """A session outside any request, for worker threads and scripts."""
    db = app.extensions["repo_db"]()
    try:
        yield db
    finally:
        db.close()


def _close_session(_exc: BaseException | None) -> None:
    db = g.pop("db_session", None)
    if db is not None:
        db.close()


def migrate(url: str) -> None:
    """Bring the schema to the newest revision of every migration branch (idempotent).

    Alembic is imported here, not at the top: only ``init`` and tests migrate,
    and every other command and web process would pay for it at start-up.
    """
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(cfg, "heads")
