"""Preservation packages: one BagIt bag per work, and restoring an instance from them.

A bag holds everything needed to rebuild the work somewhere else with
nothing lost: its files as deposited, their extracted text (the
derivative), the complete database record as JSON (identifiers, access
levels, embargo dates, the depositor), its audit history, and descriptive
metadata in Dublin Core and ETD-MS for any other system. Checksums
(SHA-256, the file store's own names, and SHA-512) are the bag's
manifests. The ``bagit`` library (Library of Congress) writes and
validates the bags, so any BagIt tool can check them years later.

Restoring keeps every id: a work comes back under the same number, so its
identifier, its address and every citation of it stay true.
"""

from __future__ import annotations

import json
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import bagit
from sqlalchemy import Date, DateTime, func, inspect, select, text
from sqlalchemy.orm import Session, selectinload

from repo_app import resources
from repo_app.errors import UserError
from repo_app.models import AuditEvent, Collection, File, User, Work
from repo_app.models.types import UTCDateTime
from repo_app.services import indexing

FORMAT = "repo-app-bag/1"
CHECKSUMS = ["sha256", "sha512"]
# Descriptive metadata made by the caller (the command line builds DC and ETD-MS XML).
Describe = Callable[[Work], dict[str, bytes]]


@dataclass
class RestoreReport:
    restored: int = 0
    skipped: int = 0


def _columns(row: Any) -> dict[str, Any]:
    """Every column of ``row`` as JSON-ready values (dates as ISO strings)."""
    values = {}
    for column in inspect(row).mapper.column_attrs:
        value = getattr(row, column.key)
        values[column.key] = value.isoformat() if isinstance(value, date | datetime) else value
    return values


def export_bags(db: Session, out_dir: Path, describe: Describe, since: date | None = None) -> int:
    """Write a bag per deposited work (drafts excepted) changed on or after ``since``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    for work in _works(db, since):
        _write_bag(db, work, out_dir / f"work-{work.id}", describe)
        count += 1
    return count


def _works(db: Session, since: date | None) -> Iterator[Work]:
    query = select(Work).where(Work.status != "draft").order_by(Work.id).options(
        selectinload(Work.files), selectinload(Work.collection), selectinload(Work.depositor))
    if since is not None:
        query = query.where(Work.updated_at >= datetime.combine(since, datetime.min.time(), UTC))
    yield from db.scalars(query)


def _write_bag(db: Session, work: Work, target: Path, describe: Describe) -> None:
    """Build the bag beside ``target`` and rename it into place, so no half bag is left."""
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    (partial / "files").mkdir(parents=True)
    (partial / "metadata").mkdir()
    store = resources.store()
    for file in work.files:
        shutil.copyfile(store.path(file.sha256), partial / "files" / file.sha256)
        if file.derivative_sha256:  # a scan's searchable copy, beside its original
            shutil.copyfile(store.path(file.derivative_sha256),
                            partial / "files" / file.derivative_sha256)
        if store.has_text(file.sha256):
            (partial / "files" / f"{file.sha256}.txt").write_text(store.get_text(file.sha256),
                                                                  encoding="utf-8")
    record = {"format": FORMAT, "work": _columns(work),
              "collection": _columns(work.collection) if work.collection else None,
              "depositor": _person(work.depositor),
              "files": [_columns(f) for f in work.files]}
    _write_json(partial / "metadata" / "work.json", record)
    _write_json(partial / "metadata" / "audit.json", _audit(db, work))
    for name, content in describe(work).items():
        (partial / "metadata" / name).write_bytes(content)
    bagit.make_bag(str(partial), {
        "External-Identifier": work.identifier or f"work-{work.id}",
        "External-Description": work.title[:200],
        "Bag-Group-Identifier": FORMAT,
    }, checksums=CHECKSUMS)
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)


def _person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"email": user.email, "name": user.name, "role": user.role}


def _audit(db: Session, work: Work) -> list[dict[str, Any]]:
    events = db.scalars(select(AuditEvent).where(AuditEvent.work_id == work.id)
                        .order_by(AuditEvent.id))
    actors = {u.id: u for u in db.scalars(select(User))}
    return [{**_columns(e), "actor": _person(actors.get(e.actor_id))} for e in events]


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


def import_bags(db: Session, in_dir: Path) -> RestoreReport:
    """Restore every bag under ``in_dir`` (validated first); works already present are skipped."""
    report = RestoreReport()
    for folder in sorted(p for p in Path(in_dir).iterdir() if (p / "bagit.txt").is_file()):
        bag = bagit.Bag(str(folder))
        try:
            bag.validate()
        except bagit.BagValidationError as exc:
            raise UserError("bad_bag", "The bag %(name)s does not validate: %(problem)s",
                            name=folder.name, problem=str(exc)[:300]) from None
        if _restore(db, Path(bag.path) / "data"):
            report.restored += 1
        else:
            report.skipped += 1
    _advance_sequences(db)
    db.commit()
    indexing.drain(db)
    return report


def _restore(db: Session, data: Path) -> bool:
    record = json.loads((data / "metadata" / "work.json").read_text(encoding="utf-8"))
    if record.get("format") != FORMAT:
        raise UserError("bad_bag", "The bag %(name)s was not written by this repository.",
                        name=data.parent.name)
    if db.get(Work, record["work"]["id"]) is not None:
        return False
    store = resources.store()
    for file in record["files"]:
        for sha in (file["sha256"], file.get("derivative_sha256")):
            if sha and store.put_path(data / "files" / sha).sha256 != sha:
                raise UserError("bad_bag", "A file of %(name)s does not match its checksum.",
                                name=data.parent.name)
        derivative = data / "files" / f"{file['sha256']}.txt"
        if derivative.is_file():
            store.put_text(file["sha256"], derivative.read_text(encoding="utf-8"))
    work = _row(Work, record["work"])
    if record["collection"]:
        work.collection_id = _collection(db, record["collection"]).id
    work.depositor_id = _account(db, record["depositor"])
    db.add(work)
    db.flush()
    for file in record["files"]:
        db.add(_row(File, file))
    audit = json.loads((data / "metadata" / "audit.json").read_text(encoding="utf-8"))
    for event in audit:
        row = _row(AuditEvent, {k: v for k, v in event.items() if k not in ("id", "actor")})
        row.actor_id = _account(db, event["actor"])
        db.add(row)
    db.flush()
    indexing.enqueue(db, work)
    return True


def _row(model: type, values: dict[str, Any]) -> Any:
    """A model row from exported column values, dates parsed back."""
    row = model()
    for column in inspect(model).column_attrs:
        if column.key not in values:
            continue
        setattr(row, column.key, _parsed(column.columns[0].type, values[column.key]))
    return row


def _parsed(column_type: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, UTCDateTime | DateTime):
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    return value


def _collection(db: Session, values: dict[str, Any]) -> Collection:
    found = db.scalar(select(Collection).where(Collection.code == values["code"]))
    if found is None:
        found = Collection(code=values["code"], name=values["name"], name_en=values.get("name_en", ""))
        db.add(found)
        db.flush()
    return found


def _account(db: Session, person: dict[str, Any] | None) -> int | None:
    """The account of that e-mail; one is made, disabled, when the instance lacks it, so the
    work keeps its depositor and the audit its actors (an admin enables it to log in)."""
    if person is None:
        return None
    found = db.scalar(select(User).where(func.lower(User.email) == person["email"].lower()))
    if found is None:
        found = User(email=person["email"], name=person["name"], role=person["role"], active=False)
        found.set_password(secrets.token_urlsafe(32))
        db.add(found)
        db.flush()
    return found.id


def _advance_sequences(db: Session) -> None:
    """Rows came back with their own ids; PostgreSQL's counters must move past them."""
    if db.get_bind().dialect.name != "postgresql":
        return
    for table in ("works", "files", "audit_events", "users", "collections"):
        db.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"GREATEST((SELECT max(id) FROM {table}), 1))"))
