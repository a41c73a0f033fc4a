"""``/oai``: the OAI-PMH 2.0 data provider (GET and POST, as the protocol requires).

Harvesters are programs, not browsers: the blueprint is exempt from CSRF
and every answer, errors included, is an OAI-PMH document with status 200.
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for

from repo_app import db, oai_xml
from repo_app.extensions import csrf
from repo_app.services import oai, oai_requests, policy_changes
from repo_app.views.links import REQUESTED

bp = Blueprint("oai", __name__)
csrf.exempt(bp)


@bp.route("/oai", methods=["GET", "POST"])
def endpoint() -> Response:
    args = request.values.to_dict(flat=False)
    base_url = url_for("oai.endpoint", _external=True)  # REPO_BASE_URL, never the Host header
    try:
        parsed = oai_requests.parse_request(args)
    except oai_requests.OaiError as exc:
        return _send(_error(base_url, {}, exc))
    echoed = {"verb": parsed.verb, **parsed.args}
    root = oai_xml.envelope(oai_requests.response_date(), base_url, echoed)
    try:
        _answer(root, parsed)
    except oai_requests.OaiError as exc:
        return _send(_error(base_url, echoed if exc.echo_arguments else {}, exc))
    return _send(root)


def _answer(root, parsed: oai_requests.OaiRequest) -> None:
    session, args, verb = db.session(), parsed.args, parsed.verb
    policy_changes.sync(session)  # datestamps follow a change of the access settings
    if verb == "Identify":
        oai_xml.identify(root, oai.identify(session, url_for("oai.endpoint", _external=True)))
    elif verb == "ListMetadataFormats":
        oai_xml.metadata_formats(root, oai.metadata_formats(session, args.get("identifier")))
    elif verb == "ListSets":
        if "resumptionToken" in args:
            raise oai_requests.OaiError("badResumptionToken", "Sets are sent in one list.")
        oai_xml.sets(root, oai.list_sets(session))
    elif verb == "GetRecord":
        record = oai.get_record(session, args["identifier"], args["metadataPrefix"], REQUESTED)
        oai_xml.get_record(root, record, args["metadataPrefix"])
    else:
        page = oai.list_records(session, args, REQUESTED, with_metadata=verb == "ListRecords")
        oai_xml.list_page(root, verb, page)


def _error(base_url: str, echoed: dict[str, str], exc: oai_requests.OaiError):
    root = oai_xml.envelope(oai_requests.response_date(), base_url, echoed)
    oai_xml.error(root, exc)
    return root


def _send(root) -> Response:
    return Response(oai_xml.to_bytes(root), content_type="text/xml; charset=utf-8")
