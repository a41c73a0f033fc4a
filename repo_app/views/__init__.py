"""HTTP views, one blueprint per audience. Views parse a request, call a service, render."""

from __future__ import annotations

from flask import Flask

from repo_app.views import api, auth, deposit, public, reports, review
from repo_app.views import audit, copy_requests, reader
from repo_app.views import api_deposit, citations, crawlers, oai
from repo_app.views import agency, exports, harvesting, onsite
from repo_app.views import accounts
from repo_app.views import digitization
from repo_app.views import caching, refusals
from repo_app.views import scans
from repo_app.views import site
from repo_app.views import usage
from repo_app.views import guide

BLUEPRINTS = (public.bp, auth.bp, deposit.bp, review.bp, api.bp, reports.bp)
BLUEPRINTS += (reader.bp, copy_requests.bp, audit.bp)
BLUEPRINTS += (oai.bp, crawlers.bp, citations.bp, api_deposit.bp)
BLUEPRINTS += (harvesting.bp, exports.bp, onsite.bp, agency.bp)
BLUEPRINTS += (accounts.bp,)
BLUEPRINTS += (digitization.bp,)
BLUEPRINTS += (scans.bp,)
BLUEPRINTS += (site.bp,)
BLUEPRINTS += (usage.bp,)
BLUEPRINTS += (guide.bp,)


def register(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    caching.init_app(app)
    refusals.init_app(app)
