"""A work as MARC 21, for library systems: ``/works/<id>/export.marcxml`` and ``.mrc``."""

from __future__ import annotations

from flask import Blueprint, Response

from repo_app import db
from repo_app.actors import current_actor
from repo_app.services import marc, oai, works
from repo_app.views import links

bp = Blueprint("exports", __name__)
MEDIA_TYPES = {"marcxml": "application/marcxml+xml", "mrc": "application/marc"}


@bp.get("/works/<int:work_id>/export.<any(marcxml, mrc):fmt>")
def work_marc(work_id: int, fmt: str) -> Response:
    item = works.get_visible(db.session(), current_actor(), work_id)
    record = marc.record_of(oai.marc_source(item, links.REQUESTED))
    body = marc.as_marcxml([record]) if fmt == "marcxml" else b"".join(marc.as_iso2709([record]))
    response = Response(body, content_type=MEDIA_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="work-{work_id}.{fmt}"'
    return response
