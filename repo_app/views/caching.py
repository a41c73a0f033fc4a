"""What shared caches may keep: nothing that depends on who or where the requester is.

A page for a logged-in member, an answer to a bearer token, and anything
asked from the campus or the reading room (search snippets from campus-only
text, a campus file) differ from what a guest off campus gets for the same
address. No header can tell a cache "vary by client network", so such
answers are ``private, no-store``: neither a proxy nor the browser's disk
(a shared reading-room computer) keeps them. Every answer varies by
``Cookie``, which carries both the session and the chosen language.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

from repo_app.actors import networks_of

PRIVATE = "private, no-store"


def init_app(app: Flask) -> None:
    app.after_request(mark_private_answers)


def mark_private_answers(response: Response) -> Response:
    if request.endpoint == "static":
        return response
    response.vary.add("Cookie")
    if depends_on_requester() and "no-store" not in response.headers.get("Cache-Control", ""):
        response.headers["Cache-Control"] = PRIVATE
    return response


def depends_on_requester() -> bool:
    """Whether the answer may differ for another requester asking the same address."""
    return (current_user.is_authenticated or "Authorization" in request.headers
            or bool(networks_of(request.remote_addr)))
