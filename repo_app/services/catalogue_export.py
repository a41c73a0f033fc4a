"""Every public work as MARC 21, for loading the repository into a library system (Koha, Libol).

"Public" is the anonymous visitor's view (``access.decide``), the same as
OAI-PMH: confidential, unpublished and hidden embargoed works are left out,
and file links are given only for files anyone may download.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from repo_app.models import Work
from repo_app.services import marc, oai
from repo_app.services.addresses import Addresses
from repo_app.services.public_works import ACCESS_COLUMNS, visible_to_anyone
from repo_app.vocab import WorkStatus

BATCH = 200


def public_work_ids(db: Session) -> list[int]:
    rows = db.execute(select(*ACCESS_COLUMNS).where(Work.status == WorkStatus.PUBLISHED)
                      .order_by(Work.id))
    return [row.id for row in rows if visible_to_anyone(row)]


def public_works(db: Session) -> Iterator[Work]:
    """Public works in id order, loaded a batch at a time (memory stays flat)."""
    ids = public_work_ids(db)
    for start in range(0, len(ids), BATCH):
        query = select(Work).where(Work.id.in_(ids[start:start + BATCH])).order_by(Work.id).options(
            selectinload(Work.files), selectinload(Work.collection))
        yield from db.scalars(query)
        db.expunge_all()


def write_iso2709(db: Session, out: BinaryIO, addresses: Addresses) -> int:
    """Write every public work to ``out`` (ISO 2709); returns how many records were written."""
    count = 0
    records = (marc.record_of(oai.marc_source(work, addresses)) for work in public_works(db))
    for chunk in marc.as_iso2709(records):
        out.write(chunk)
        count += 1
    return count
