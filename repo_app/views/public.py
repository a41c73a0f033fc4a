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
from sqlalchemy import text

from repo_app import db, resources
from repo_app.access import Action, decide
from repo_app.actors import current_actor
from repo_app.services import files, searching, works

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
    return render_template("public/search.html", req=req, results=results)


@bp.get("/works/<int:work_id>")
def work(work_id: int):
    actor = current_actor()
    item = works.get_visible(db.session(), actor, work_id)
    policy = resources.policy()
    rights = {
        f.id: {
            "download": decide(actor, Action.DOWNLOAD, item, f, policy=policy).allowed,
            "read": decide(actor, Action.READ_ONLINE, item, f, policy=policy).allowed,
        }
        for f in item.files
    }
    similar = searching.more_like_this(actor, item) if item.status == "published" else []
    return render_template("public/work.html", work=item, rights=rights, similar=similar,
                           can_review=decide(actor, Action.REVIEW, item, policy=policy).allowed,
                           can_edit=decide(actor, Action.EDIT, item, policy=policy).allowed)


@bp.get("/works/<int:work_id>/files/<int:file_id>")
def download(work_id: int, file_id: int):
    file, stream = files.open_download(db.session(), current_actor(), work_id, file_id)
    response = send_file(stream, mimetype=file.media_type, as_attachment=False,
                         download_name=file.original_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/lang/<code>")
def set_language(code: str):
    target = request.args.get("next", "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = make_response(redirect(target))
    if code in ("vi", "en"):
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.get("/healthz")
def healthz():
    db.session().execute(text("SELECT 1"))
    healthy = resources.index().healthy()
    return {"database": "ok", "index": "ok" if healthy else "error"}, 200 if healthy else 503


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
