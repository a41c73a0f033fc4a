"""Clearing what is left behind: uploads no work took, and reader pages beyond the cache's size.

``repo-app sweep`` runs it (from cron, or the job queue's periodic sweep);
staging also sweeps itself at most once an hour (``files.stage``), so a site
that never runs the command still loses abandoned uploads after a day.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from repo_app import resources
from repo_app.services import files


@dataclass(frozen=True)
class Swept:
    staged_files: int
    cached_pages: int


def sweep() -> Swept:
    """Remove staged uploads older than a day and trim the reader's page cache."""
    limit = int(current_app.config["READER_CACHE_MB"]) * 1024 * 1024
    return Swept(files.sweep_staged(), resources.page_cache().trim(limit))

