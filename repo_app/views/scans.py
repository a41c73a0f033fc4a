"""Librarians: the scanning station (``/scans/new``), page images of one holding to a work."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from repo_app import db
from repo_app.actors import current_actor
from repo_app.errors import UserError
from repo_app.forms import ScanForm, join_list, split_list
from repo_app.services import files, scanning, works

bp = Blueprint("scans", __name__)


def _fill_from_holding(form: ScanForm) -> None:
    """Empty description fields take what the holding says (a lookup that fails says nothing
    here: publishing names the problem on the holding field)."""
    try:
        holding = scanning.find_holding(db.session(), form.holding.data or "")
    except UserError:
        return
    if holding is None:
        return
    known = scanning.prefill(holding)
    if not (form.title.data or "").strip() and "title" in known:
        form.title.data = known["title"]
    if not split_list(form.creators.data) and "creators" in known:
        form.creators.data = join_list(known["creators"])
    typed_year = bool(form.year.raw_data and form.year.raw_data[0].strip())
    if form.year.data is None and not typed_year and "year" in known:
        form.year.data = known["year"]
    if request.method == "GET" and "type" in known:
        form.type.data = known["type"]


def _fields(form: ScanForm) -> works.WorkFields:
    return works.WorkFields(title=(form.title.data or "").strip(), type=form.type.data,
                            year=form.year.data, creators=split_list(form.creators.data),
                            language=form.language.data)


def _images(form: ScanForm) -> tuple[files.StagedFile, int | None] | None:
    """This request's page images, checked and staged as one ZIP, or those of an earlier try.

    The staged ZIP's token travels back in the form, so a form shown again
    for a missing title keeps the pages already uploaded.
    """
    actor = current_actor()
    uploads = [scanning.Upload(u.stream, u.filename)
               for u in request.files.getlist(form.images.name) if u and u.filename]
    if not uploads:
        earlier = files.from_token(actor, form.staged.data or "")
        if earlier is None:
            form.images.errors = [*form.images.errors, _(
                "Choose the page images (TIFF, JPEG or PNG) or one ZIP of them.")]
        return (earlier, None) if earlier else None
    try:
        staged, pages = scanning.receive_upload(
            uploads, owner=actor.user_id, name=f"{form.holding.data or 'scan'}.zip")
    except UserError as exc:
        form.images.errors = [*form.images.errors, exc.translated()]
        form.staged.data = ""
        return None
    form.staged.data = files.token_for(actor, staged)
    return staged, pages


@bp.route("/scans/new", methods=["GET", "POST"])
@login_required
def new():
    scanning.require_scanner(current_actor())
    form = ScanForm()
    staged_name = ""
    if request.method == "GET":
        form.holding.data = request.args.get("holding", "")
        _fill_from_holding(form)
        return render_template("scans/new.html", form=form, staged_name=staged_name)
    valid = form.validate()  # before the images: validate() resets every field's errors
    _fill_from_holding(form)
    images = _images(form)
    if images is not None:
        staged_name = images[0].name
    if valid and images is not None:
        staged, pages = images
        settings = works.AccessSettings(level=form.access_level.data,
                                        embargo_until=form.embargo_until.data,
                                        reason="scanning station")
        try:
            work = scanning.publish_scan(db.session(), current_actor(), form.holding.data,
                                         _fields(form), settings, staged, pages=pages)
        except UserError as exc:
            target = getattr(form, exc.field, None) if exc.field else None
            target = target if target is not None else form.images
            target.errors = [*target.errors, exc.translated()]
        else:
            if pages:
                flash(ngettext("The scan was published with %(num)s page; its text is being "
                               "recognised (OCR) in the background.",
                               "The scan was published with %(num)s pages; its text is being "
                               "recognised (OCR) in the background.", pages))
            else:
                flash(_("The scan was published; its text is being recognised (OCR) in the "
                        "background."))
            return redirect(url_for("public.work", work_id=work.id))
    return render_template("scans/new.html", form=form, staged_name=staged_name), 400
