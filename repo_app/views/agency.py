"""``/reports/agency``: the managing agency's report (librarians), its exports and frozen copies."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from repo_app import db
from repo_app.actors import current_actor
from repo_app.services import agency_report, agency_report_formats

bp = Blueprint("agency", __name__, url_prefix="/reports")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period() -> agency_report.Period:
    default = f"{date.today().year}Q{(date.today().month - 1) // 3 + 1}"
    return agency_report.Period.parse(request.args.get("period") or default)


def _report() -> agency_report.AgencyReport:
    return agency_report.build(db.session(), current_actor(), _period())


@bp.get("/agency")
@login_required
def page():
    report = _report()
    return render_template("agency/report.html", report=report,
                           rows=agency_report_formats.rows(report),
                           submissions=agency_report.submissions(db.session(), current_actor()))


@bp.get("/agency.<any(xlsx, csv, json):fmt>")
@login_required
def export(fmt: str) -> Response:
    report = _report()
    name = f"agency-report-{report.period.code}.{fmt}"
    if fmt == "json":
        response = jsonify(report.as_json())
    elif fmt == "csv":
        response = Response("\ufeff" + agency_report_formats.as_csv(report),
                            mimetype="text/csv; charset=utf-8")
    else:
        response = Response(agency_report_formats.as_xlsx(report), mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.post("/agency/submit")
@login_required
def submit():
    report = _report()
    row = agency_report.submit(db.session(), current_actor(), report,
                               agency_report_formats.as_xlsx(report))
    flash(_("The report for %(period)s was frozen as submitted (SHA-256 %(sha)s).",
            period=row.period, sha=row.sha256))
    return redirect(url_for("agency.page", period=row.period), 303)


@bp.get("/agency/submitted/<int:submission_id>.xlsx")
@login_required
def frozen(submission_id: int) -> Response:
    row, data = agency_report.frozen_copy(db.session(), current_actor(), submission_id)
    response = Response(data, mimetype=XLSX)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="agency-report-{row.period}-submitted-{row.id}.xlsx"')
    response.headers["Digest"] = f"sha-256={row.sha256}"
    return response
