"""On-site reading: the reader's request (purpose and letter), the librarians' queue and decisions,
and the library's public list of restricted resources (Library Law 2019 Art. 7)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from repo_app import db
from repo_app.actors import current_actor
from repo_app.errors import UserError
from repo_app.forms import REQUIRED, Form
from repo_app.services import onsite, restricted_list, works
from repo_app.views.decisions import answer

bp = Blueprint("onsite", __name__)


class OnsiteRequestForm(Form):
    purpose = TextAreaField(_l("Purpose of your reading (research topic, assignment…)"),
                            validators=[DataRequired(REQUIRED),
                                        Length(max=onsite.MAX_PURPOSE_CHARS)])
    letter = FileField(_l("Letter of introduction or written approval (PDF, JPEG or PNG)"),
                       validators=[FileRequired(REQUIRED)])
    submit = SubmitField(_l("Send the request to the library"))


class ApproveForm(Form):
    valid_from = DateField(_l("Valid from"), validators=[DataRequired(REQUIRED)])
    valid_until = DateField(_l("Valid until"), validators=[DataRequired(REQUIRED)])
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Approve"))


class DeclineForm(Form):
    reason = StringField(_l("Reason, shown to the reader"),
                         validators=[DataRequired(REQUIRED), Length(max=500)])
    submit = SubmitField(_l("Decline"))


@bp.route("/works/<int:work_id>/request-onsite", methods=["GET", "POST"])
@login_required
def new(work_id: int):
    actor = current_actor()
    work = works.get_visible(db.session(), actor, work_id)
    form = OnsiteRequestForm()
    if form.validate_on_submit():
        upload = form.letter.data
        try:
            onsite.create(db.session(), actor, work.id, form.purpose.data or "", upload.stream,
                          upload.filename or "letter")
            flash(_("Your request was sent to the library. Once it is approved, read the work "
                    "from a computer in the reading room."))
            return redirect(url_for("onsite.mine"))
        except UserError as exc:
            if exc.status != 400:
                raise
            target = getattr(form, exc.field, None) or form.purpose
            target.errors = [*target.errors, exc.translated()]
    status = 400 if request.method == "POST" else 200
    return render_template("onsite/new.html", work=work, form=form,
                           allowed=onsite.may_request(actor, work)), status


@bp.get("/my/onsite-requests")
@login_required
def mine():
    return render_template("onsite/mine.html",
                           requests=onsite.mine(db.session(), current_actor()))


@bp.get("/onsite-requests")
@login_required
def queue():
    today = date.today()
    approve_form = ApproveForm(data={"valid_from": today,
                                     "valid_until": today + timedelta(days=30)})
    return render_template("onsite/queue.html",
                           requests=onsite.queue(db.session(), current_actor()),
                           approve_form=approve_form, decline_form=DeclineForm())


@bp.get("/onsite-requests/<int:request_id>/letter")
@login_required
def letter(request_id: int) -> Response:
    row, stream = onsite.letter(db.session(), current_actor(), request_id)
    response = send_file(stream, mimetype=row.letter_media_type, download_name=row.letter_name,
                         as_attachment=True, max_age=0)
    response.headers["Cache-Control"] = "no-store, private"
    return response


@bp.post("/onsite-requests/<int:request_id>/approve")
@login_required
def approve(request_id: int):
    form = ApproveForm()
    if not form.validate_on_submit():
        return _invalid(form)
    return answer(lambda: onsite.approve(db.session(), current_actor(), request_id,
                                          form.valid_from.data, form.valid_until.data,
                                          form.note.data or ""),
                  _("On-site reading approved."), "onsite.queue")


@bp.post("/onsite-requests/<int:request_id>/decline")
@login_required
def decline(request_id: int):
    form = DeclineForm()
    if not form.validate_on_submit():
        return _invalid(form)
    return answer(lambda: onsite.decline(db.session(), current_actor(), request_id,
                                          form.reason.data or ""),
                  _("The request was declined."), "onsite.queue")


def _invalid(form: Form):
    onsite.require_staff(current_actor())
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")
    return redirect(url_for("onsite.queue"))


@bp.get("/restricted-resources")
def restricted_resources():
    entries = restricted_list.entries(db.session())
    return render_template("onsite/restricted.html", entries=entries)


@bp.get("/restricted-resources.csv")
def restricted_resources_csv() -> Response:
    body = restricted_list.as_csv(restricted_list.entries(db.session()))
    return Response("\ufeff" + body, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="restricted-resources.csv"'})
