"""How index documents are named, and the one place a local work is told from a harvested record.

A local work's document is its id (``"42"``); a record harvested from a
partner is ``"h:"`` and its row id (``"h:7"``). Everything that meets an
index id (search hits, the index queue, ``check``) asks here.
"""

from __future__ import annotations

HARVESTED_PREFIX = "h:"


def of_work(work_id: int) -> str:
    return str(work_id)


def of_record(record_id: int) -> str:
    return f"{HARVESTED_PREFIX}{record_id}"


def local_work_id(document_id: str) -> int | None:
    """The work behind a document id, or None when it is a harvested record's."""
    return int(document_id) if document_id.isdigit() else None


def record_id(document_id: str) -> int | None:
    """The harvested record behind a document id, or None when it is a local work's."""
    number = document_id.removeprefix(HARVESTED_PREFIX)
    return int(number) if document_id.startswith(HARVESTED_PREFIX) and number.isdigit() else None
