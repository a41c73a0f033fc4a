"""What a depositor agrees to and asks for besides the description: the deposit licence and
an embargo request (DSpace and EPrints have both).

The request is only a request: the reviewer sees it (review page) and decides the access
level; ``Work.embargo_until`` stays the reviewer's. The licence is kept word for word with
the time it was accepted, as DSpace keeps license.txt with each item, whichever door the
work came in by: the deposit form and the API (accepted by the depositor), the scanning
station and the batch import (accepted by the library, for a work of its own collection).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from repo_app.errors import UserError
from repo_app.models import Work
from repo_app.models.types import utcnow

# A request longer than this is not an embargo but a closed work: the reviewer decides that.
MAX_EMBARGO_YEARS = 5
# Who accepted the licence: the author depositing, or the library for its own holdings.
DEPOSITOR, LIBRARY = "depositor", "library"


@dataclass(frozen=True)
class DepositTerms:
    """A deposit's terms: the licence text accepted (empty: not accepted this time), by whom,
    and the embargo asked for (no day: none)."""

    licence: str = ""
    embargo_until: date | None = None
    embargo_reason: str = ""
    accepted_by: str = DEPOSITOR


def validate(terms: DepositTerms, work: Work | None, submit: bool,
             today: date | None = None) -> None:
    """A submitted work needs the licence accepted (now or before); an embargo request needs a
    future day within ``MAX_EMBARGO_YEARS`` and a reason."""
    today = today or date.today()
    accepted_before = work is not None and work.licence_accepted_at is not None
    if submit and not terms.licence and not accepted_before:
        raise UserError("licence_required", "Accept the deposit licence to submit your work.",
                        field="accept_licence")
    reason = terms.embargo_reason.strip()
    if terms.embargo_until is None:
        if reason:
            raise UserError("embargo_day_required", "Give the day the embargo should end.",
                            field="embargo_requested_until")
        return
    if terms.embargo_until <= today:
        raise UserError("embargo_day_past", "The embargo you ask for must end after today.",
                        field="embargo_requested_until")
    if terms.embargo_until > date(today.year + MAX_EMBARGO_YEARS, today.month, min(today.day, 28)):
        raise UserError("embargo_too_long", "An embargo may last at most %(years)s years.",
                        field="embargo_requested_until", years=MAX_EMBARGO_YEARS)
    if not reason:
        raise UserError("embargo_reason_required",
                        "Say why the work needs an embargo (for example a patent application "
                        "or an article awaiting publication).", field="embargo_request_reason")


def apply(work: Work, terms: DepositTerms) -> bool:
    """Record the terms on the work (the caller's unit of work commits them and audits an
    acceptance); True when the licence was accepted now."""
    if terms.licence:
        work.licence_text = terms.licence
        work.licence_accepted_at = utcnow()
    work.embargo_requested_until = terms.embargo_until
    work.embargo_request_reason = terms.embargo_reason.strip() if terms.embargo_until else ""
    return bool(terms.licence)
