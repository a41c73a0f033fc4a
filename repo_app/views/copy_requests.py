"""Request a copy: the requester's form and "my requests", the librarians' queue and decisions."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from repo_app import db
from repo_app.actors import current_actor
from repo_app.errors import UserError
from repo_app.forms import REQUIRED, Form
from repo_app.services import copy_requests, works
from repo_app.views import links
from repo_app.views.decisions import answer

bp = Blueprint("copy_requests", __name__)


class CopyRequestForm(Form):
    """No address field on purpose: the request goes to the librarians, nowhere else."""

    message = TextAreaField(_l("Why you need this work (optional)"),
                            validators=[Optional(), Length(max=copy_requests.MAX_MESSAGE_CHARS)])
    submit = SubmitField(_l("Send the request to the library"))


class GrantForm(Form):
    days = IntegerField(_l("Days of access"), default=copy_requests.DEFAULT_GRANT_DAYS,
                        validators=[DataRequired(REQUIRED),
                                    NumberRange(1, copy_requests.MAX_GRANT_DAYS)])
    reason = StringField(_l("Note (optional)"),
                         validators=[Optional(), Length(max=copy_requests.MAX_REASON_CHARS)])
    submit = SubmitField(_l("Grant access"))


class DeclineForm(Form):
    reason = StringField(_l("Reason, sent to the requester"),
                         validators=[DataRequired(REQUIRED),
                                     Length(max=copy_requests.MAX_REASON_CHARS)])
    submit = SubmitField(_l("Decline"))


@bp.route("/works/<int:work_id>/request-copy", methods=["GET", "POST"])
@login_required
def new(work_id: int):
    actor = current_actor()
    work = works.get_visible(db.session(), actor, work_id)
    form = CopyRequestForm()
    if form.validate_on_submit():
        try:
            copy_requests.create(db.session(), actor, work.id, form.message.data or "")
            flash(_("Your request was sent to the library. You will find the answer under "
                    "“My requests”."))
            return redirect(url_for("copy_requests.mine"))
        except UserError as exc:
            if exc.status != 400:
                raise
            form.message.errors = [*form.message.errors, exc.translated()]
    status = 400 if request.method == "POST" else 200
    return render_template("requests/new.html", work=work, form=form,
                           allowed=copy_requests.may_request(actor, work)), status


@bp.get("/my/requests")
@login_required
def mine():
    actor = current_actor()
    return render_template("requests/mine.html",
                           requests=copy_requests.mine(db.session(), actor),
                           notifications=copy_requests.notifications_for(db.session(), actor))


@bp.get("/requests")
@login_required
def queue():
    return render_template("requests/queue.html",
                           requests=copy_requests.pending(db.session(), current_actor()),
                           grant_form=GrantForm(), decline_form=DeclineForm())


@bp.post("/requests/<int:request_id>/grant")
@login_required
def grant(request_id: int):
    form = GrantForm()
    return answer(lambda: copy_requests.grant(db.session(), current_actor(), request_id,
                                               form.days.data, form.reason.data or "",
                                               links.CONFIGURED),
                  _("Access granted."), "copy_requests.queue")


@bp.post("/requests/<int:request_id>/decline")
@login_required
def decline(request_id: int):
    form = DeclineForm()
    return answer(lambda: copy_requests.decline(db.session(), current_actor(), request_id,
                                                 form.reason.data or "", links.CONFIGURED),
                  _("The request was declined and the requester told why."),
                  "copy_requests.queue")
