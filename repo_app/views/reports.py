"""Reports for librarians: digitization coverage, the holdings register and its links.

The HTTP routes and the ``repo-app holdings`` / ``repo-app coverage``
commands (``repo_app.commands.coverage``) are the two front doors of the
same services; both only parse input and render what the service returns.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from flask import (
    Blueprint,
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup
from wtforms import SubmitField

from repo_app import db
from repo_app.actors import current_actor
from repo_app.errors import UserError
from repo_app.forms import Form
from repo_app.localformats import local_date, number, percent
from repo_app.routing import parse_page
from repo_app.services import coverage, coverage_exports, coverage_forecast, holdings
from repo_app.views import charts
from repo_app.vocab import TYPE_LABELS

bp = Blueprint("reports", __name__, url_prefix="/reports")


class HoldingsUploadForm(Form):
    file = FileField(_l("Holdings file (CSV in UTF-8, or MARC 21 exported from Koha or Libol)"),
                     validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Import"))


def _charts(report: coverage.CoverageReport, history: list) -> dict[str, Markup]:
    bars = [charts.Bar(row["faculty"] or _("(no faculty)"), row["digitized_pct"],
                       row["searchable_pct"], row["target_pct"])
            for row in report.breakdowns["faculty"]]
    legend = (_("Digitized"), _("Searchable"), _("Target"))
    points = [charts.Point(s.taken_on, (coverage.percent(s.digitized, s.holdings),
                                        coverage.percent(s.searchable, s.holdings),
                                        coverage.percent(s.online, s.holdings)))
              for s in history]
    return {
        "faculty": charts.bar_chart(
            bars, _("Digitized holdings by faculty"),
            _("Percentage of holdings digitized (dark bar) and searchable (light bar) in each "
              "faculty, with the target as a vertical line. The table below has the same "
              "numbers."), legend),
        "history": charts.line_chart(
            points, (_("Digitized"), _("Searchable"), _("Available online")),
            report.overall["target_pct"], _("Coverage over time"),
            _("Percentage of all holdings digitized, searchable and available online on each "
              "day a snapshot was taken; the dashed line is the target.")),
    }


def group_label(breakdown: str, value: object) -> str:
    """How a group is named in a table: labels for codes, a placeholder for blanks."""
    if breakdown == "overall":
        return _("All holdings")
    if value is None or value == "":
        return _("(not given)")
    labels = {"type": TYPE_LABELS, "category": coverage.CATEGORY_LABELS}.get(breakdown, {})
    return str(labels.get(value, value))


def gap_sentence(row: dict, due: date | None = None, as_of: date | None = None) -> str:
    """ "Digitize 312 more works to reach 70% by 31/12/2025", that the target is reached, or,
    on a report dated after the deadline, that it has passed and how far coverage got."""
    if row["target_pct"] is None:
        return ""
    if row["gap_works"] == 0:
        return _("Target reached.")
    target = number(row["target_pct"])
    if due is None:
        return ngettext("Digitize %(num)s more work to reach %(target)s%%.",
                        "Digitize %(num)s more works to reach %(target)s%%.",
                        row["gap_works"], target=target)
    if as_of is not None and due < as_of:
        return ngettext("Deadline %(due)s passed; %(reached)s%% reached, %(num)s more work to "
                        "digitize for %(target)s%%.",
                        "Deadline %(due)s passed; %(reached)s%% reached, %(num)s more works to "
                        "digitize for %(target)s%%.",
                        row["gap_works"], due=local_date(due),
                        reached=number(row["digitized_pct"] or 0), target=target)
    return ngettext("Digitize %(num)s more work to reach %(target)s%% by %(due)s.",
                    "Digitize %(num)s more works to reach %(target)s%% by %(due)s.",
                    row["gap_works"], target=target, due=local_date(due))


def blended_note(report: coverage.CoverageReport) -> str:
    """Why a group's target is neither category's: each category's target weighted by the
    group's holdings in it (70% and 100% make 73,2% overall when rare holdings are few)."""
    held = {row["category"] for row in report.breakdowns["category"] if row["holdings"]}
    goals = sorted((t for t in report.targets.values() if t.category in held),
                   key=lambda t: t.category)
    overall = report.overall.get("target_pct")
    if overall is None or len({t.target_pct for t in goals}) < 2:
        return ""
    parts = "; ".join(f"{group_label('category', t.category)}: {percent(float(t.target_pct))}"
                      for t in goals)
    return _("Targets of rows that mix categories (all holdings, a faculty, a year, a type) are "
             "blended: each category's target (%(targets)s) weighted by how many of the row's "
             "holdings are in that category. For all holdings this gives %(overall)s.",
             targets=parts, overall=percent(overall))


def forecast_sentence(forecast: coverage_forecast.Forecast | None, due: date) -> str:
    """When the target is reached at the pace of the last 30 days, or that it is not."""
    if forecast is None or forecast.status in (coverage_forecast.NO_HOLDINGS,
                                               coverage_forecast.REACHED):
        return ""
    days = forecast.window_days
    if forecast.status == coverage_forecast.STALLED:
        if forecast.deadline_passed:
            return _("The deadline (%(due)s) has passed and no holding was digitized in the "
                     "last %(days)s days: at this pace the target will not be reached.",
                     due=local_date(due), days=days)
        return _("No holding was digitized in the last %(days)s days: at this pace the target "
                 "will not be reached.", days=days)
    pace = ngettext("%(num)s holding digitized in the last %(days)s days.",
                    "%(num)s holdings digitized in the last %(days)s days.",
                    forecast.digitized_in_window, days=days)
    expected = local_date(forecast.expected)
    if forecast.status == coverage_forecast.OVERDUE:
        outlook = _("The deadline (%(due)s) has passed; at this pace the target is reached on "
                    "%(date)s.", due=local_date(due), date=expected)
    elif forecast.status == coverage_forecast.LATE:
        outlook = _("At this pace the target is reached on %(date)s, after the deadline "
                    "(%(due)s).", date=expected, due=local_date(due))
    else:
        outlook = _("At this pace the target is reached on %(date)s, before the deadline.",
                    date=expected)
    return f"{pace} {outlook}"


def common_due(report: coverage.CoverageReport) -> date | None:
    """The targets' date when they all share one (the province's plan has one)."""
    dues = {t.due for t in report.targets.values()}
    return dues.pop() if len(dues) == 1 else None


@bp.get("/coverage")
def coverage_page():
    actor = current_actor()
    report = coverage.public_summary(db.session(), actor)
    full = coverage.may_view(actor)
    return render_template(
        "reports/coverage.html", report=report, full=full,
        gap_sentence=partial(gap_sentence, as_of=report.date), blended_note=blended_note(report),
        forecast_sentence=forecast_sentence,
        group_label=group_label, overall_due=common_due(report),
        definitions=coverage.definitions(),
        charts=_charts(report, coverage.history(db.session())),
        choices=coverage.filter_choices(db.session()) if full else {},
    )


@bp.get("/coverage.json")
@login_required
def coverage_json():
    return jsonify(coverage.report(db.session(), current_actor()).as_json())


def _csv(body: str, name: str) -> Response:
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/coverage.csv")
@login_required
def coverage_csv():
    report = coverage.report(db.session(), current_actor())
    return _csv(coverage_exports.as_csv(report), f"coverage-{report.date.isoformat()}.csv")


def _missing_filter() -> coverage.MissingFilter:
    year = request.args.get("year", "").strip()
    if year and not (year.isascii() and year.isdigit() and len(year) == 4):
        raise UserError("bad_year", "Year %(value)s is not a four-digit year.", value=year)
    return coverage.MissingFilter(
        faculty=request.args.get("faculty", "").strip(), year=int(year) if year else None,
        type=request.args.get("type", "").strip(),
        category=request.args.get("category", "").strip())


@bp.get("/coverage/missing")
@login_required
def missing_page():
    wanted = _missing_filter()
    listing = coverage.missing_page(db.session(), current_actor(), wanted,
                                    parse_page(request.args.get("page")))
    return render_template("reports/missing.html", listing=listing, wanted=wanted,
                           group_label=group_label,
                           choices=coverage.filter_choices(db.session()))


@bp.get("/coverage/missing.csv")
@login_required
def missing_csv():
    rows = coverage.missing(db.session(), current_actor(), _missing_filter())
    return _csv(coverage_exports.missing_as_csv(rows), "holdings-not-digitized.csv")


@bp.route("/holdings/import", methods=["GET", "POST"])
@login_required
def holdings_import():
    actor = current_actor()
    holdings.require_manager(actor)
    form = HoldingsUploadForm()
    result = None
    if form.validate_on_submit():
        try:
            result = holdings.import_file(db.session(), actor, form.file.data.read())
        except UserError as exc:
            form.file.errors = [*form.file.errors, exc.translated()]
    # Bad rows are part of a successful import (the good rows are kept): 200 with the list.
    status = 400 if form.file.errors else 200
    return render_template("reports/holdings_import.html", form=form, result=result), status


@bp.get("/holdings/suggestions")
@login_required
def suggestions():
    items = holdings.suggestions(db.session(), current_actor())
    return render_template("reports/suggestions.html", holdings=items)


@bp.post("/holdings/suggestions/refresh")
@login_required
def refresh_suggestions():
    made = holdings.refresh_suggestions(db.session(), current_actor())
    flash(ngettext("%(num)s new suggestion.", "%(num)s new suggestions.", made))
    return redirect(url_for("reports.suggestions"), 303)


@bp.post("/holdings/suggestions/<int:holding_pk>/<any(confirm, reject):decision>")
@login_required
def decide_suggestion(holding_pk: int, decision: str):
    actor = current_actor()
    if decision == "confirm":
        holding = holdings.confirm(db.session(), actor, holding_pk)
        flash(_("Holding %(id)s is linked to its work.", id=holding.holding_id))
    else:
        holding = holdings.reject(db.session(), actor, holding_pk)
        flash(_("The suggestion for holding %(id)s was rejected.", id=holding.holding_id))
    return redirect(url_for("reports.suggestions"), 303)
