"""Loading the demo collection through the same services a person would use.

Each demo work is deposited by the demo depositor, submitted, and published
by the demo librarian with its access level, so the demo exercises the
real pipeline (storage, extraction, indexing, audit).
"""

from __future__ import annotations

import secrets
import tempfile
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.sample_pdf import write_pdf
from repo_app.access import Actor
from repo_app.demo.collection import FACULTIES, HOLDINGS, WORKS
from repo_app.models import User, Work
from repo_app.services import files, holdings, users, works
from repo_app.vocab import Role

ACCOUNTS = (
    ("admin@example.org", Role.ADMIN, "Quản trị viên"),
    ("librarian@example.org", Role.LIBRARIAN, "Thủ thư Nguyễn Lan"),
    ("depositor@example.org", Role.DEPOSITOR, "Giảng viên Trần Minh"),
    ("reader@example.org", Role.READER, "Sinh viên Lê Hà"),
)


def _credentials_file() -> Path:
    return Path(current_app.config["DATA_DIR"]) / "demo-credentials.txt"


def _ensure_accounts(db: Session, admin_password: str | None) -> dict[str, User]:
    """Demo accounts with random passwords, remembered (0600) so every run can print them."""
    known = _read_credentials()
    accounts = {}
    for email, role, name in ACCOUNTS:
        user = users.find_by_email(db, email)
        if user is None:
            password = admin_password if role == Role.ADMIN and admin_password else \
                secrets.token_urlsafe(9)
            user = users.create_user(db, email, password, role.value, name)
            known[email] = password
        accounts[role.value] = user
    _write_credentials(known)
    return accounts


def _read_credentials() -> dict[str, str]:
    path = _credentials_file()
    if not path.exists():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    return {email: password for email, password in pairs}


def _write_credentials(known: dict[str, str]) -> None:
    path = _credentials_file()
    path.write_text("".join(f"{e} {p}\n" for e, p in known.items()))
    path.chmod(0o600)


def _actor(user: User) -> Actor:
    return Actor(user_id=user.id, role=Role(user.role), name=user.display_name)


def _load_work(db: Session, entry: dict, depositor: Actor, librarian: Actor, tmp: Path) -> Work:
    faculty_name, faculty_en = FACULTIES[entry["faculty"]]
    collection = works.collection_by_code(db, entry["faculty"], faculty_name)
    collection.name_en = faculty_en
    pdf = write_pdf(tmp / f"{secrets.token_hex(4)}.pdf", entry["body"], title=entry["title"])
    with pdf.open("rb") as stream:
        staged = files.stage(stream, f"{entry['title'][:60]}.pdf")
    fields = works.WorkFields(
        title=entry["title"], alt_title=entry["alt_title"], type=entry["type"],
        year=entry["year"], creators=entry["creators"], advisors=entry["advisors"],
        abstract=entry["abstract"], keywords=entry["keywords"], language="vi",
        collection_id=collection.id, degree_name=entry["degree_name"],
        discipline=entry["discipline"],
    )
    work = works.create(db, depositor, fields, [staged], submit=True)
    embargo = entry.get("embargo_until")
    settings = works.AccessSettings(
        level=entry["access"],
        embargo_until=date.fromisoformat(embargo) if embargo else None,
        reason="Demo",
    )
    return works.publish(db, librarian, work, settings, "Demo")


def _register_csv() -> bytes:
    """The demo holdings register as the CSV a librarian would import."""
    lines = ["holding_id,title,creators,year,type,faculty,shelf_mark,format,category"]
    rows = [(w["holding_id"], w["title"], "; ".join(w["creators"]), w["year"], w["type"],
             w["faculty"], "both", "endogenous") for w in WORKS if w.get("holding_id")]
    for hid, title, creators, year, kind, faculty, fmt, category in rows + HOLDINGS:
        cells = [hid, title, creators, str(year), kind, FACULTIES[faculty][0], f"KHO-{hid}", fmt,
                 category]
        lines.append(",".join(f'"{c}"' for c in cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _load_register(db: Session, librarian: Actor) -> None:
    """Import the register (idempotent: re-import updates) and link each demo work by holding id."""
    holdings.import_csv(db, librarian, _register_csv())
    by_title = {w.title: w for w in db.scalars(select(Work))}
    for entry in WORKS:
        work = by_title.get(entry["title"])
        if entry.get("holding_id") and work is not None:
            holdings.link_work(db, entry["holding_id"], work)
    db.commit()


def load(db: Session, admin_password: str | None = None) -> list[str]:
    """Load accounts and works not already there; return lines to print for the person."""
    accounts = _ensure_accounts(db, admin_password)
    depositor, librarian = _actor(accounts["depositor"]), _actor(accounts["librarian"])
    existing = set(db.scalars(select(Work.title)))
    loaded = 0
    with tempfile.TemporaryDirectory() as tmp:
        for entry in WORKS:
            if entry["title"] not in existing:
                _load_work(db, entry, depositor, librarian, Path(tmp))
                loaded += 1
    _load_register(db, librarian)
    lines = [f"Demo collection: {loaded} works loaded, {len(WORKS) - loaded} already present; "
             f"{len(HOLDINGS) + len(WORKS) - 1} holdings in the register."]
    lines += [f"  {email}  password: {pw}" for email, pw in _read_credentials().items()]
    return lines
