"""The librarian's guide: which topics there are, who may read them, which page holds each.

The guide is what library staff are trained from (the plan requires every
library worker to be trained), so it lives in the app next to the pages it
describes, one template per topic and language (``templates/guide/<lang>/``),
and is shown to staff: the same people who may open the reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from repo_app.access import Action, Actor, require
from repo_app.errors import NotFound

LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class Topic:
    slug: str
    title: object  # a lazy translation


TOPICS = (
    Topic("review", _l("Reviewing deposits")),
    Topic("access", _l("Access levels")),
    Topic("import", _l("Batch import")),
    Topic("scanning", _l("Scanning and OCR")),
    Topic("holdings", _l("Holdings and coverage")),
    Topic("reports", _l("Reports")),
)


def topics(actor: Actor) -> tuple[Topic, ...]:
    """The table of contents (staff only)."""
    require(actor, Action.VIEW_REPORTS)
    return TOPICS


def page(actor: Actor, slug: str, language: str) -> tuple[Topic, str]:
    """A topic and the template that holds it in ``language`` (Vietnamese when not known)."""
    require(actor, Action.VIEW_REPORTS)
    found = next((t for t in TOPICS if t.slug == slug), None)
    if found is None:
        raise NotFound()
    lang = language if language in LANGUAGES else LANGUAGES[0]
    return found, f"guide/{lang}/{slug}.html"
