"""One change to the repository, made in the order every service keeps.

InvenioRDM's unit of work, cut to what we need::

    with UnitOfWork(db, actor) as uow:
        uow.require(Action.EDIT, work)     # 1. access: NotFound or Forbidden
        ...validate, change rows...         # 2.-3. the caller's own work
        uow.audit("work.edit", work)       # 4. the audit event, same transaction
        uow.index(work)                    # 5. a durable index-queue row, same transaction
    # Leaving the block commits. After the commit the queued index changes go
    # to the index writer and the ``on_commit`` callbacks run, in that order.

Any exception in the block (a ``UserError`` as much as a bug) rolls the whole
transaction back: nothing half-done is kept, no callback runs, and the
session is clean for the page that shows the error, so views never roll
back. ``uow.index`` is the only way a change reaches the search index, for
local works and harvested records alike: a rolled-back change never gets
there, and a crash after the commit leaves the queue row for the next drain.

``commit()`` may also be called inside the block, for work done in steps
that must each survive (a harvest commits page by page). Units of work do
not nest: a service that opens one calls no other service that opens one.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any

from sqlalchemy.orm import Session

from repo_app import access, resources
from repo_app.access import Action, Actor, FileLike, WorkLike
from repo_app.models import HarvestedRecord, Work
from repo_app.services import audit, indexing


class UnitOfWork:
    """A transaction with its access check, audit events, index changes and after-commit hooks."""

    def __init__(self, db: Session, actor: Actor, *, drain_index: bool = True) -> None:
        """``drain_index=False`` leaves queued index changes for a later drain (batch imports)."""
        self.db = db
        self.actor = actor
        self.drain_index = drain_index
        self._indexed = False
        self._callbacks: list[Callable[[], Any]] = []

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.rollback()

    def require(self, action: Action, work: WorkLike | None = None,
                file: FileLike | None = None) -> None:
        """Refuse (``NotFound`` or ``Forbidden``) unless the actor may do ``action``."""
        access.require(self.actor, action, work, file, policy=resources.policy())

    def audit(self, action: str, work: Work | None = None, *, before: dict[str, Any] | None = None,
              after: dict[str, Any] | None = None, reason: str = "") -> None:
        """Record the audit event of this change, in its transaction."""
        audit.record(self.db, self.actor, action, work, before=before, after=after, reason=reason)

    def index(self, target: Work | HarvestedRecord) -> None:
        """(Re)index ``target`` once this unit commits (or remove it, if no longer indexable)."""
        indexing.enqueue(self.db, target)
        self._indexed = True

    def on_commit(self, callback: Callable[[], Any]) -> None:
        """Run ``callback`` after the next commit (never if the unit rolls back)."""
        self._callbacks.append(callback)

    def commit(self) -> None:
        """Commit, hand the queued index changes to the writer, then run the callbacks."""
        self.db.commit()
        indexed, self._indexed = self._indexed, False
        callbacks, self._callbacks = self._callbacks, []
        if indexed and self.drain_index:
            indexing.drain(self.db)
        for callback in callbacks:
            callback()

    def rollback(self) -> None:
        """Forget everything since the last commit, callbacks included."""
        self.db.rollback()
        self._indexed = False
        self._callbacks.clear()
