"""The unit of work: a user's error undoes everything, commits come before the index and hooks,
and the durable queue is the one way into the index, for harvested records too."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from repo_app import resources
from repo_app.access import SYSTEM, Action, Actor, search_scope
from repo_app.db import standalone_session
from repo_app.errors import Forbidden, UserError
from repo_app.models import (
    AuditEvent,
    HarvestedRecord,
    HarvestPartner,
    HarvestSource,
    IndexQueueItem,
    Work,
)
from repo_app.services import checking, files, works
from repo_app.services.unit_of_work import UnitOfWork
from repo_app.vocab import Role
from search.results import SearchRequest


def _search(app: Flask, q: str) -> list[str]:
    with app.app_context():
        hits = resources.index().search(SearchRequest(q=q), search_scope(SYSTEM)).hits
        return [h.id for h in hits]


def _add_record(db, title: str) -> HarvestedRecord:
    partner = HarvestPartner(key="partner.test", name="Đại học Đối tác", mapping={})
    source = HarvestSource(url="http://partner.test/oai", name=partner.name, partner=partner)
    row = HarvestedRecord(partner=partner, source=source, datestamp="2026-01-02T00:00:00Z",
                          oai_identifier=f"oai:partner.test:{title}", title=title)
    db.add_all([partner, source, row])
    return row


def test_a_users_error_undoes_every_change_of_the_unit(app, accounts, publish):
    work_id = publish("Luận văn gốc")
    with app.test_request_context(), standalone_session(app) as db:
        work = db.get(Work, work_id)
        events = db.scalar(select(func.count()).select_from(AuditEvent))
        first = work.files[0]  # the same bytes again: refused after the fields were applied
        again = files.StagedFile(first.sha256, "lan-hai.pdf", first.size, first.media_type)
        fields = works.WorkFields(title="Tên đã sửa", type=work.type, creators=work.creators)
        with pytest.raises(UserError, match="already attached"):
            works.update(db, SYSTEM, work, fields, [again])
        assert db.get(Work, work_id).title == "Luận văn gốc"  # the session is usable, unchanged
        assert db.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_callbacks_run_after_the_commit_and_never_after_a_rollback(app):
    ran: list[str] = []
    with app.app_context(), standalone_session(app) as db:
        with UnitOfWork(db, SYSTEM) as uow:
            uow.on_commit(lambda: ran.append("committed"))
            assert ran == []
        assert ran == ["committed"]
        with pytest.raises(Forbidden), UnitOfWork(db, SYSTEM) as uow:
            uow.on_commit(lambda: ran.append("rolled back"))
            uow.require(Action.DEPOSIT)
            raise Forbidden("changed my mind")
        assert ran == ["committed"]


def test_a_refused_actor_changes_nothing(app, accounts, publish):
    work_id = publish("Luận văn mở")
    reader = Actor(user_id=accounts["reader"], role=Role.READER)
    with app.test_request_context(), standalone_session(app) as db:
        with pytest.raises(Forbidden):
            works.withdraw(db, reader, db.get(Work, work_id), "không thích")
        assert db.get(Work, work_id).status == "published"


def test_harvested_records_reach_the_index_only_through_the_queue(app):
    with app.app_context(), standalone_session(app) as db:
        with UnitOfWork(db, SYSTEM) as uow:
            row = _add_record(db, "Bản ghi đối tác thủy văn")
            uow.index(row)
            db.flush()
            assert db.scalar(select(IndexQueueItem.document_id)) == f"h:{row.id}"
        assert db.scalar(select(func.count()).select_from(IndexQueueItem)) == 0  # drained
        record_id = row.id
    assert _search(app, "thuy van") == [f"h:{record_id}"]


def test_check_compares_harvested_records_and_repairs_them_through_the_queue(app):
    with app.app_context(), standalone_session(app) as db:
        _add_record(db, "Bản ghi chưa vào chỉ mục")
        db.commit()  # a row written past the queue: the index never heard of it
        found = checking.check(db)
        assert [p.kind for p in found.problems] == ["index_missing"]
        repaired = checking.check(db, repair=True)
        assert not repaired.unresolved
        assert checking.check(db).problems == []


def test_a_drain_may_leave_works_whose_text_is_coming_for_the_drain_after_it(app, publish):
    """``repo-app import`` waiting for its text writes each work once, with its text."""
    from repo_app.services import indexing

    waiting_id, ready_id = publish("Luận văn chờ chữ"), publish("Luận văn đã xong")
    with app.app_context(), standalone_session(app) as db:
        waiting = db.get(Work, waiting_id)
        waiting.files[0].extraction_status = "queued"
        for work_id in (waiting_id, ready_id):
            indexing.enqueue(db, db.get(Work, work_id))
        db.commit()
        assert indexing.drain(db, text_pending=False) == 1
        queued = db.scalars(select(IndexQueueItem.document_id)).all()
        assert queued == [str(waiting_id)]
        waiting.files[0].extraction_status = "ok"
        db.commit()
        assert indexing.drain(db, text_pending=False) == 1
        assert db.scalars(select(IndexQueueItem.document_id)).all() == []
