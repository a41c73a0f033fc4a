"""The restricted reader: ``/works/<id>/read`` and the page images it shows.

Every response here is marked ``no-store, private``: a shared cache or the
browser's disk must not keep pages a reader was only allowed to look at.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for

from repo_app import db
from repo_app.actors import current_actor
from repo_app.routing import parse_page
from repo_app.services import reader

bp = Blueprint("reader", __name__)

NO_STORE = "no-store, private"


@bp.after_request
def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = NO_STORE
    response.headers["Pragma"] = "no-cache"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.get("/works/<int:work_id>/read")
def start(work_id: int):
    """Open the first file the actor may read (403 when there is none, 404 when hidden)."""
    file = reader.first_readable(db.session(), current_actor(), work_id)
    return redirect(url_for("reader.read", work_id=work_id, file_id=file.id))


@bp.get("/works/<int:work_id>/read/<int:file_id>")
def read(work_id: int, file_id: int):
    actor = current_actor()
    item = reader.open_for_reading(db.session(), actor, work_id, file_id)
    number = min(parse_page(request.args.get("page")), item.pages)
    zoom = reader.zoom_level(request.args.get("zoom"))
    _, readable = reader.readable_files(db.session(), actor, work_id)
    viewer = reader.Viewer.of(actor, request.remote_addr)
    # Say so in the page rather than leave a broken image when the budget is spent.
    limited = reader.budget_left(db.session(), actor, viewer, item, number)
    return render_template("reader/read.html", work=item.work, file=item.file, pages=item.pages,
                           page=number, files=readable, zoom=zoom,
                           zoom_levels=sorted(reader.ZOOM_FACTORS),
                           page_width=reader.page_width(zoom),
                           page_text=reader.page_text(item, actor, number),
                           limited=limited.translated() if limited else ""), \
        429 if limited else 200


@bp.get("/works/<int:work_id>/files/<int:file_id>/pages/<int:page>.png")
def page_image(work_id: int, file_id: int, page: int):
    actor = current_actor()
    viewer = reader.Viewer.of(actor, request.remote_addr)
    zoom = reader.zoom_level(request.args.get("zoom"))
    png = reader.render_page(db.session(), actor, viewer, work_id, file_id, page, zoom)
    return Response(png, mimetype="image/png")
