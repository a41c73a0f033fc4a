"""Per-process search memory from configuration (REPO_SEARCH_CACHE_MB, …_WRITER_MB, …_REBUILD_MB)."""

from __future__ import annotations

from access.world import make_app

from repo_app import resources
from search import caching


def test_search_memory_comes_from_the_configuration(tmp_path, monkeypatch):
    monkeypatch.setenv("REPO_SEARCH_CACHE_MB", "32")
    monkeypatch.setenv("REPO_SEARCH_WRITER_MB", "48")
    monkeypatch.setenv("REPO_SEARCH_REBUILD_MB", "64")
    try:
        app = make_app(tmp_path / "data", monkeypatch)
        with app.app_context():
            index = resources.index()
            assert (index.writer_mb, index.rebuild_mb) == (48, 64)
        assert max(cache.limit for cache in caching._caches) == 32 * 2**20
    finally:
        caching.set_budget(caching.DEFAULT_CACHE_MB)
