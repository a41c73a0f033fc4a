"""When the access settings change, harvesters must learn which records appeared or vanished.

Changing ``REPO_EMBARGO_METADATA_PUBLIC`` (or ``REPO_RESTRICTED_READERS``)
changes what an anonymous visitor may see without any work being edited:
embargoed works turn into deleted records, or back. An incremental
harvester asks only for records changed since its last visit, so each work
whose visibility changed gets a new datestamp (and, newly public, is
remembered as ``was_public`` so hiding it later is reported as a deletion).

The settings the repository last answered under are kept in ``app_state``;
:func:`sync` compares them with the policy in force, once per change, and
runs where it matters: before an OAI-PMH answer and at ``repo-app init``.
Two processes noticing the same change at once only bump the same
datestamps twice, which harvesters cannot tell from once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from repo_app import resources
from repo_app.access import ANONYMOUS, Action, Policy, decide
from repo_app.models import AppState, Work
from repo_app.vocab import WorkStatus

KEY = "harvestable_policy"


def settings_of(policy: Policy) -> dict[str, Any]:
    """The parts of a policy that decide what anonymous visitors (harvesters) see."""
    return {"restricted_readers": sorted(policy.restricted_readers),
            "embargo_metadata_public": policy.embargo_metadata_public}


def policy_of(settings: dict[str, Any]) -> Policy:
    return Policy(restricted_readers=frozenset(settings["restricted_readers"]),
                  embargo_metadata_public=bool(settings["embargo_metadata_public"]))


def sync(db: Session) -> list[int]:
    """Bump the datestamp of every work whose anonymous visibility the settings changed.

    Returns the ids bumped; nothing happens (one small read) when the
    settings are those last recorded.
    """
    now = resources.policy()
    current = settings_of(now)
    state = db.get(AppState, KEY)
    if state is not None and state.value == current:
        return []
    changed = _changed_works(db, policy_of(state.value), now) if state is not None else []
    for work in changed:
        work.touch()
        work.was_public = work.was_public or _visible(work, now)
    if state is None:
        db.add(AppState(key=KEY, value=current))
    else:
        state.value = current
    db.commit()
    return [w.id for w in changed]


def _visible(work: Work, policy: Policy) -> bool:
    return decide(ANONYMOUS, Action.VIEW_METADATA, work, policy=policy).allowed


def _changed_works(db: Session, before: Policy, now: Policy) -> list[Work]:
    query = select(Work).where(or_(Work.status == WorkStatus.PUBLISHED, Work.was_public.is_(True)))
    return [w for w in db.scalars(query) if _visible(w, before) != _visible(w, now)]
