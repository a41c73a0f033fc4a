"""Librarians: the background jobs page and the OCR review list (``services.digitization``)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from repo_app import db
from repo_app.actors import current_actor
from repo_app.errors import UserError
from repo_app.forms import ActionForm, OcrCorrectionForm
from repo_app.routing import parse_id, parse_page
from repo_app.services import digitization

bp = Blueprint("digitization", __name__)


@bp.get("/jobs")
@login_required
def jobs():
    report = digitization.jobs_overview(db.session(), current_actor())
    return render_template("digitization/jobs.html", report=report, form=ActionForm())


@bp.post("/jobs/<int:job_id>/retry")
@login_required
def retry(job_id: int):
    return _retried(digitization.retry_jobs(db.session(), current_actor(), [job_id]))


@bp.post("/jobs/retry-failed")
@login_required
def retry_failed():
    return _retried(digitization.retry_jobs(db.session(), current_actor()))


def _retried(count: int) -> Response:
    if count:
        flash(ngettext("%(num)s failed job was queued again.",
                       "%(num)s failed jobs were queued again.", count))
    else:
        flash(_("No failed job was queued again."), "error")
    return redirect(url_for("digitization.jobs"))


@bp.get("/review/ocr")
@login_required
def ocr_list():
    listing = digitization.review_list(db.session(), current_actor(),
                                       parse_page(request.args.get("page")),
                                       parse_id(request.args.get("file")))
    return render_template("digitization/ocr_list.html", listing=listing)


@bp.get("/review/ocr/<int:page_id>")
@login_required
def ocr_page(page_id: int):
    item = digitization.review_item(db.session(), current_actor(), page_id)
    form = OcrCorrectionForm(text=item.page.text)
    return _review_page(item, form)


def _review_page(item: digitization.ReviewRow, form: OcrCorrectionForm, status: int = 200):
    return render_template("digitization/ocr_page.html", item=item, form=form,
                           action=ActionForm()), status


@bp.get("/review/ocr/<int:page_id>/image.png")
@login_required
def ocr_image(page_id: int):
    path = digitization.page_image(db.session(), current_actor(), page_id)
    response = send_file(path, mimetype="image/png", max_age=0)
    response.headers["Cache-Control"] = "no-store, private"
    return response


@bp.post("/review/ocr/<int:page_id>/accept")
@login_required
def ocr_accept(page_id: int):
    item = digitization.accept(db.session(), current_actor(), page_id)
    flash(_("Page %(page)s of %(file)s is accepted as recognised.", page=item.number,
            file=item.file.original_name))
    return redirect(url_for("digitization.ocr_list"))


@bp.post("/review/ocr/<int:page_id>/correct")
@login_required
def ocr_correct(page_id: int):
    actor = current_actor()
    form = OcrCorrectionForm()
    if form.validate_on_submit():
        try:
            item = digitization.correct(db.session(), actor, page_id, form.text.data or "")
        except UserError as exc:
            form.text.errors = [*form.text.errors, exc.translated()]
        else:
            flash(_("Page %(page)s of %(file)s is corrected; the file's text and the search "
                    "index are being rebuilt.", page=item.number, file=item.file.original_name))
            return redirect(url_for("digitization.ocr_list"))
    return _review_page(digitization.review_item(db.session(), actor, page_id), form, 400)


@bp.post("/review/ocr/<int:page_id>/rerun")
@login_required
def ocr_rerun(page_id: int):
    actor = current_actor()
    item = digitization.review_item(db.session(), actor, page_id)
    number, name = item.number, item.file.original_name
    try:
        digitization.rerun(db.session(), actor, page_id)
    except UserError as exc:
        flash(exc.translated(), "error")
        return redirect(url_for("digitization.ocr_page", page_id=page_id))
    flash(_("Page %(page)s of %(file)s is queued for OCR again.", page=number, file=name))
    return redirect(url_for("digitization.ocr_list"))
