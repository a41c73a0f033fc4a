"""Who runs the site and on what terms: the footer's contact, the policies page, the licence.

One place reads these settings, so the footer, the policies page and the
deposit form say the same thing; an empty setting falls back to a default
that is true for any library (docs: REPO_CONTACT_*, REPO_DEPOSIT_LICENCE).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

# The licence a depositor grants when nothing is configured: a non-exclusive right to keep,
# convert and show the work at the level the library sets, the author keeping copyright.
DEFAULT_LICENCE = (
    "I grant the library the non-exclusive right to keep, copy for preservation, convert to "
    "other formats and make available this work at the access level the library decides, "
    "under Vietnam's law. I keep the copyright. I confirm that the work is my own, that I may "
    "grant this licence, and that it contains no state secret and no personal data of others "
    "that may not be published."
)


@dataclass(frozen=True)
class Contact:
    """How to reach the library; each part may be empty when not configured."""

    email: str
    phone: str
    address: str

    def __bool__(self) -> bool:
        return bool(self.email or self.phone or self.address)


def contact() -> Contact:
    config = current_app.config
    return Contact(config["CONTACT_EMAIL"], config["CONTACT_PHONE"], config["CONTACT_ADDRESS"])


def licence_text() -> str:
    """The deposit licence: ``REPO_DEPOSIT_LICENCE`` as written, else the default, translated."""
    return current_app.config["DEPOSIT_LICENCE"] or _(DEFAULT_LICENCE)


def logo_url() -> str:
    """``REPO_LOGO_URL``, or empty for the logo in static/."""
    return current_app.config["LOGO_URL"]


def policies_url() -> str:
    """``REPO_POLICIES_URL``, or empty for the site's own /policies page."""
    return current_app.config["POLICIES_URL"]


def favicon_url() -> str:
    """``REPO_FAVICON_URL``, or empty for the favicon in static/."""
    return current_app.config["FAVICON_URL"]
