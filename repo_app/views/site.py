"""The site's own identity: the favicon browsers ask for on every page, and the policies page."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, send_from_directory

from repo_app.services import site_info

bp = Blueprint("site", __name__)
# A day: browsers ask for /favicon.ico on every page and keep what they get.
FAVICON_MAX_AGE = 86400


@bp.get("/favicon.ico")
def favicon():
    """The configured icon (a redirect), else the one in static/ (a 404 here fills every log)."""
    configured = site_info.favicon_url()
    if configured:
        return redirect(configured)
    return send_from_directory(current_app.static_folder or "", "favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=FAVICON_MAX_AGE)


@bp.get("/policies")
def policies():
    """Access, deposit licence, takedown and contact: what the footer links to."""
    return render_template("site/policies.html", licence=site_info.licence_text())
