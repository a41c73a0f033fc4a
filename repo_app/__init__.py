"""The repository's Flask application.

``create_app`` reads like a table of contents: configuration, extensions,
resources, blueprints, CLI, error handlers, background hooks. Nothing happens at
import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


class Repository(Flask):
    """Flask, with every absolute URL built on ``REPO_BASE_URL``.

    Absolute links end up in the sitemap, OAI-PMH, citation tags, API answers
    and mail; building them from the request's Host header would let anyone
    who sends a forged Host put their own address there.
    """

    def url_for(self, endpoint: str, *, _external: bool | None = None, **values: Any) -> str:
        if not _external:
            return super().url_for(endpoint, _external=_external, **values)
        values.pop("_scheme", None)
        path = super().url_for(endpoint, _external=False, **values)
        return self.config["BASE_URL"].rstrip("/") + path


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    from repo_app import cli, config, db, errors, extensions, resources, routing, views
    from repo_app.services import embargoes

    app = Repository(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(Path(__file__).parent / "static"),
    )
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.update(test_config)
    config.apply_environment(app.config)
    # One file at the upload limit and the form around it: a request cannot carry more.
    app.config["MAX_CONTENT_LENGTH"] = (app.config["MAX_UPLOAD_MB"] + 16) * 1024 * 1024
    extensions.init_app(app)
    db.init_app(app)
    resources.init_app(app)
    routing.init_app(app)
    views.register(app)
    cli.register(app)
    errors.register(app)
    embargoes.install_hourly(app)
    return app
