"""The librarian's guide, ``/guide`` and ``/guide/<topic>``, in the reader's language."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_login import login_required

from repo_app.actors import current_actor
from repo_app.services import guide

bp = Blueprint("guide", __name__, url_prefix="/guide")


@bp.get("/")
@login_required
def index():
    return render_template("guide/index.html", topics=guide.topics(current_actor()))


@bp.get("/<slug>")
@login_required
def topic(slug: str):
    actor = current_actor()
    found, template = guide.page(actor, slug, str(get_locale() or ""))
    return render_template(template, topic=found, topics=guide.topics(actor))
