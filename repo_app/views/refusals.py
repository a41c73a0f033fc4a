"""403 pages that are not dead ends: a refused reader or download address says what to do next.

The refusal names the work and file it is about (``errors.Forbidden``); the
next steps come from ``services.next_steps``, as on the work page, and the
page keeps the site's layout (``templates/error.html``).
"""

from __future__ import annotations

from flask import Flask

from repo_app import db, errors
from repo_app.actors import current_actor
from repo_app.errors import Forbidden
from repo_app.services import next_steps


def refused(exc: Forbidden):
    steps = None
    if exc.work_id is not None:
        steps = next_steps.after_refusal(db.session(), current_actor(), exc.work_id, exc.file_id)
    return errors.render_refusal(exc, next_steps=steps)


def init_app(app: Flask) -> None:
    app.register_error_handler(Forbidden, refused)
