"""``/api/v1/`` additions: the list of works, deposit with a bearer token, the OpenAPI document.

Deposit endpoints authenticate with ``Authorization: Bearer <token>`` only,
never with the session cookie, so a browser cannot be tricked into calling
them: that is why (and the only reason) the blueprint is exempt from CSRF.
Errors carry the service's own code (``token_expired``, ``title_required``…).
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import Any

from flask import Blueprint, jsonify, request, url_for

from repo_app import db, serialize
from repo_app.access import Actor
from repo_app.actors import current_actor
from repo_app.errors import UserError
from repo_app.extensions import csrf
from repo_app.services import api_tokens, files, searching, works
from repo_app.views.openapi import openapi_document

bp = Blueprint("api_deposit", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def token_actor(scope: str = api_tokens.DEPOSIT) -> Actor:
    """The account behind the request's bearer token, for ``scope`` (401 when missing,
    unknown, expired or revoked; 403 when the token lacks the scope)."""
    session = db.session()
    user = api_tokens.authenticate(session, request.headers.get("Authorization"), scope)
    return api_tokens.actor_of(session, user)


@bp.get("/works")
def list_works():
    page = request.args.get("page", "1")
    if not (page.isascii() and page.isdigit()) or int(page) < 1:  # past the end: empty
        raise UserError("bad_page", "The page must be a positive whole number.")
    req = searching.build_request({"sort": ["newest"], "page": [page], "source": ["local"]})
    results = searching.search(db.session(), current_actor(), req)
    body = serialize.search_results(results, asked_page=int(page))
    body.pop("facets")
    body["per_page"] = results.per_page
    return jsonify(body)


LIST_FIELDS = frozenset({"creators", "advisors", "keywords", "keywords_en"})
# The faculty is chosen by librarians at review; a script cannot name collection rows.
JSON_FIELDS = frozenset(f.name for f in dataclass_fields(works.WorkFields)) - {"collection_id"}


def _well_typed(name: str, value: Any) -> bool:
    if name in LIST_FIELDS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if name == "year":
        return value is None or (isinstance(value, int) and not isinstance(value, bool))
    return isinstance(value, str)


def _json_fields() -> works.WorkFields:
    """The work's fields from a JSON object: known names and the right types, or a 400."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise UserError("bad_json", "The body must be a JSON object.")
    unknown = sorted(set(data) - JSON_FIELDS)
    if unknown:
        raise UserError("unknown_field", "Unknown field: %(name)s", field=unknown[0],
                        name=unknown[0])
    for name, value in data.items():
        if not _well_typed(name, value):
            raise UserError("bad_field", "The field %(name)s has the wrong type.", field=name,
                            name=name)
    return works.WorkFields(**{"title": "", "type": "", **data})


@bp.post("/works")
def create_work():
    actor = token_actor()
    work = works.create(db.session(), actor, _json_fields(), [])
    return jsonify(serialize.work_record(actor, work)), 201, {
        "Location": url_for("api.work", work_id=work.id, _external=True)}


def _current_fields(work) -> works.WorkFields:
    return works.WorkFields(**{f.name: getattr(work, f.name)
                               for f in dataclass_fields(works.WorkFields)})


@bp.post("/works/<int:work_id>/files")
def upload_file(work_id: int):
    actor = token_actor()
    session = db.session()
    work = works.get_editable(session, actor, work_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise UserError("file_required", "Attach at least one PDF before submitting.",
                        field="file")
    staged = files.stage(upload.stream, upload.filename, owner=actor.user_id)
    work = works.update(session, actor, work, _current_fields(work), [staged])
    return jsonify(serialize.work_record(actor, work)), 201


@bp.post("/works/<int:work_id>/submit")
def submit_work(work_id: int):
    actor = token_actor()
    session = db.session()
    work = works.submit(session, actor, works.get_editable(session, actor, work_id))
    return jsonify(serialize.work_record(actor, work))


@bp.get("/openapi.json")
def openapi():
    server = url_for("api.search", _external=True).rsplit("/", 1)[0]
    return jsonify(openapi_document(server, sorted(LIST_FIELDS)))
