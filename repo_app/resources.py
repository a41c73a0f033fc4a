"""The app's long-lived resources: the file store, the search index and the access policy.

Created once per app (in ``create_app``, the index on first use) and reached
through these functions, so services never build paths or open indexes
themselves.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from flask import Flask, current_app

from ingest.page_cache import PageCache
from ingest.storage import FileStore
from repo_app.access import Policy, policy_from_config

if TYPE_CHECKING:
    from search.index import SearchIndex

_index_opening = threading.Lock()


def init_app(app: Flask) -> None:
    data_dir = app.config["DATA_DIR"]
    app.extensions["repo_store"] = FileStore(data_dir / "files")
    app.extensions["repo_policy"] = policy_from_config(app.config)
    app.extensions["repo_page_cache"] = PageCache(data_dir / "cache" / "pages")
    # Reader renders this process runs at once (each in its own limited worker process).
    app.extensions["repo_render_slots"] = threading.BoundedSemaphore(
        max(1, app.config["READER_RENDER_PROCESSES"]))


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
    """The search index, made on first use (once per app, whichever thread asks first).

    ``search.index`` loads Whoosh, a tenth of a second (numpy, a third, waits
    for the first search): a command or a request that never searches or
    indexes does not pay it.
    """
    extensions, config = current_app.extensions, current_app.config
    with _index_opening:
        if "repo_index" not in extensions:
            from search.index import SearchIndex

            extensions["repo_index"] = SearchIndex(
                config["DATA_DIR"] / "index",
                cache_mb=config["SEARCH_CACHE_MB"],
                writer_mb=config["SEARCH_WRITER_MB"],
                rebuild_mb=config["SEARCH_REBUILD_MB"],
            )
    return extensions["repo_index"]


def policy() -> Policy:
    return current_app.extensions["repo_policy"]


def page_cache() -> PageCache:
    return current_app.extensions["repo_page_cache"]


def render_slots() -> threading.BoundedSemaphore:
    return current_app.extensions["repo_render_slots"]
