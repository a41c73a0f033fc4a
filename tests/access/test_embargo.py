"""Embargoes end on their date by themselves; ``repo-app embargoes lift`` only writes it down."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from access.world import OFF_CAMPUS, client_from, file_ids
from sqlalchemy import select

from repo_app.db import standalone_session
from repo_app.models import AuditEvent, Work

TODAY = date.today()
ENDS = {"yesterday": TODAY - timedelta(days=1), "today": TODAY,
        "tomorrow": TODAY + timedelta(days=1)}


@pytest.mark.parametrize(("when", "open_now"),
                         [("yesterday", True), ("today", True), ("tomorrow", False)])
def test_an_embargo_opens_on_its_date_without_any_job(app, accounts, publish, when, open_now):
    work_id = publish("Luận văn phong toả", "embargoed", text="Văn bản mokhoa.",
                      embargo_until=ENDS[when], after="open")
    file_id = file_ids(app, work_id)[0]
    guest = client_from(app, OFF_CAMPUS)
    expected = 200 if open_now else 403
    assert guest.get(f"/works/{work_id}").status_code == 200
    assert guest.get(f"/works/{work_id}/files/{file_id}").status_code == expected
    assert guest.get(f"/works/{work_id}/files/{file_id}/pages/1.png").status_code == expected
    search = guest.get("/api/v1/search?q=mokhoa").get_json()
    assert search["total"] == (1 if open_now else 0)
    record = guest.get(f"/api/v1/works/{work_id}").get_json()
    assert ("download_url" in record["files"][0]) == open_now


def test_after_the_embargo_the_work_takes_its_chosen_level(app, accounts, publish):
    work_id = publish("Luận văn", "embargoed", embargo_until=ENDS["yesterday"], after="campus")
    file_id = file_ids(app, work_id)[0]
    assert client_from(app, OFF_CAMPUS).get(f"/works/{work_id}/files/{file_id}").status_code == 403
    assert client_from(app, "10.10.0.8").get(f"/works/{work_id}/files/{file_id}").status_code == 200


def _work(app, work_id: int) -> Work:
    with app.app_context(), standalone_session(app) as db:
        return db.get(Work, work_id)


def test_lift_command_records_the_end_of_each_due_embargo(app, accounts, publish, runner):
    due = publish("Hết hạn", "embargoed", text="Một.", embargo_until=ENDS["today"],
                  after="restricted")
    later = publish("Chưa hết hạn", "embargoed", text="Hai.", embargo_until=ENDS["tomorrow"])
    stamp_before = _work(app, due).datestamp
    result = runner.invoke(args=["embargoes", "lift"])
    assert result.exit_code == 0, result.output
    assert f"works [{due}]" in result.output
    lifted, waiting = _work(app, due), _work(app, later)
    assert (lifted.access_level, lifted.embargo_until) == ("restricted", None)
    assert lifted.datestamp >= stamp_before
    assert waiting.access_level == "embargoed"
    with app.app_context(), standalone_session(app) as db:
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "embargo.lift"))
        assert event.work_id == due and event.actor_id is None
        assert event.before["embargo_until"] == ENDS["today"].isoformat()
        assert event.before["access_level"] == "embargoed"
        assert event.after["access_level"] == "restricted"
        assert ENDS["today"].isoformat() in event.reason
    again = runner.invoke(args=["embargoes", "lift"])
    assert again.exit_code == 0 and "Lifted 0" in again.output


def test_lifted_work_is_reindexed_at_its_new_level(app, accounts, publish, runner):
    work_id = publish("Luận văn", "embargoed", text="Văn bản mokhoa.",
                      embargo_until=ENDS["yesterday"], after="restricted")
    runner.invoke(args=["embargoes", "lift"])
    guest = client_from(app, OFF_CAMPUS)
    hit = guest.get("/api/v1/search?q=luan+van").get_json()["hits"][0]
    assert (hit["id"], hit["access"]) == (work_id, "restricted")
    assert guest.get("/api/v1/search?q=mokhoa").get_json()["total"] == 0
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    assert reader.get("/api/v1/search?q=mokhoa").get_json()["total"] == 1


def test_the_web_app_lifts_at_most_once_an_interval(app, accounts, publish):
    from repo_app.services import embargoes

    work_id = publish("Luận văn", "embargoed", embargo_until=ENDS["yesterday"])
    state = app.extensions["repo_embargo_lift"]
    client_from(app, OFF_CAMPUS).get("/")
    assert _work(app, work_id).access_level == "embargoed"  # the first interval has not passed
    state["next"] = 0
    client_from(app, OFF_CAMPUS).get("/")
    assert _work(app, work_id).access_level == "open"
    assert state["next"] > 0 and embargoes.interval_seconds(app) == 3600
