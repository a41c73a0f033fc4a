"""Dates, times and numbers in the page's locale, times in Vietnam's zone (templating's filters)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from repo_app.templating import local_date, local_time, number, percent

LATE_EVENING_UTC = datetime(2026, 12, 4, 23, 40, tzinfo=UTC)  # 06:40 the next day in Hà Nội


@pytest.mark.parametrize(("lang", "expected"), [
    ("vi", ("36,8%", "12.345", "31/12/2025", "05/12/2026 06:40", "05/12/2026")),
    ("en", ("36.8%", "12,345", "2025-12-31", "2026-12-05 06:40", "2026-12-05")),
])
def test_formats_follow_the_locale_and_vietnams_time(app, lang, expected):
    with app.test_request_context(f"/?lang={lang}"):
        shown = (percent(36.8), number(12345), local_date(date(2025, 12, 31)),
                 local_time(LATE_EVENING_UTC), local_date(LATE_EVENING_UTC))
    assert shown == expected


def test_a_naive_stored_time_is_read_as_utc(app):
    with app.test_request_context("/?lang=vi"):
        assert local_time(datetime(2026, 12, 4, 23, 40)) == "05/12/2026 06:40"
