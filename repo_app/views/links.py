"""Addresses of the site's pages for text that leaves it (mail), from ``REPO_BASE_URL``.

CONTRACT.md makes ``REPO_BASE_URL`` the one source of the site's address in
anything generated; the path comes from the route, so a moved route moves
its links too.
"""

from __future__ import annotations

from flask import current_app, url_for


def absolute(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def work_url(work_id: int) -> str:
    """A work's page, for a message to a reader."""
    return absolute(url_for("public.work", work_id=work_id))
