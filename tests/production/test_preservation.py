"""BagIt preservation: `export --bagit` then `import-bag` into an empty instance loses nothing."""

from __future__ import annotations

from datetime import date, timedelta

import bagit
from conftest import actor_for
from flask import Flask
from sqlalchemy import select

from repo_app.db import standalone_session
from repo_app.models import AuditEvent, User, Work
from repo_app.services import works

EMBARGO_END = date.today() + timedelta(days=400)



def _snapshot(app: Flask) -> dict[int, dict]:
    """Everything a restore must keep, keyed by work id (account ids may differ: e-mails)."""
    with standalone_session(app) as db:
        emails = {u.id: u.email for u in db.scalars(select(User))}
        out = {}
        for work in db.scalars(select(Work).where(Work.status != "draft")):
            columns = {c: getattr(work, c) for c in (
                "identifier", "status", "title", "creators", "advisors", "abstract", "keywords",
                "year", "type", "access_level", "embargo_until", "access_after_embargo",
                "embargo_reason", "created_at", "updated_at", "published_at", "datestamp",
                "was_public")}
            files = [(f.id, f.sha256, f.size, f.original_name, f.access_level, f.extraction_status,
                      f.pages) for f in work.files]
            audit = [(e.at, e.action, e.before, e.after, e.reason, emails.get(e.actor_id))
                     for e in db.scalars(select(AuditEvent).where(AuditEvent.work_id == work.id)
                                         .order_by(AuditEvent.id))]
            out[work.id] = {"columns": columns, "files": files, "audit": audit,
                            "depositor": emails.get(work.depositor_id),
                            "faculty": work.faculty_name}
        return out


def test_bags_round_trip_into_an_empty_instance_losing_nothing(app, runner, publish, accounts,
                                                              empty_instance, tmp_path):
    open_id = publish("Luận văn mở về phù sa", text="Phù sa bồi đắp đồng bằng.")
    embargoed = publish("Luận văn cấm công bố", "embargoed", embargo_until=EMBARGO_END)
    restricted = publish("Luận văn hạn chế", "restricted")
    with app.test_request_context(), standalone_session(app) as db:
        works.set_access(db, actor_for(accounts["librarian"], "librarian"), db.get(Work, restricted),
                         works.AccessSettings(level="campus", reason="hội đồng đồng ý"))
    before = _snapshot(app)
    assert set(before) == {open_id, embargoed, restricted}

    bags = tmp_path / "bags"
    exported = runner.invoke(args=["export", "--bagit", str(bags)])
    assert exported.exit_code == 0, exported.output
    folders = sorted(bags.iterdir())
    assert [f.name for f in folders] == [f"work-{i}" for i in sorted(before)]
    for folder in folders:
        bag = bagit.Bag(str(folder))
        bag.validate()
        assert {"data/metadata/dc.xml", "data/metadata/etdms.xml", "data/metadata/work.json",
                "data/metadata/audit.json"} <= set(bag.payload_files())
        assert "sha256" in bag.algorithms

    restored = empty_instance.test_cli_runner().invoke(args=["import-bag", str(bags)])
    assert restored.exit_code == 0, restored.output
    assert "3 works restored" in restored.output
    assert _snapshot(empty_instance) == before

    hits = empty_instance.test_client().get("/api/v1/search?q=phù sa").get_json()["hits"]
    assert [h["id"] for h in hits] == [open_id]
    again = empty_instance.test_cli_runner().invoke(args=["import-bag", str(bags)])
    assert "0 works restored, 3 already present" in again.output
    assert empty_instance.test_cli_runner().invoke(args=["check"]).exit_code == 0


def test_export_since_a_date_leaves_older_works_out(app, runner, publish, tmp_path):
    publish("Luận văn hôm nay")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    result = runner.invoke(args=["export", "--bagit", str(tmp_path / "b"), "--since", tomorrow])
    assert result.exit_code == 0
    assert "0 bags written" in result.output


def test_a_tampered_bag_is_refused(app, runner, publish, empty_instance, tmp_path):
    publish("Luận văn bị sửa")
    runner.invoke(args=["export", "--bagit", str(tmp_path / "b")])
    payload = next((tmp_path / "b").glob("work-*/data/files/*.txt"))
    payload.write_text("đã bị sửa", encoding="utf-8")
    result = empty_instance.test_cli_runner().invoke(args=["import-bag", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "does not validate" in result.output
