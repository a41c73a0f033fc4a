"""Errors a user can cause (values with a translatable message) and the HTTP error pages.

A ``UserError`` carries a stable ``code`` (for the API), an English message
template (``%(name)s`` placeholders) that is also the gettext msgid, and its
parameters, so the same error reads in Vietnamese on the web and in English
in a log or on the command line.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, jsonify, make_response, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException


class UserError(Exception):
    """Something the user did that we refuse, with a message they can act on."""

    def __init__(self, code: str, message: str, status: int = 400, field: str = "", **params: Any):
        super().__init__(message % params if params else message)
        self.code = code
        self.template = message
        self.status = status
        self.field = field
        self.params = params

    def translated(self) -> str:
        """The message in the request's language."""
        return gettext(self.template, **self.params) if self.params else gettext(self.template)


class NotFound(UserError):
    def __init__(self) -> None:
        super().__init__("not_found", "Not found.", status=404)


class LoginRequired(UserError):
    """Only for members: a guest on a page is sent to log in, a script gets a 401."""

    def __init__(self) -> None:
        super().__init__("login_required", "Log in to see this page.", status=401)


class Forbidden(UserError):
    """A refusal; ``work_id`` and ``file_id`` say what was refused, so the page can tell
    the reader what to do next (log in, the reading room, a copy request…)."""

    def __init__(self, reason: str = "", work_id: int | None = None,
                 file_id: int | None = None) -> None:
        super().__init__("forbidden", "You are not allowed to do this.", status=403)
        self.reason = reason
        self.work_id = work_id
        self.file_id = file_id


def _wants_json() -> bool:
    return request.path.startswith("/api/")


STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 413: "too_large", 429: "too_many_requests",
                503: "unavailable"}


def _render(status: int, message: str, code: str | None = None, field: str | None = None,
            **context: Any):
    if _wants_json():
        body = {"code": code or STATUS_CODES.get(status, "error"), "message": message}
        if field:
            body["field"] = field  # the input the error is about, for scripts
        return jsonify({"error": body}), status
    if request_ctx.url_adapter is None:
        # The request was refused before routing (an unknown Host header): the page's
        # links cannot be built, so the message goes out alone.
        return Response(message, status=status, mimetype="text/plain")
    return render_template("error.html", status=status, message=message, **context), status


def render_refusal(exc: Forbidden, **context: Any):
    """The 403 answer, with what the page may add (the next steps) for a browser."""
    return _render(exc.status, exc.translated(), exc.code, exc.field, **context)


RETRY_AFTER_SECONDS = 5


def _forget_user() -> None:
    """Render the error page as for a guest: loading the account would ask the database again."""
    from flask_login import AnonymousUserMixin

    g._login_user = AnonymousUserMixin()


def _with_header(rendered, name: str, value: str):
    response = make_response(rendered)
    response.headers[name] = value
    return response


def register(app: Flask) -> None:
    """Error pages that never show a stack trace, a path, or restricted text."""

    @app.errorhandler(UserError)
    def user_error(exc: UserError):
        return _render(exc.status, exc.translated(), exc.code, exc.field)

    @app.errorhandler(LoginRequired)
    def login_required(exc: LoginRequired):
        if _wants_json():
            return _render(exc.status, exc.translated(), exc.code)
        return current_app.login_manager.unauthorized()

    @app.errorhandler(CSRFError)
    def form_expired(exc: CSRFError):
        # Flask-WTF's reasons ("The CSRF token is missing.") are English and mean nothing
        # to a reader; what happened to them is that the form is stale or not ours.
        return _render(400, gettext("This form has expired or did not come from this site. Go "
                                    "back, reload the page and send it again; nothing was "
                                    "saved."), "csrf")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {
            400: gettext("The request could not be understood."),
            403: gettext("You are not allowed to see this page."),
            404: gettext("The page you asked for does not exist."),
            405: gettext("This method is not allowed here."),
            413: gettext("The upload is too large."),
            429: gettext("Too many requests; please wait a moment."),
        }
        status = exc.code or 500
        return _render(status, messages.get(status, gettext("Something went wrong.")))

    @app.errorhandler(OperationalError)
    def database_unavailable(exc: OperationalError):
        """The database is down, restarting or (SQLite) locked past the busy timeout: a
        moment's trouble, told as such; the next request opens a fresh connection."""
        app.logger.warning("database unavailable on %s: %s", request.path,
                           str(exc.orig).splitlines()[0] if exc.orig else exc.__class__.__name__)
        _forget_user()
        response = _render(503, gettext("The repository's database is busy or unreachable for a "
                                        "moment. Please try again in a few seconds."), "unavailable")
        return _with_header(response, "Retry-After", str(RETRY_AFTER_SECONDS))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        return _render(500, gettext("Something went wrong on our side. Please try again."))
