"""What every template can use: the actor, vocabulary labels, badges, and the locale's formats.

Dates, times and numbers are written by ``repo_app.localformats`` (Flask-Babel's
formatters), so a Vietnamese page reads 36,8% and 31/12/2025, and times are
shown in the site's time zone (``BABEL_DEFAULT_TIMEZONE``, Vietnam's by
default) rather than UTC.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from repo_app import serialize, vocab
from repo_app.access import effective_level
from repo_app.actors import current_actor
from repo_app.localformats import local_date, local_time, number, percent
from repo_app.services import job_failures, pages, site_info
from search.collation import sort_key
from search.results import FacetValue


def access_badge(level: str, embargo_until: date | None = None) -> str:
    """The badge text for a level: 'Embargoed until 2027-01-31' says when it opens."""
    if level == vocab.AccessLevel.EMBARGOED and embargo_until is not None:
        return _("Embargoed until %(date)s", date=local_date(embargo_until))
    return str(vocab.ACCESS_LABELS.get(level, level))


def audit_action(code: str) -> str:
    """An audit event's name ("Work published" for ``work.published``), its code when new."""
    return str(vocab.AUDIT_ACTION_LABELS.get(code, code))


def audit_field(name: str) -> str:
    return str(vocab.AUDIT_FIELD_LABELS.get(name, name))


AUDIT_VALUE_LABELS = {"access_level": vocab.ACCESS_LABELS,
                      "access_after_embargo": vocab.ACCESS_LABELS,
                      "status": vocab.STATUS_LABELS, "role": vocab.ROLE_LABELS,
                      "accepted_by": vocab.LICENCE_ACCEPTER_LABELS}


def audit_value(name: str, value: Any) -> str:
    """A recorded value as a librarian reads it: level and state names, local dates, — for
    none (never ``None``)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if name in AUDIT_VALUE_LABELS:
        return str(AUDIT_VALUE_LABELS[name].get(value, value))
    if name == "embargo_until":
        return local_date(date.fromisoformat(str(value)))
    return str(value)


def _site() -> dict[str, Any]:
    """The header's logo and the footer's contact and policies (services.site_info)."""
    return {"logo_url": site_info.logo_url(), "contact": site_info.contact(),
            "policies_url": site_info.policies_url()}


def _globals() -> dict[str, Any]:
    actor = current_actor()
    menu = pages.menu(actor)
    return {
        "actor": actor,
        "can_deposit": menu.deposit,
        "can_review": menu.review,
        "can_digitize": menu.digitize,
        "can_manage_accounts": menu.accounts,
        "institution": current_app.config["INSTITUTION_NAME"],
        "site": _site(),
        "locale": str(get_locale()),
        "labels": {
            "type": vocab.TYPE_LABELS,
            "access": vocab.ACCESS_LABELS,
            "status": vocab.STATUS_LABELS,
            "degree_level": vocab.DEGREE_LEVEL_LABELS,
            "language": vocab.LANGUAGE_LABELS,
            "extraction": vocab.EXTRACTION_LABELS,
            "role": vocab.ROLE_LABELS,
        },
    }


def status_label(status: str) -> str:
    """A workflow state's name (awaiting review, published…), its code when unknown."""
    return str(vocab.STATUS_LABELS.get(status, status))


def facet_label(name: str, value: str) -> str:
    """Show codes (types, levels, languages) by their label, other values as they are."""
    if name == "source" and value == "local":
        return current_app.config["INSTITUTION_NAME"]
    table = {
        "type": vocab.TYPE_LABELS,
        "access": vocab.ACCESS_LABELS,
        "degree_level": vocab.DEGREE_LEVEL_LABELS,
        "language": vocab.LANGUAGE_LABELS,
    }.get(name, {})
    return str(table.get(value, value))


def facet_list(name: str, values: list[FacetValue], *,
               alphabetical: bool = False) -> list[FacetValue]:
    """A facet's values as a page lists them, by the names it shows, in the page's language:
    years as the index gives them (newest first); other values most frequent first (filters)
    or all alphabetically (browse lists), in Vietnamese dictionary order ("Đ" after "D")."""
    if name == "year":
        return values

    def shown(value: FacetValue) -> tuple[str, str, str, str]:
        return sort_key(facet_label(name, value.value))
    if alphabetical:
        return sorted(values, key=shown)
    return sorted(values, key=lambda v: (-v.count, shown(v)))


def init_app(app: Flask) -> None:
    app.context_processor(_globals)
    app.add_template_global(access_badge)
    app.add_template_filter(local_date)
    for formatter in (local_time, number, percent):
        app.add_template_filter(formatter)
    for helper in (audit_action, audit_field, audit_value):
        app.add_template_global(helper)
    app.add_template_global(facet_label)
    app.add_template_global(facet_list)
    app.add_template_global(status_label)
    app.add_template_global(job_failures.explain, name="job_failure")
    app.add_template_global(effective_level)
    app.add_template_global(serialize.hit_url)
