"""The JSON API, ``/api/v1/`` (CONTRACT.md). Errors are JSON with a code and a message."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from repo_app import db, serialize
from repo_app.actors import current_actor
from repo_app.errors import UserError
from repo_app.services import searching, works

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/search")
def search():
    args = request.args.to_dict(flat=False)
    query = (args.get("q") or [""])[0]
    if len(query) > searching.MAX_QUERY_CHARS:
        raise UserError("query_too_long", "The query is longer than %(n)s characters.",
                        n=searching.MAX_QUERY_CHARS)
    page = (args.get("page") or ["1"])[0]
    if not (page.isascii() and page.isdigit()) or int(page) < 1:
        raise UserError("bad_page", "The page must be a positive whole number.")
    searching.check_vocabularies(args)
    results = searching.search(db.session(), current_actor(), searching.build_request(args))
    return jsonify(serialize.search_results(results, asked_page=int(page)))


def api_actor():
    """The bearer token's account when the request carries one (a script reading its own
    drafts), else the session's visitor. A bad token is a 401, never a silent guest."""
    if "Authorization" in request.headers:
        from repo_app.services.api_tokens import READ
        from repo_app.views.api_deposit import token_actor

        return token_actor(READ)
    return current_actor()


@bp.get("/works/<int:work_id>")
def work(work_id: int):
    actor = api_actor()
    item = works.get_visible(db.session(), actor, work_id)
    return jsonify(serialize.work_record(actor, item))
