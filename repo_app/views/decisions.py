"""A librarian's decision on a request (copy or on-site reading), answered the same way."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, url_for
from werkzeug.wrappers import Response

from repo_app.errors import UserError


def answer(decision: Callable[[], object], done: str, back: str) -> Response:
    """Run a librarian's decision; a refusal the form can show (400) becomes a message.

    The service checks who asks before what they typed, so anyone but a
    librarian gets a 403 whatever the form holds (CSRF is checked app-wide).
    ``back`` is the endpoint of the queue the decision was made from.
    """
    try:
        decision()
        flash(done)
    except UserError as exc:
        if exc.status != 400:
            raise
        flash(exc.translated(), "error")
    return redirect(url_for(back))
