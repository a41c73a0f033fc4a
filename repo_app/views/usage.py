"""Usage statistics on the web: counting uses as they are answered, and the librarians' report.

A use is counted after the view answered it successfully (``after_app_request``),
so refusals, errors, not-modified answers and the reader's page-budget notice
are never counted, and no view needs a line for it. ``services.usage`` decides
what counts and keeps the hits in its buffer.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from flask_login import login_required

from repo_app import db
from repo_app.actors import current_actor
from repo_app.models import Work
from repo_app.services import usage, usage_report
from repo_app.views.reports import _csv as csv_response

bp = Blueprint("usage", __name__)

# Endpoint → what its successful answer is a use of.
COUNTED = {"public.work": usage.VIEW, "public.download": usage.DOWNLOAD,
           "reader.read": usage.READ}


@bp.after_app_request
def count_use(response: Response) -> Response:
    metric = COUNTED.get(request.endpoint or "")
    if metric is None or request.method != "GET" or response.status_code not in (200, 206) \
            or not current_app.config["USAGE_STATISTICS"]:
        return response
    actor = current_actor()
    agent = request.headers.get("User-Agent")
    if usage.counts(actor, agent):
        key = usage.visitor_key(actor, request.remote_addr, agent)
        usage.recorder(current_app._get_current_object()).hit(int(request.view_args["work_id"]), metric, key)
    return response


@bp.app_template_global()
def work_usage(work: Work) -> usage.Totals | None:
    """The work page's figures (None for a confidential work: the page shows none)."""
    return usage.totals(db.session(), work)


def _period() -> usage_report.Period:
    return usage_report.Period.months(request.args.get("start", "").strip(),
                                      request.args.get("end", "").strip(), usage.today())


@bp.get("/reports/usage")
@login_required
def report_page():
    rep = usage_report.report(db.session(), current_actor(), _period())
    return render_template("reports/usage.html", report=rep)


@bp.get("/reports/usage.csv")
@login_required
def report_csv():
    rep = usage_report.report(db.session(), current_actor(), _period())
    return csv_response(usage_report.as_csv(rep),
                        f"usage-{rep.period.start:%Y-%m}-{rep.period.end:%Y-%m}.csv")
