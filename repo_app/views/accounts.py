"""Accounts: an administrator's page (create, disable, change role) and the password reset."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from repo_app import db
from repo_app.actors import current_actor
from repo_app.errors import UserError
from repo_app.extensions import limiter
from repo_app.forms import AccountForm, ActionForm, ForgotPasswordForm, ResetPasswordForm, RoleForm
from repo_app.services import accounts

bp = Blueprint("accounts", __name__)


def _reset_link(token: str) -> str:
    return url_for("accounts.reset", token=token, _external=True)  # REPO_BASE_URL


@bp.route("/admin/users", methods=["GET", "POST"])
def admin():
    actor = current_actor()
    form = AccountForm()
    people = accounts.all_accounts(db.session(), actor)  # refuses anyone but administrators
    if form.validate_on_submit():
        try:
            user = accounts.create(db.session(), actor, form.email.data, form.role.data,
                                   form.name.data or "", _reset_link)
        except UserError as exc:
            form.email.errors.append(exc.translated())
        else:
            flash(_("Account %(email)s created; a link to set its password was sent.",
                    email=user.email))
            return redirect(url_for("accounts.admin"))
    return render_template("accounts/admin.html", form=form, people=people, role_form=RoleForm,
                           action_form=ActionForm()), 400 if form.errors else 200


@bp.post("/admin/users/<int:user_id>/role")
def change_role(user_id: int):
    form = RoleForm()
    if form.validate_on_submit():
        _apply(lambda: accounts.set_role(db.session(), current_actor(), user_id, form.role.data))
    return redirect(url_for("accounts.admin"))


@bp.post("/admin/users/<int:user_id>/<any(enable, disable):change>")
def change_active(user_id: int, change: str):
    if ActionForm().validate_on_submit():
        _apply(lambda: accounts.set_active(db.session(), current_actor(), user_id,
                                           change == "enable"))
    return redirect(url_for("accounts.admin"))


def _apply(change) -> None:
    try:
        user = change()
    except UserError as exc:
        if exc.status in (403, 404):
            raise
        flash(exc.translated(), "error")
    else:
        flash(_("Account %(email)s changed.", email=user.email))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_LIMIT"], methods=["POST"],
               key_func=lambda: "reset-address:" + (request.remote_addr or "?"))
@limiter.limit(lambda: current_app.config["RESET_LIMIT"], methods=["POST"],
               key_func=lambda: "reset-account:" + request.form.get("email", "").strip().lower())
def forgot():
    """Ask for a reset link; a few an hour per address and per account (no mail bombing)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_reset(db.session(), form.email.data, _reset_link)
        flash(_("If an account uses this address, a link to set a new password is on its way."))
        return redirect(url_for("auth.login"))
    return render_template("accounts/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(db.session(), token, form.password.data, form.confirmation.data)
        except UserError as exc:
            form.password.errors.append(exc.translated())
        else:
            flash(_("Your password was set. You can log in now."))
            return redirect(url_for("auth.login"))
    return render_template("accounts/reset.html", form=form), 400 if form.errors else 200
