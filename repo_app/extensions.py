"""Flask extensions: login, CSRF, translations, proxy trust and security headers."""

from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from repo_app import db, rate_limits, templating
from repo_app.config import LOCALES
from repo_app.models import User
from repo_app.proxies import TrustedProxies
from repo_app.services import sessions

login_manager = LoginManager()
csrf = CSRFProtect()
# No default limits: only the routes that name a limit (login) are counted.
limiter = Limiter(key_func=lambda: request.remote_addr or "?")
babel = Babel()


def chosen_locale() -> str | None:
    """The language the reader chose (?lang=, then the cookie /lang/<code> sets), if any."""
    chosen = request.args.get("lang") or request.cookies.get("lang")
    return chosen if chosen in LOCALES else None


def account_locale() -> str | None:
    """The language the logged-in account last chose (``User.locale``, set by /lang/<code>
    and at login): it follows the librarian to a browser that has no cookie yet."""
    remembered = getattr(current_user, "locale", None)  # a guest has none
    return remembered if remembered in LOCALES else None


def select_locale() -> str:
    """The reader's choice in this browser, else their account's, else the site's default
    language (Vietnamese unless configured)."""
    return chosen_locale() or account_locale() or current_app.config["DEFAULT_LOCALE"]


SESSION_TOKEN = "login"  # the key in Flask's session holding the server session's token


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The account, only while its server-side session lives (``services.sessions``)."""
    return sessions.resume(db.session(), user_id, session.get(SESSION_TOKEN))


def init_app(app: Flask) -> None:
    if app.config["TRUSTED_PROXIES"]:
        # Only then is X-Forwarded-For believed; otherwise a forged header changes nothing.
        app.wsgi_app = TrustedProxies(app.wsgi_app, app.config["TRUSTED_PROXIES"])
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    csrf.init_app(app)
    rate_limits.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(app.root_path + "/translations"))
    app.after_request(_security_headers)
    templating.init_app(app)


def _security_headers(response):
    if current_app.config.get("HSTS_SECONDS"):
        response.headers.setdefault("Strict-Transport-Security",
                                    f"max-age={current_app.config['HSTS_SECONDS']}")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'",
    )
    return response
