"""What anyone may reach: home, search, work pages, file downloads, health."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from repo_app import db
from repo_app.actors import current_actor
from repo_app.config import LOCALES
from repo_app.services import files, health, pages, searching, users
from repo_app.views.redirects import safe_next

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    results = searching.search(db.session(), current_actor(),
                               searching.build_request({"sort": ["newest"]}))
    return render_template("public/home.html", results=results)


@bp.get("/search")
def search():
    req = searching.build_request(request.args.to_dict(flat=False))
    results = searching.search(db.session(), current_actor(), req)
    recent = searching.recent(db.session(), current_actor()) if results.total == 0 else []
    return render_template("public/search.html", req=req, results=results, recent=recent)


@bp.get("/works/<int:work_id>")
def work(work_id: int):
    page = pages.work_page(db.session(), current_actor(), work_id)
    return render_template("public/work.html", work=page.work, page=page, rights=page.rights,
                           similar=page.similar, can_review=page.can_review,
                           can_edit=page.can_edit)


@bp.get("/works/<int:work_id>/files/<int:file_id>")
def download(work_id: int, file_id: int):
    file, stream = files.open_download(db.session(), current_actor(), work_id, file_id)
    response = send_file(stream, mimetype=file.media_type, as_attachment=False,
                         download_name=file.original_name, max_age=0)
    # Revalidated every time and never kept by a shared cache (views/caching.py makes it
    # no-store when the file was served because of who or where the requester is).
    response.cache_control.private = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/lang/<code>")
def set_language(code: str):
    """The reader's language for this browser (a cookie) and, logged in, for their account."""
    response = make_response(redirect(safe_next(request.args.get("next"))))
    if code in LOCALES:
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
        users.remember_locale(db.session(), current_actor().user_id, code)
    return response


@bp.get("/healthz")
def healthz():
    state = health.check(db.session())
    return state, 200 if state["index"] == "ok" else 503


@bp.app_template_global()
def page_url(page: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for(request.endpoint, **args)


@bp.app_template_global()
def facet_url(name: str, value: str, active: bool) -> str:
    """The current search with one facet value toggled (and back to page 1)."""
    args = request.args.to_dict(flat=False)
    values = [v for v in args.get(name, []) if v != value]
    if not active:
        values.append(value)
    args[name] = values
    args.pop("page", None)
    return url_for("public.search", **args)


@bp.app_template_global()
def clear_filters_url() -> str:
    """The current search with every filter removed; the words and the order are kept."""
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k in ("q", "sort")}
    return url_for("public.search", **args)
