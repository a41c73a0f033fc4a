"""Which works an anonymous visitor may see, decided from a few columns per work.

OAI-PMH lists and the sitemap must ask the access module about every work
without loading whole works; this is the one projection they share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from repo_app import resources
from repo_app.access import ANONYMOUS, Action, decide
from repo_app.models import Work

# The columns ``access.decide`` reads, in ``AccessRow``'s order.
ACCESS_COLUMNS = (Work.id, Work.status, Work.access_level, Work.embargo_until,
                  Work.access_after_embargo, Work.depositor_id)


@dataclass(frozen=True)
class AccessRow:
    id: int
    status: str
    access_level: str
    embargo_until: date | None
    access_after_embargo: str
    depositor_id: int | None


def visible_to_anyone(columns: tuple) -> bool:
    """Whether anonymous visitors may see the work whose ``ACCESS_COLUMNS`` values these are."""
    row = AccessRow(*columns[:len(ACCESS_COLUMNS)])
    return decide(ANONYMOUS, Action.VIEW_METADATA, row, policy=resources.policy()).allowed
