"""``/api/v1/`` additions: the list of works, deposit with a bearer token, the OpenAPI document.

Deposit endpoints authenticate with ``Authorization: Bearer <token>`` only,
never with the session cookie, so a browser cannot be tricked into calling
them: that is why (and the only reason) the blueprint is exempt from CSRF.
Errors carry the service's own code (``token_expired``, ``title_required``…).

A deposit asks what the deposit form asks: the depositor accepts the deposit
licence (``"accept_licence": true``, its text at ``/licence``) and may ask for
an embargo (``embargo_requested_until`` and ``embargo_request_reason``), kept
on the work exactly as the form keeps them (``services.deposit_terms``).
"""

from __future__ import annotations

import re
from dataclasses import fields as dataclass_fields
from datetime import date
from typing import Any

from flask import Blueprint, jsonify, request, url_for
from flask_babel import get_locale

from repo_app import db, serialize
from repo_app.access import Actor
from repo_app.actors import current_actor
from repo_app.errors import UserError
from repo_app.extensions import csrf
from repo_app.models import Work
from repo_app.services import api_tokens, files, searching, site_info, works
from repo_app.services.deposit_terms import DepositTerms
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
# What the deposit form asks besides the description, by the form's own field names.
EMBARGO_FIELDS = frozenset({"embargo_requested_until", "embargo_request_reason"})
TERMS_FIELDS = EMBARGO_FIELDS | {"accept_licence"}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _well_typed(name: str, value: Any) -> bool:
    if name in LIST_FIELDS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if name == "year":
        return value is None or (isinstance(value, int) and not isinstance(value, bool))
    if name == "accept_licence":
        return isinstance(value, bool)
    if name == "embargo_requested_until":
        return value is None or isinstance(value, str)
    return isinstance(value, str)


def _json_object(allowed: frozenset[str], *, empty: bool = False) -> dict[str, Any]:
    """The body's JSON object: known names and the right types, or a 400. ``empty``: no body
    at all is an empty object."""
    if empty and not request.get_data():
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise UserError("bad_json", "The body must be a JSON object.")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise UserError("unknown_field", "Unknown field: %(name)s", field=unknown[0],
                        name=unknown[0])
    for name, value in data.items():
        if not _well_typed(name, value):
            raise UserError("bad_field", "The field %(name)s has the wrong type.", field=name,
                            name=name)
    return data


def _day(value: str | None) -> date | None:
    if value is None or value == "":
        return None
    try:
        if ISO_DAY.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise UserError("bad_date", "The field %(name)s must be a day written YYYY-MM-DD.",
                    field="embargo_requested_until", name="embargo_requested_until")


def _terms(data: dict[str, Any], draft: Work | None = None) -> DepositTerms:
    """The licence (its text, when ``accept_licence`` is true) and the embargo asked for. A
    new deposit (no ``draft``) without ``"accept_licence": true`` is refused, saying how to
    accept; a draft keeps the embargo request the body does not mention."""
    accepted = data.get("accept_licence") is True
    if draft is None and not accepted:
        raise UserError("licence_required",
                        "Accept the deposit licence to deposit: send \"accept_licence\": true "
                        "(the licence's text is at %(url)s).",
                        field="accept_licence", url=url_for("api_deposit.licence"))
    licence = site_info.licence_text() if accepted else ""
    if draft is not None and EMBARGO_FIELDS.isdisjoint(data):
        return DepositTerms(licence, draft.embargo_requested_until, draft.embargo_request_reason)
    return DepositTerms(licence, _day(data.get("embargo_requested_until")),
                        data.get("embargo_request_reason") or "")


@bp.get("/licence")
def licence():
    """The deposit licence a depositor accepts, in the request's language."""
    return jsonify({"licence": site_info.licence_text(), "language": str(get_locale())})


@bp.post("/works")
def create_work():
    actor = token_actor()
    data = _json_object(JSON_FIELDS | TERMS_FIELDS)
    terms = _terms(data)
    fields = works.WorkFields(**{"title": "", "type": "",
                                 **{k: v for k, v in data.items() if k in JSON_FIELDS}})
    work = works.create(db.session(), actor, fields, [], terms=terms)
    return jsonify(serialize.deposit_record(actor, work)), 201, {
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
    work = works.get_editable(session, actor, work_id)
    terms = _terms(_json_object(TERMS_FIELDS, empty=True), draft=work)
    work = works.submit(session, actor, work, terms)
    return jsonify(serialize.deposit_record(actor, work))


@bp.get("/openapi.json")
def openapi():
    server = url_for("api.search", _external=True).rsplit("/", 1)[0]
    return jsonify(openapi_document(server, sorted(LIST_FIELDS)))
