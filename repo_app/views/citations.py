"""Citation export (BibTeX, RIS, CSL-JSON) for a work and for a page of search results."""

from __future__ import annotations

from flask import Blueprint, Response, request

from repo_app import db
from repo_app.actors import current_actor
from repo_app.errors import NotFound
from repo_app.services import citations, document_ids, searching, works
from repo_app.views.links import REQUESTED

bp = Blueprint("citations", __name__)
EXPORT_PAGE_SIZE = 100


def _send(text: str, fmt: str, name: str) -> Response:
    if fmt not in citations.FORMATS:
        raise NotFound()
    response = Response(text, content_type=citations.FORMATS[fmt])
    response.headers["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    return response


@bp.get("/works/<int:work_id>/cite.<fmt>")
def work(work_id: int, fmt: str) -> Response:
    if fmt not in citations.FORMATS:
        raise NotFound()
    item = works.get_visible(db.session(), current_actor(), work_id)
    return _send(citations.render([citations.citation_of(item, REQUESTED)], fmt), fmt,
                 f"work-{work_id}")


@bp.get("/search/cite.<fmt>")
def results(fmt: str) -> Response:
    """The current page of a search (up to 100 works), with the same access scope as search."""
    if fmt not in citations.FORMATS:
        raise NotFound()
    session, actor = db.session(), current_actor()
    # Only this library's works are exported: asking the index for them (not filtering a
    # page of mixed hits afterwards) keeps harvested records from taking the slots.
    req = searching.build_request({**request.args.to_dict(flat=False), "source": ["local"]})
    req.per_page = EXPORT_PAGE_SIZE
    hits = searching.search(session, actor, req).hits
    local = [i for h in hits if (i := document_ids.local_work_id(h.id)) is not None]
    cited = citations.citable(session, actor, local, REQUESTED)
    return _send(citations.render(cited, fmt), fmt, "results")


@bp.app_template_global()
def citation_meta_tags(work) -> list[tuple[str, str, str]]:
    """The work page's Google Scholar and Dublin Core tags (templates/public/_meta_tags.html)."""
    return citations.meta_tags(work, REQUESTED)
