"""JSON shapes of the public API (CONTRACT.md). The access module decides what is included."""

from __future__ import annotations

from typing import Any

from flask import url_for

from repo_app import db
from repo_app.access import Actor, effective_level
from repo_app.models import Work
from repo_app.services import document_ids, pages, usage
from repo_app.vocab import EXTRACTION_LABELS
from search.results import Hit


def hit_url(hit: Hit, *, external: bool = False) -> str:
    """Where a hit leads: a local work's page, or the partner's page of a harvested record."""
    work_id = document_ids.local_work_id(hit.id)
    if work_id is None:
        return hit.url
    return url_for("public.work", work_id=work_id, _external=external)


def _hit_id(hit: Hit) -> int | str:
    """A local work by its number (CONTRACT.md), a harvested record by its document id."""
    work_id = document_ids.local_work_id(hit.id)
    return hit.id if work_id is None else work_id


def search_results(results, asked_page: int | None = None) -> dict[str, Any]:
    """The API's page of hits; a page past the end (``asked_page``) is empty, not the last
    page again (the web page shows the nearest page with a notice)."""
    body = {
        "total": results.total,
        "page": results.page,
        "hits": [
            {
                "id": _hit_id(hit),
                "title": hit.title,
                "creators": list(hit.creators),
                "year": hit.year,
                "faculty": hit.faculty,
                "type": hit.type,
                "access": hit.access,
                "snippet": hit.snippet,
                "url": hit_url(hit, external=True),
                # "local" for this library's works, else the partner's name (never "local").
                "source": hit.source,
            }
            for hit in results.hits
        ],
        "facets": {
            name: [{"value": v.value, "count": v.count} for v in values]
            for name, values in results.facets.items()
        },
    }
    if asked_page is not None and results.page < asked_page:
        body["page"], body["hits"] = asked_page, []
    return body


def file_record(work: Work, rights: pages.FileRights) -> dict[str, Any]:
    file = rights.file
    record: dict[str, Any] = {
        "id": file.id,
        "name": file.original_name,
        "size": file.size,
        "pages": file.pages,
        "access": rights.level,
        "extraction": {
            "status": file.extraction_status,
            "message": file.extraction_message or str(EXTRACTION_LABELS.get(file.extraction_status, "")),
            # While a background job makes the text: pages read or recognised so far, of all.
            "pages_done": file.pages_done,
            "pages": file.pages,
        },
    }
    if rights.ocr is not None:  # a file OCR read: how far to trust its text
        record["ocr"] = rights.ocr.as_json()
    if rights.download:
        record["download_url"] = url_for("public.download", work_id=work.id, file_id=file.id,
                                         _external=True)
    return record


def work_record(actor: Actor, work: Work) -> dict[str, Any]:
    """A work's metadata as the API shows it to ``actor`` (who may already see the work).

    ``usage`` holds the work's counts since counting began (never for a confidential work).
    """
    record = {
        "id": work.id,
        "identifier": work.identifier,
        "url": url_for("public.work", work_id=work.id, _external=True),
        "status": work.status,
        "title": work.title,
        "alt_title": work.alt_title,
        "creators": work.creators,
        "advisors": work.advisors,
        "abstract": work.abstract,
        "keywords": work.keywords,
        "title_en": work.title_en,
        "abstract_en": work.abstract_en,
        "keywords_en": work.keywords_en,
        "year": work.year,
        "language": work.language,
        "type": work.type,
        "faculty": work.faculty_name,
        "degree_name": work.degree_name,
        "degree_level": work.degree_level,
        "discipline": work.discipline,
        "grantor": work.grantor,
        "access": effective_level(work),
        "embargo_until": work.embargo_until.isoformat() if work.embargo_until else None,
        "files": [file_record(work, r) for r in pages.file_rights(actor, work)],
    }
    totals = usage.totals(db.session(), work)
    if totals is not None:
        record["usage"] = totals.as_json()
    return record


def deposit_record(actor: Actor, work: Work) -> dict[str, Any]:
    """The record the API answers its depositor with: the work, and the terms kept with it
    (when the licence was accepted; the embargo asked for and why). Only the deposit
    endpoints answer this, to the token's owner: the request is between them and the
    reviewer."""
    accepted = work.licence_accepted_at
    until = work.embargo_requested_until
    return {**work_record(actor, work),
            "licence_accepted_at": accepted.isoformat() if accepted else None,
            "embargo_request": {"until": until.isoformat(), "reason": work.embargo_request_reason}
            if until else None}
