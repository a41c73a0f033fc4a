"""Dates, times and numbers written the way readers of the current language write them.

The templates' filters (``repo_app.templating``), the charts and the mail
services share these, so a date reads the same in a page and in the e-mail
about it: 31/12/2025 and 36,8% in Vietnamese. Each reads the locale at the
moment it is called, so inside Flask-Babel's ``force_locale`` (a message
written in its recipient's language) it follows that language.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_datetime, format_decimal, format_percent, get_locale, to_user_timezone


def _vietnamese() -> bool:
    return get_locale() is not None and get_locale().language == "vi"


def local_date(day: date) -> str:
    """A day as readers of the page's language write it: 31/12/2025 in Vietnamese, else ISO
    (a moment's day in the site's time zone)."""
    if isinstance(day, datetime):
        day = to_user_timezone(day).date()
    if _vietnamese():
        return day.strftime("%d/%m/%Y")
    return day.isoformat()


def local_time(moment: datetime | str) -> str:
    """A moment (or its ISO text) in the site's time zone, written the locale's way (a naive
    value is UTC)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return format_datetime(moment, "dd/MM/yyyy HH:mm" if _vietnamese() else "yyyy-MM-dd HH:mm")


def number(value: float | int) -> str:
    """12.345 and 73,2 in Vietnamese, 12,345 and 73.2 in English."""
    return format_decimal(value, format="#,##0.#")


def percent(value: float | int) -> str:
    """A figure already in percent (73.2) as the locale writes it: 73,2% in Vietnamese."""
    return format_percent(value / 100, format="#,##0.#%")
