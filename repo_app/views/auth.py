"""Logging in and out.

Failed logins are throttled per account and per address (Flask-Limiter,
counters shared by every process: ``rate_limits``); an unknown account gets
the same answer, after the same work, as a wrong password. A login is a
session row on the server (``services.sessions``), which logging out deletes.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from repo_app import db
from repo_app.extensions import SESSION_TOKEN, chosen_locale, limiter
from repo_app.forms import LoginForm
from repo_app.services import sessions, users
from repo_app.views.redirects import safe_next

bp = Blueprint("auth", __name__)


def _failed(response) -> bool:
    """Only failed attempts count: a successful login redirects."""
    return response.status_code != 302


def _account_key() -> str:
    return "login-account:" + users.normalize_email(request.form.get("email", ""))[:254]


def _address_key() -> str:
    return "login-address:" + (request.remote_addr or "?")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_ADDRESS"], key_func=_address_key,
               methods=["POST"], deduct_when=_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_ACCOUNT"], key_func=_account_key,
               methods=["POST"], deduct_when=_failed)
def login() -> ResponseReturnValue:
    form = LoginForm()
    if request.method == "GET":
        # The one ``next`` field: where a guest sent here (from "request a copy") returns.
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        logged_in = sessions.log_in(db.session(), form.email.data, form.password.data,
                                    locale=chosen_locale())
        if logged_in is not None:
            user, token = logged_in
            session.clear()
            login_user(user)
            session[SESSION_TOKEN] = token
            return redirect(safe_next(form.next.data))
        form.password.errors.append(_("Wrong e-mail or password."))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    sessions.end(db.session(), session.get(SESSION_TOKEN))
    logout_user()
    session.pop(SESSION_TOKEN, None)
    flash(_("You have logged out."))
    return redirect(safe_next(None))
