"""Librarians: the review queue, accepting or returning works, access changes, re-extraction."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from repo_app import db
from repo_app.access import Actor
from repo_app.actors import current_actor
from repo_app.errors import UserError
from repo_app.forms import AccessForm, ActionForm, ReviewForm
from repo_app.models import Work
from repo_app.services import works
from repo_app.vocab import AccessLevel

bp = Blueprint("review", __name__)


def _settings(form: ReviewForm | AccessForm) -> works.AccessSettings:
    return works.AccessSettings(
        level=form.access_level.data,
        embargo_until=form.embargo_until.data,
        after_embargo=form.access_after_embargo.data,
        reason=(form.reason.data or "").strip(),
    )


def _field_error(form, exc: UserError) -> None:
    target = getattr(form, exc.field, None) if exc.field else None
    if target is None:
        flash(exc.translated(), "error")
    else:
        target.errors = [*target.errors, exc.translated()]


@bp.get("/review")
@login_required
def queue():
    return render_template("review/queue.html", works=works.review_queue(db.session(), current_actor()))


def _reviewable(work_id: int) -> tuple[Actor, Work]:
    actor = current_actor()
    return actor, works.get_reviewable(db.session(), actor, work_id)


def _form_page(template: str, work, form, change: Callable[[], str]):
    """Show the form; on a valid submission make the change and go back to the work.

    ``change`` returns the message to flash; a refusal lands on its field.
    """
    if form.validate_on_submit():
        try:
            flash(change())
            return redirect(url_for("public.work", work_id=work.id))
        except UserError as exc:
            _field_error(form, exc)
    status = 400 if request.method == "POST" else 200
    return render_template(template, work=work, form=form), status


@bp.route("/review/<int:work_id>", methods=["GET", "POST"])
@login_required
def decide_work(work_id: int):
    actor, work = _reviewable(work_id)
    form = ReviewForm(obj=work)
    if request.method == "GET" and work.embargo_requested_until and work.embargo_until is None:
        # The depositor's request, ready to accept as it is or to change.
        form.access_level.data = AccessLevel.EMBARGOED.value
        form.embargo_until.data = work.embargo_requested_until
        form.reason.data = work.embargo_request_reason[:500]

    def review() -> str:
        comment = form.comment.data or ""
        if form.return_work.data:
            works.return_to_depositor(db.session(), actor, work, comment)
            return _("The work was returned to its depositor.")
        works.publish(db.session(), actor, work, _settings(form), comment)
        return _("The work is published.")

    return _form_page("review/work.html", work, form, review)


@bp.route("/works/<int:work_id>/access", methods=["GET", "POST"])
@login_required
def change_access(work_id: int):
    actor, work = _reviewable(work_id)
    form = AccessForm(obj=work)

    def change() -> str:
        works.set_access(db.session(), actor, work, _settings(form))
        return _("Access level changed.")

    return _form_page("review/access.html", work, form, change)


@bp.post("/works/<int:work_id>/reextract")
@login_required
def reextract(work_id: int):
    actor, work = _reviewable(work_id)
    if ActionForm().validate_on_submit():
        works.reextract(db.session(), actor, work)
        flash(_("Text extraction was run again."))
    return redirect(url_for("public.work", work_id=work.id))


@bp.post("/works/<int:work_id>/withdraw")
@login_required
def withdraw(work_id: int):
    actor, work = _reviewable(work_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            works.withdraw(db.session(), actor, work, form.reason.data or "")
            flash(_("The work was withdrawn."))
        except UserError as exc:
            flash(exc.translated(), "error")
    return redirect(url_for("public.work", work_id=work.id))
