"""Librarians: the harvest log, one table of runs per partner (pages, added, updated, deleted, errors)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from repo_app import db
from repo_app.actors import current_actor
from repo_app.services import harvest

bp = Blueprint("harvesting", __name__)


@bp.get("/harvest")
@login_required
def log():
    session, actor = db.session(), current_actor()
    partners = harvest.partners(session, actor)
    runs = harvest.runs(session, actor)
    by_partner = {p.id: [r for r in runs if r.partner_id == p.id] for p in partners}
    return render_template("harvest/log.html", partners=partners, runs=by_partner)
