"""Which works an anonymous visitor may see, decided from a few columns per work.

OAI-PMH lists and the sitemap must ask the access module about every work
without loading whole works; this is the one projection they share.
"""

from __future__ import annotations

from repo_app import resources
from repo_app.access import ANONYMOUS, Action, WorkLike, decide
from repo_app.models import Work

# The columns ``access.decide`` reads (``access.WorkLike``): a row of them is enough for it.
ACCESS_COLUMNS = (Work.id, Work.status, Work.access_level, Work.embargo_until,
                  Work.access_after_embargo, Work.depositor_id)


def visible_to_anyone(row: WorkLike) -> bool:
    """Whether anonymous visitors may see the work of a row selected with ``ACCESS_COLUMNS``."""
    return decide(ANONYMOUS, Action.VIEW_METADATA, row, policy=resources.policy()).allowed
