"""The holdings register: importing the catalogue, and linking holdings to works.

Importing is an upsert keyed on ``holding_id``: re-importing the catalogue
updates rows and never duplicates them, and keeps their links. Every bad row
is reported with its line number and reason while the good rows are kept.

A holding links to its work either by holding id (the batch importer calls
``link_work``) or, for works deposited without one, through a suggestion
(same title, first author and year, compared without accents) that a
librarian confirms or rejects.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_app import access
from repo_app.access import Action, Actor
from repo_app.errors import NotFound, UserError
from repo_app.models import Collection, Holding, Work
from repo_app.models.types import utcnow
from repo_app.services import coverage, holdings_marc, holdings_messages
from repo_app.services.unit_of_work import UnitOfWork
from repo_app.spreadsheet import csv_writer
from repo_app.textfold import fold, slug
from repo_app.vocab import WorkStatus, WorkType

COLUMNS = ("holding_id", "title", "creators", "year", "type", "faculty", "shelf_mark", "format",
           "category")
FORMATS = ("print", "digital", "both")
LINKED, SUGGESTED, NONE = "linked", "suggested", "none"


@dataclass(frozen=True)
class RowError:
    """One rejected line of a holdings file; ``error`` carries the translatable message."""

    line: int
    holding_id: str
    error: UserError


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    suggested: int = 0
    errors: list[RowError] = field(default_factory=list)
    report_path: Path | None = None


@dataclass(frozen=True)
class HoldingRow:
    holding_id: str
    title: str
    creators: list[str]
    year: int | None
    type: str
    faculty: str
    shelf_mark: str
    format: str
    category: str


def require_manager(actor: Actor) -> None:
    """The import form is for those who manage holdings (403 for anyone else)."""
    access.require(actor, Action.MANAGE_HOLDINGS)


def decode(data: bytes) -> str:
    """UTF-8 text, with or without a BOM; anything else is one clear error, nothing imported."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError("holdings_encoding",
                        "The file is not UTF-8 text (invalid byte at position %(position)s). "
                        "Save it as \"CSV UTF-8\" and import it again.",
                        position=exc.start) from exc


def _check_header(header: list[str] | None) -> None:
    names = [h.strip() for h in header or []]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [n for n in names if n not in COLUMNS]
    if missing or unknown:
        raise UserError("holdings_columns",
                        "The header must name exactly these columns: %(expected)s "
                        "(missing: %(missing)s; unknown: %(unknown)s).",
                        expected=", ".join(COLUMNS), missing=", ".join(missing) or "-",
                        unknown=", ".join(unknown) or "-")


def _year(value: str) -> int | None:
    if not value:
        return None
    if not re.fullmatch(r"\d{4}", value) or not 1000 <= int(value) <= date.today().year + 1:
        raise UserError("holdings_year", "Year %(value)s is not a four-digit year.", value=value)
    return int(value)


def _choice(name: str, value: str, allowed: list[str]) -> str:
    if value not in allowed:
        raise UserError(f"holdings_{name}", "%(column)s %(value)s is not one of: %(allowed)s.",
                        column=name, value=value or '""', allowed=", ".join(allowed))
    return value


def parse_row(cell: dict[str, str], categories: list[str]) -> HoldingRow:
    """Validate one row (cells stripped); the first problem is raised as a ``UserError``."""
    if not cell["holding_id"]:
        raise UserError("holdings_id", "holding_id is empty.")
    if len(cell["holding_id"]) > 100:
        raise UserError("holdings_id", "holding_id is longer than 100 characters.")
    if not cell["title"]:
        raise UserError("holdings_title", "title is empty.")
    return HoldingRow(
        holding_id=cell["holding_id"],
        title=cell["title"],
        creators=[c.strip() for c in cell["creators"].split(";") if c.strip()],
        year=_year(cell["year"]),
        type=_choice("type", cell["type"], [t.value for t in WorkType]),
        faculty=cell["faculty"],
        shelf_mark=cell["shelf_mark"][:100],
        format=_choice("format", cell["format"], list(FORMATS)),
        category=_choice("category", cell["category"], categories),
    )


Numbered = list[tuple[int, HoldingRow]]


def read_rows(text: str, categories: list[str]) -> tuple[Numbered, list[RowError]]:
    """Good rows with the line each starts on, and every bad row's line and reason.

    Line numbers are counted by the CSV reader, so quoted cells spanning
    lines and blank lines do not shift them.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    _check_header(header)
    good: Numbered = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    end = reader.line_num
    for cells in reader:
        line, end = end + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        cell = dict(zip(header, (c.strip() for c in cells), strict=False))
        try:
            if len(cells) > len(header):
                raise UserError("holdings_cells", "The row has more cells than the header.")
            row = parse_row({name: cell.get(name, "") for name in COLUMNS}, categories)
            if row.holding_id in seen:
                raise UserError("holdings_duplicate",
                                "holding_id %(holding_id)s already appears on line %(line)s.",
                                holding_id=row.holding_id, line=seen[row.holding_id])
        except UserError as exc:
            errors.append(RowError(line, cell.get("holding_id", ""), exc))
            continue
        seen[row.holding_id] = line
        good.append((line, row))
    return good, errors


def read_marc_rows(data: bytes, categories: list[str], category: str
                   ) -> tuple[Numbered, list[RowError]]:
    """Rows from a MARC 21 catalogue export (``services.holdings_marc``), numbered by record."""
    good: Numbered = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(holdings_marc.read_records(data), start=1):
        if record is None:
            errors.append(RowError(number, "", UserError(
                "holdings_marc", "This record cannot be read as MARC 21.")))
            continue
        cell = holdings_marc.cells_of(record, category)
        try:
            row = parse_row(cell, categories)
            if row.holding_id in seen:
                raise UserError("holdings_duplicate",
                                "holding_id %(holding_id)s already appears on line %(line)s.",
                                holding_id=row.holding_id, line=seen[row.holding_id])
        except UserError as exc:
            errors.append(RowError(number, cell["holding_id"], exc))
            continue
        seen[row.holding_id] = number
        good.append((number, row))
    return good, errors


def import_file(db: Session, actor: Actor, data: bytes, *, category: str = "endogenous",
                report_dir: Path | None = None) -> ImportResult:
    """Load the register from a holdings CSV or a MARC 21 export (ISO 2709 or MARCXML).

    MARC records carry no category: ``category`` applies to the whole file.
    """
    if holdings_marc.is_marc(data):
        return _import_rows(db, actor,
                            lambda: read_marc_rows(data, coverage.categories(), category),
                            report_dir)
    return import_csv(db, actor, data, report_dir=report_dir)


def import_csv(db: Session, actor: Actor, data: bytes, *, report_dir: Path | None = None
               ) -> ImportResult:
    """Load or update the register from a holdings CSV (CONTRACT.md columns).

    A file-level problem (encoding, header) raises ``UserError`` and changes
    nothing; row problems are collected, the good rows are saved, and a
    report CSV is written when some rows were bad.
    """
    return _import_rows(db, actor, lambda: read_rows(decode(data), coverage.categories()),
                        report_dir)


def _import_rows(db: Session, actor: Actor, read: Callable[[], tuple[Numbered, list[RowError]]],
                 report_dir: Path | None) -> ImportResult:
    """Check who asks, read the rows (``read``), upsert the good ones, report the bad ones."""
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.MANAGE_HOLDINGS)
        good, errors = read()
        result = ImportResult(rows=len(good) + len(errors), errors=errors)
        _upsert(db, good, result)
        db.flush()
        result.suggested = suggest_links(db)
        uow.audit("holdings.import", after={
            "rows": result.rows, "created": result.created, "updated": result.updated,
            "rejected": len(errors)})
        uow.on_commit(lambda: coverage.snapshot_now(db))
    if errors:
        result.report_path = write_report(errors, report_dir)
    return result


def _upsert(db: Session, rows: Numbered, result: ImportResult) -> None:
    existing = {h.holding_id: h for h in db.scalars(select(Holding))}
    faculties = _faculty_lookup(db)
    for _line, row in rows:
        holding = existing.get(row.holding_id)
        values = {name: getattr(row, name) for name in COLUMNS}
        values["collection_id"] = _collection_id(faculties, row.faculty)
        if holding is None:
            db.add(Holding(**values, link_status=NONE, rejected_work_ids=[]))
            result.created += 1
        elif any(getattr(holding, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(holding, key, value)
            holding.updated_at = utcnow()
            result.updated += 1
        else:
            result.unchanged += 1


def _faculty_lookup(db: Session) -> dict[str, int]:
    """Collection code and folded names (Vietnamese and English) → collection id."""
    lookup: dict[str, int] = {}
    for collection in db.scalars(select(Collection)):
        lookup[collection.code] = collection.id
        for name in (collection.name, collection.name_en):
            if name:
                lookup[fold(name)] = collection.id
    return lookup


def _collection_id(faculties: dict[str, int], faculty: str) -> int | None:
    """The optional link from the catalogue's faculty wording to a repository faculty."""
    if not faculty:
        return None
    return faculties.get(fold(faculty)) or faculties.get(slug(faculty)) or faculties.get(faculty)


def write_report(errors: list[RowError], folder: Path | None = None) -> Path:
    """The bad rows as CSV (line, holding_id, code, message) in the data directory; the
    message in the site's language, for the librarians who open it."""
    folder = folder or Path(current_app.config["DATA_DIR"]) / "holdings-reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"holdings-{utcnow():%Y%m%d-%H%M%S}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv_writer(handle)
        writer.writerow(["line", "holding_id", "code", "message"])
        for e in errors:
            writer.writerow([e.line, e.holding_id, e.error.code, holdings_messages.row_problem(e)])
    return path


def link_work(db: Session, holding_id: str, work: Work) -> bool:
    """Link the holding with this id to ``work``; False when the register has no such holding.

    For the batch importer (manifest column ``holding_id``) and deposits that
    name their holding. It joins the caller's transaction: no commit here,
    the caller's audit event describes the change.
    """
    holding = db.scalar(select(Holding).where(Holding.holding_id == holding_id.strip()))
    if holding is None:
        return False
    holding.work = work
    holding.link_status = LINKED
    holding.suggested_work = None
    holding.updated_at = utcnow()
    return True


def match_key(title: str, creators: list[str], year: int | None) -> tuple[str, str, int | None]:
    """Title, first author and year folded (no accents, no punctuation, đ → d) for matching."""
    def clean(text: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())
    return clean(title), clean(creators[0]) if creators else "", year


def suggest_links(db: Session) -> int:
    """Propose a work for each unlinked holding whose key matches exactly one unlinked work.

    Returns how many new suggestions were made. Rejected pairs stay rejected;
    a holding whose key matches several works gets no suggestion (a
    librarian would have to guess too), and a work is proposed for one
    holding at a time.
    """
    taken = {wid for pair in db.execute(select(Holding.work_id, Holding.suggested_work_id))
             for wid in pair if wid is not None}
    candidates: dict[tuple, list[Work]] = defaultdict(list)
    query = select(Work).where(Work.status != WorkStatus.WITHDRAWN)
    for work in db.scalars(query):
        if work.id not in taken:
            candidates[match_key(work.title, work.creators, work.year)].append(work)
    made = 0
    unlinked = select(Holding).where(Holding.work_id.is_(None), Holding.link_status != SUGGESTED)
    for holding in db.scalars(unlinked):
        works = [w for w in candidates.get(match_key(holding.title, holding.creators, holding.year),
                                           []) if w.id not in holding.rejected_work_ids]
        if len(works) == 1 and works[0].id not in taken:
            taken.add(works[0].id)
            holding.suggested_work = works[0]
            holding.link_status = SUGGESTED
            made += 1
    return made


def refresh_suggestions(db: Session, actor: Actor) -> int:
    """Look for matches again (works deposited since the last import)."""
    with UnitOfWork(db, actor) as uow:
        uow.require(Action.MANAGE_HOLDINGS)
        return suggest_links(db)


def suggestions(db: Session, actor: Actor) -> list[Holding]:
    access.require(actor, Action.MANAGE_HOLDINGS)
    query = select(Holding).where(Holding.link_status == SUGGESTED)
    return list(db.scalars(query.order_by(Holding.holding_id)))


def _suggested(uow: UnitOfWork, holding_pk: int) -> Holding:
    uow.require(Action.MANAGE_HOLDINGS)
    holding = uow.db.get(Holding, holding_pk)
    if holding is None or holding.link_status != SUGGESTED or holding.suggested_work_id is None:
        raise NotFound()
    return holding


def confirm(db: Session, actor: Actor, holding_pk: int) -> Holding:
    """A librarian agrees the suggested work is this holding: link them."""
    with UnitOfWork(db, actor) as uow:
        holding = _suggested(uow, holding_pk)
        work = holding.suggested_work
        holding.work, holding.suggested_work = work, None
        holding.link_status = LINKED
        holding.updated_at = utcnow()
        uow.audit("holdings.link", work,
                  after={"holding_id": holding.holding_id, "work_id": work.id})
        uow.on_commit(lambda: coverage.snapshot_now(db))
    return holding


def reject(db: Session, actor: Actor, holding_pk: int) -> Holding:
    """A librarian says the suggestion is wrong: forget it and never propose it again."""
    with UnitOfWork(db, actor) as uow:
        holding = _suggested(uow, holding_pk)
        work_id = holding.suggested_work_id
        holding.rejected_work_ids = [*holding.rejected_work_ids, work_id]
        holding.suggested_work = None
        holding.link_status = NONE
        holding.updated_at = utcnow()
        uow.audit("holdings.reject_link",
                  after={"holding_id": holding.holding_id, "work_id": work_id})
    return holding
