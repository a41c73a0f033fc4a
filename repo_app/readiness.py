"""Is this data directory ready to serve? Asked before any command but ``init``.

Only the database is required: a missing or damaged index is something
``check`` reports and ``reindex`` rebuilds, so they must still run.

A command run on a data directory (or database) that ``repo-app init`` has
not prepared would otherwise fail deep inside with an SQL traceback; this
answers first, in one sentence that says what to do.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

NOT_INITIALISED = ("The data directory {data_dir} is not initialised (no {what}): "
                   "run `repo-app init` first.")


def missing_part(app: Flask) -> str:
    """What ``init`` has not made yet ('' when the data directory is ready)."""
    url = make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).is_file()):
        return "database"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return "database schema"
    except SQLAlchemyError:
        return "database"
    finally:
        engine.dispose()
    return ""


def problem(app: Flask) -> str:
    """The message to print, or '' when every part is there."""
    what = missing_part(app)
    return NOT_INITIALISED.format(data_dir=app.config["DATA_DIR"], what=what) if what else ""
