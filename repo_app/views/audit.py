"""Librarians' access administration: the audit log, its CSV export, bulk access changes."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from repo_app import db
from repo_app.actors import current_actor
from repo_app.errors import UserError
from repo_app.forms import REQUIRED, Form, access_choices
from repo_app.routing import parse_id, parse_page
from repo_app.services import audit_log, bulk_access, searching, works
from repo_app.vocab import AccessLevel

bp = Blueprint("audit", __name__)


class BulkAccessForm(Form):
    access_level = SelectField(_l("New access level"), choices=access_choices())
    embargo_until = DateField(_l("Embargo ends on"), validators=[Optional()])
    access_after_embargo = SelectField(
        _l("Level after the embargo"),
        choices=[c for c in access_choices() if c[0] != AccessLevel.EMBARGOED])
    reason = StringField(_l("Why"), validators=[DataRequired(REQUIRED), Length(max=500)])
    expected = HiddenField()
    submit = SubmitField(_l("Apply to all these works"))


def _filter_from_args() -> audit_log.AuditFilter:
    args = request.args
    work = args.get("work", "").strip()
    work_id = parse_id(work)
    if work and work_id is None:
        raise UserError("bad_work_id", "%(value)s is not a work number.", value=work[:40])
    return audit_log.AuditFilter(
        work_id=work_id,
        actor=args.get("actor", "")[:200],
        action=args.get("action", "")[:60],
        date_from=_date(args.get("from", "")),
        date_to=_date(args.get("to", "")),
    )


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


@bp.get("/audit")
@login_required
def log():
    page = request.args.get("page", "1")
    result = audit_log.events(db.session(), current_actor(), _filter_from_args(),
                              parse_page(page))
    return render_template("audit/log.html", result=result, args=request.args)


@bp.get("/audit.csv")
@login_required
def log_csv():
    lines = audit_log.export_csv(db.session(), current_actor(), _filter_from_args())
    first = next(lines)
    response = Response(_chain(first, lines), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = "attachment; filename=audit.csv"
    return response


def _chain(first: str, rest):
    # A byte-order mark so spreadsheet programs read the Vietnamese as UTF-8.
    yield "\ufeff" + first
    yield from rest


@bp.route("/access/bulk", methods=["GET", "POST"])
@login_required
def bulk():
    """Preview a search's works, then change all their access levels (one audited change each)."""
    actor = current_actor()
    search_args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "page"}
    req = searching.build_request(search_args)
    form = BulkAccessForm()
    if form.validate_on_submit():
        try:
            result = bulk_access.set_access(db.session(), actor, req, _settings(form),
                                               _int(form.expected.data))
            flash(_("Access changed for %(changed)s works (%(same)s already had it).",
                    changed=len(result.changed), same=len(result.unchanged)))
            return redirect(url_for("audit.log", action="access.change"))
        except UserError as exc:
            _flash_user_error(exc)
    preview = bulk_access.preview(db.session(), actor, req)
    if preview.problem is not None:
        _flash_user_error(preview.problem)
    form.expected.data = str(len(preview.targets))
    status = 400 if request.method == "POST" else 200
    return render_template("audit/bulk.html", form=form, req=req, targets=preview.targets,
                           preview=preview.results), status


def _flash_user_error(exc: UserError) -> None:
    if exc.status != 400:
        raise exc
    flash(exc.translated(), "error")


def _int(value: str | None) -> int:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else -1


def _settings(form: BulkAccessForm) -> works.AccessSettings:
    return works.AccessSettings(level=form.access_level.data,
                                embargo_until=form.embargo_until.data,
                                after_embargo=form.access_after_embargo.data,
                                reason=(form.reason.data or "").strip())
