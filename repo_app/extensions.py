"""Flask extensions: login, CSRF, translations, proxy trust and security headers."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from repo_app import db, templating
from repo_app.config import LOCALES
from repo_app.models import User
from repo_app.proxies import TrustedProxies

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def select_locale() -> str:
    """The reader's choice (cookie, then ?lang=), else Vietnamese."""
    chosen = request.args.get("lang") or request.cookies.get("lang")
    return chosen if chosen in LOCALES else current_app.config["DEFAULT_LOCALE"]


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session().get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def init_app(app: Flask) -> None:
    if app.config["TRUSTED_PROXIES"]:
        # Only then is X-Forwarded-For believed; otherwise a forged header changes nothing.
        app.wsgi_app = TrustedProxies(app.wsgi_app, app.config["TRUSTED_PROXIES"])
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    csrf.init_app(app)
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
