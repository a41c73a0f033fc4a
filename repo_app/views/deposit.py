"""Depositors: the deposit form, editing a draft, and the list of their works."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from repo_app import db
from repo_app.actors import current_actor
from repo_app.errors import UserError
from repo_app.forms import WorkForm, join_list, split_list
from repo_app.services import files, site_info, works
from repo_app.services.deposit_terms import DepositTerms

bp = Blueprint("deposit", __name__)


def _fields(form: WorkForm) -> works.WorkFields:
    return works.WorkFields(
        title=form.title.data.strip(),
        alt_title=(form.alt_title.data or "").strip(),
        creators=split_list(form.creators.data),
        advisors=split_list(form.advisors.data),
        type=form.type.data,
        year=form.year.data,
        language=form.language.data,
        collection_id=form.collection_id.data or None,
        degree_name=(form.degree_name.data or "").strip(),
        degree_level=form.degree_level.data,
        discipline=(form.discipline.data or "").strip(),
        grantor=(form.grantor.data or "").strip(),
        abstract=(form.abstract.data or "").strip(),
        keywords=split_list(form.keywords.data),
        title_en=(form.title_en.data or "").strip(),
        abstract_en=(form.abstract_en.data or "").strip(),
        keywords_en=split_list(form.keywords_en.data),
    )


def _terms(form: WorkForm) -> DepositTerms:
    """The licence (its text, when ticked) and the embargo asked for."""
    return DepositTerms(
        licence=site_info.licence_text() if form.accept_licence.data else "",
        embargo_until=form.embargo_requested_until.data,
        embargo_reason=(form.embargo_request_reason.data or "").strip(),
    )


def _prepare(form: WorkForm) -> None:
    form.collection_id.choices = [(0, "—")] + [(c.id, c.name) for c in works.collections(db.session())]


def _stage_uploads(form: WorkForm) -> list[files.StagedFile]:
    """Store this request's uploads and earlier staged ones; errors go onto the files field.

    The staged tokens travel back in the form, so a form shown again after
    an error keeps the files already uploaded.
    """
    actor = current_actor()
    staged = [s for t in (form.staged.data or "").split() if (s := files.from_token(actor, t))]
    for upload in request.files.getlist(form.files.name):
        if not upload or not upload.filename:
            continue
        try:
            staged.append(files.stage(upload.stream, upload.filename, owner=actor.user_id))
        except UserError as exc:
            form.files.errors = [*form.files.errors, exc.translated()]
    unique = list({s.sha256: s for s in staged}.values())
    form.staged.data = " ".join(files.token_for(actor, s) for s in unique)
    return unique


def _save(form: WorkForm, work=None):
    """Validate and save; on any error, the form comes back with everything kept."""
    valid = form.validate()  # before staging: validate() resets every field's errors
    staged = _stage_uploads(form)
    if not valid or form.files.errors:
        return None, staged
    submit = bool(form.submit_work.data)
    try:
        if work is None:
            work = works.create(db.session(), current_actor(), _fields(form), staged,
                                submit=submit, terms=_terms(form))
        else:
            works.update(db.session(), current_actor(), work, _fields(form), staged,
                         submit=submit, terms=_terms(form))
    except UserError as exc:
        target = getattr(form, exc.field, form.files) if exc.field else form.files
        target.errors = [*target.errors, exc.translated()]
        return None, staged
    flash(_("Your work was submitted for review.") if submit else _("Draft saved."))
    return work, []


# The header static/site.js sends when it uploads the form itself to show its progress.
UPLOAD_SCRIPT = "X-Upload-Progress"


def _go(url: str):
    """Where to go after a save: a redirect, or, for the upload script, the address alone
    (204 and X-Redirect), so the page it then opens still carries the flash message."""
    if request.headers.get(UPLOAD_SCRIPT):
        return Response(status=204, headers={"X-Redirect": url})
    return redirect(url)


@bp.route("/deposit", methods=["GET", "POST"])
@login_required
def new():
    works.require_depositor(current_actor())
    form = WorkForm()
    _prepare(form)
    staged: list[files.StagedFile] = []
    if request.method == "POST":
        work, staged = _save(form)
        if work is not None:
            return _go(url_for("public.work", work_id=work.id))
    status = 400 if request.method == "POST" else 200
    return render_template("deposit/form.html", form=form, staged=staged, work=None,
                           licence=site_info.licence_text()), status


@bp.route("/works/<int:work_id>/edit", methods=["GET", "POST"])
@login_required
def edit(work_id: int):
    work = works.get_editable(db.session(), current_actor(), work_id)
    form = WorkForm(obj=work) if request.method == "GET" else WorkForm()
    _prepare(form)
    if request.method == "GET":
        form.creators.data = join_list(work.creators)
        form.advisors.data = join_list(work.advisors)
        form.keywords.data = join_list(work.keywords)
        form.keywords_en.data = join_list(work.keywords_en)
        form.collection_id.data = work.collection_id or 0
    staged: list[files.StagedFile] = []
    if request.method == "POST":
        saved, staged = _save(form, work)
        if saved is not None:
            return _go(url_for("public.work", work_id=work.id))
    status = 400 if request.method == "POST" else 200
    return render_template("deposit/form.html", form=form, staged=staged, work=work,
                           licence=site_info.licence_text()), status


@bp.get("/my/works")
@login_required
def mine():
    return render_template("deposit/mine.html", works=works.my_works(db.session(), current_actor()))
