"""Changing the access level of every work a search finds, one audited change at a time.

A bulk change is many single changes: each work goes through
``works.set_access``, so each one is checked, audited with its own before
and after, and re-indexed exactly as if it had been changed alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from repo_app import access
from repo_app.access import Action, Actor
from repo_app.errors import UserError
from repo_app.models import Work
from repo_app.services import document_ids, searching, works
from search.results import SearchRequest, SearchResults

MAX_BULK = 2000


@dataclass(frozen=True)
class Preview:
    """What the bulk page shows before a change: the works it would touch, or why none."""

    targets: list[int]
    results: SearchResults | None
    problem: UserError | None = None


def preview(db: Session, actor: Actor, request: SearchRequest) -> Preview:
    """The works a bulk change would touch (librarians only); a search too wide says so."""
    access.require(actor, Action.CHANGE_ACCESS)
    if not (request.q.strip() or request.filters):
        return Preview([], None)
    try:
        targets = find_targets(db, actor, request)
    except UserError as exc:
        return Preview([], None, exc)
    return Preview(targets, searching.search(db, actor, request) if targets else None)


@dataclass(frozen=True)
class Result:
    changed: list[int]
    unchanged: list[int]


def find_targets(db: Session, actor: Actor, request: SearchRequest) -> list[int]:
    """The ids of every work the search finds for this librarian (all pages)."""
    access.require(actor, Action.CHANGE_ACCESS)
    if not request.q.strip() and not request.filters:
        raise UserError("bulk_needs_search",
                        "Narrow the works down with a search or a filter first.", field="q")
    ids: list[int] = []
    page = 1
    while True:
        results = searching.search(db, actor, replace(request, page=page, per_page=100))
        ids += [i for hit in results.hits if (i := document_ids.local_work_id(hit.id))]
        if len(ids) > MAX_BULK:
            raise UserError("bulk_too_large",
                            "The search finds more than %(max)s works; narrow it down.",
                            field="q", max=MAX_BULK)
        if page * results.per_page >= results.total or not results.hits:
            return ids
        page += 1


def set_access(db: Session, actor: Actor, request: SearchRequest,
                    settings: works.AccessSettings, expected: int) -> Result:
    """Apply ``settings`` to every work the search finds, one audited change at a time.

    ``expected`` is the count the librarian saw and confirmed; if the search
    now finds a different number, nothing is changed and they look again.
    """
    access.require(actor, Action.CHANGE_ACCESS)
    if not settings.reason.strip():
        raise UserError("reason_required", "Give a reason for the change.", field="reason")
    works.validate_access(settings)
    ids = find_targets(db, actor, request)
    if len(ids) != expected:
        raise UserError("bulk_changed",
                        "The search now finds %(found)s works instead of %(expected)s. "
                        "Check the list again before applying.",
                        found=len(ids), expected=expected)
    changed, unchanged = [], []
    for work_id in ids:
        work = db.get(Work, work_id)
        if work is None:
            continue
        before = works.access_snapshot(work)
        works.set_access(db, actor, work, settings)
        (changed if works.access_snapshot(work) != before else unchanged).append(work_id)
    return Result(changed, unchanged)
