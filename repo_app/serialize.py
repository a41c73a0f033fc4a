"""JSON shapes of the public API (CONTRACT.md). The access module decides what is included."""

from __future__ import annotations

from typing import Any

from flask import url_for

from repo_app import resources
from repo_app.access import Action, Actor, decide, effective_level
from repo_app.models import File, Work
from repo_app.vocab import EXTRACTION_LABELS


def search_results(results) -> dict[str, Any]:
    return {
        "total": results.total,
        "page": results.page,
        "hits": [
            {
                "id": int(hit.id) if hit.id.isdigit() else hit.id,
                "title": hit.title,
                "creators": list(hit.creators),
                "year": hit.year,
                "faculty": hit.faculty,
                "type": hit.type,
                "access": hit.access,
                "snippet": hit.snippet,
                "url": url_for("public.work", work_id=int(hit.id), _external=True)
                if hit.id.isdigit() else hit.url,
            }
            for hit in results.hits
        ],
        "facets": {
            name: [{"value": v.value, "count": v.count} for v in values]
            for name, values in results.facets.items()
        },
    }


def file_record(actor: Actor, work: Work, file: File) -> dict[str, Any]:
    policy = resources.policy()
    record: dict[str, Any] = {
        "id": file.id,
        "name": file.original_name,
        "size": file.size,
        "pages": file.pages,
        "access": effective_level(work, file),
        "extraction": {
            "status": file.extraction_status,
            "message": file.extraction_message or str(EXTRACTION_LABELS.get(file.extraction_status, "")),
        },
    }
    if decide(actor, Action.DOWNLOAD, work, file, policy=policy):
        record["download_url"] = url_for("public.download", work_id=work.id, file_id=file.id,
                                         _external=True)
    return record


def work_record(actor: Actor, work: Work) -> dict[str, Any]:
    """A work's metadata as the API shows it to ``actor`` (who may already see the work)."""
    return {
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
        "files": [file_record(actor, work, f) for f in work.files],
    }
