"""``/oai``: the OAI-PMH 2.0 data provider (GET and POST, as the protocol requires).

Harvesters are programs, not browsers: the blueprint is exempt from CSRF
and every answer, errors included, is an OAI-PMH document with status 200.
"""

from __future__ import annotations

import click
from flask import Blueprint, Response, request
from flask.cli import with_appcontext

from repo_app import db, oai_xml
from repo_app.errors import UserError
from repo_app.extensions import csrf
from repo_app.services import harvest, oai

bp = Blueprint("oai", __name__)
csrf.exempt(bp)


@bp.route("/oai", methods=["GET", "POST"])
def endpoint() -> Response:
    args = request.values.to_dict(flat=False)
    base_url = request.base_url
    try:
        parsed = oai.parse_request(args)
    except oai.OaiError as exc:
        return _send(_error(base_url, {}, exc))
    echoed = {"verb": parsed.verb, **parsed.args}
    root = oai_xml.envelope(oai.response_date(), base_url, echoed)
    try:
        _answer(root, parsed)
    except oai.OaiError as exc:
        return _send(_error(base_url, echoed if exc.echo_arguments else {}, exc))
    return _send(root)


def _answer(root, parsed: oai.OaiRequest) -> None:
    session, args, verb = db.session(), parsed.args, parsed.verb
    if verb == "Identify":
        oai_xml.identify(root, oai.identify(session))
    elif verb == "ListMetadataFormats":
        oai_xml.metadata_formats(root, oai.metadata_formats(session, args.get("identifier")))
    elif verb == "ListSets":
        if "resumptionToken" in args:
            raise oai.OaiError("badResumptionToken", "Sets are sent in one list.")
        oai_xml.sets(root, oai.list_sets(session))
    elif verb == "GetRecord":
        record = oai.get_record(session, args["identifier"], args["metadataPrefix"])
        oai_xml.get_record(root, record, args["metadataPrefix"])
    else:
        page = oai.list_records(session, args, with_metadata=verb == "ListRecords")
        oai_xml.list_page(root, verb, page)


def _error(base_url: str, echoed: dict[str, str], exc: oai.OaiError):
    root = oai_xml.envelope(oai.response_date(), base_url, echoed)
    oai_xml.error(root, exc)
    return root


def _send(root) -> Response:
    return Response(oai_xml.to_bytes(root), content_type="text/xml; charset=utf-8")


@click.command("harvest")
@click.argument("url")
@click.option("--set", "set_spec", default="", help="Harvest only this set of the partner.")
@click.option("--from", "since", default=None,
              help="Start from this date (YYYY-MM-DD); default: where the last harvest ended.")
@click.option("--partner", "key", default=None,
              help="The partner's key, when its Identify does not say who it is "
                   "(several base URLs of one repository share one key).")
@click.option("--map", "mapping", multiple=True, metavar="NAME=VALUE",
              help="A mapping setting kept for this partner: date=earliest|first|last, "
                   "link=landing|identifier|relation, html=strip|keep, "
                   "legacy_fonts=auto|tcvn3|vni|off.")
@with_appcontext
def harvest_command(url: str, set_spec: str, since: str | None, key: str | None,
                    mapping: tuple[str, ...]) -> None:
    """Harvest a partner's OAI-PMH endpoint (oai_dc) into the union catalogue.

    Exits 1 on any OAI error but noRecordsMatch and on malformed XML; the
    pages before the failure are kept and the next run resumes after them.
    """
    from repo_app.cli import SYSTEM, fail

    try:
        report = harvest.run(db.session(), SYSTEM, url, set_spec=set_spec, since=since, key=key,
                             mapping=list(mapping))
    except harvest.HarvestError as exc:
        if exc.report.pages:
            click.echo(_summary(exc.report), err=True)
        fail(str(exc))
    except UserError as exc:
        fail(str(exc))
    click.echo(_summary(report))


def _summary(report: harvest.HarvestReport) -> str:
    start = "resumed" if report.resumed else f"from {report.since or 'the beginning'}"
    if report.restarted:
        start += "; the partner's resumption token had expired, the list was restarted"
    return (f"{report.source}: {report.pages} pages ({start}); {report.added} added, "
            f"{report.updated} updated, {report.deleted} deleted")
