"""The app's long-lived resources: the file store, the search index and the access policy.

Created once in ``create_app`` and reached through these functions, so
services never build paths or open indexes themselves.
"""

from __future__ import annotations

from flask import Flask, current_app

from ingest.storage import FileStore
from repo_app.access import Policy, policy_from_config
from search.index import SearchIndex


def init_app(app: Flask) -> None:
    data_dir = app.config["DATA_DIR"]
    app.extensions["repo_store"] = FileStore(data_dir / "files")
    app.extensions["repo_index"] = SearchIndex(
        data_dir / "index",
        cache_mb=app.config["SEARCH_CACHE_MB"],
        writer_mb=app.config["SEARCH_WRITER_MB"],
        rebuild_mb=app.config["SEARCH_REBUILD_MB"],
    )
    app.extensions["repo_policy"] = policy_from_config(app.config)


def initialize(app: Flask) -> None:
    """Create (or bring up to date) the data directory: schema, file store, index. Idempotent."""
    from repo_app import db

    app.config["DATA_DIR"].mkdir(parents=True, exist_ok=True)
    db.migrate(app.config["DATABASE_URL"])
    store().init()
    index().create_or_open()


def store() -> FileStore:
    return current_app.extensions["repo_store"]


def index() -> SearchIndex:
    return current_app.extensions["repo_index"]


def policy() -> Policy:
    return current_app.extensions["repo_policy"]
