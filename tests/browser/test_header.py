"""The header on a laptop (issue 15): a librarian's or an administrator's links fit one row
at 1280 px, in Vietnamese and in English, beside the site's name; the less-used ones sit in
groups (Requests, Reports, the account's name) that drop down, one at a time, and close with
Escape. The phone's menu button is tested in test_phone_layouts.py.
"""

from __future__ import annotations

import re

import pytest

from .conftest import log_in, reveal, screenshot, submit

LAPTOP_WIDTH = 1280
REPORTS = re.compile("^(reports|báo cáo)$", re.I)
AUDIT = re.compile("audit log|nhật ký thay đổi", re.I)


def top_level_boxes(page) -> list[dict]:
    return [item.bounding_box() for item in page.locator("header details.menu > ul > li").all()]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("role", ["librarian", "admin"])
def test_a_staff_header_is_one_row_on_a_laptop(open_page, role, lang):
    page = open_page("desktop", role, lang=lang)
    page.goto("/")
    screenshot(page, f"header-{role}-{lang}-desktop")
    boxes = top_level_boxes(page)
    # One row: every link overlaps every other vertically (they differ in height, so their
    # tops differ by a few pixels when centred).
    highest_bottom = min(box["y"] + box["height"] for box in boxes)
    lowest_top = max(box["y"] for box in boxes)
    assert lowest_top < highest_bottom, \
        f"the {role}'s links in {lang} wrap: one starts at {lowest_top}, below {highest_bottom}"
    brand = page.locator("header .brand").bounding_box()
    nav = page.locator("header nav").bounding_box()
    assert nav["y"] < brand["y"] + brand["height"] and brand["y"] < nav["y"] + nav["height"], \
        "the links sit beside the site's name, not under it"
    assert brand["x"] + brand["width"] <= nav["x"], "the site's name and the links overlap"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= LAPTOP_WIDTH


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_group_drops_down_inside_the_screen_and_closes_with_escape(open_page, lang):
    page = open_page("desktop", "librarian", lang=lang)
    page.goto("/")
    reports = page.locator("header details.submenu > summary").filter(has_text=REPORTS)
    audit = page.locator("header").get_by_role("link", name=AUDIT)
    assert not audit.is_visible(), "the audit log waits in the Reports group"
    reports.click()
    assert audit.is_visible()
    box = audit.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= LAPTOP_WIDTH
    assert box["height"] >= 24, "a link of a group is a target of at least 24 px"
    page.keyboard.press("Escape")
    assert not audit.is_visible()
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"


def test_opening_one_group_closes_the_other(open_page):
    page = open_page("desktop", "librarian", lang="en")
    page.goto("/")
    groups = page.locator("header details.submenu")
    groups.nth(0).locator("summary").click()
    groups.nth(1).locator("summary").click()
    opened = [g.evaluate("details => details.open") for g in groups.all()]
    assert opened.count(True) == 1 and opened[1]


# Between a phone and a laptop: a tablet, a small or zoomed laptop window, a split screen.
MIDDLE_WIDTHS = [768, 820, 900, 1000, 1100, 1180]


@pytest.fixture(scope="module")
def sized_page(browser, site):
    """``sized_page(width, role, lang)``: a page logged in as ``role`` in ``lang``, its window
    ``width`` px wide (one browser context per account and language, resized as asked)."""
    pages = {}

    def _open(width: int, role: str, lang: str):
        if (role, lang) not in pages:
            context = browser.new_context(viewport={"width": width, "height": 800},
                                          base_url=site.url)
            context.set_default_timeout(30_000)
            context.add_cookies([{"name": "lang", "value": lang, "url": site.url}])
            page = context.new_page()
            log_in(page, *site.account(role))
            pages[(role, lang)] = page
        page = pages[(role, lang)]
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/")
        return page

    yield _open
    for page in pages.values():
        page.context.close()


def one_row(boxes: list[dict]) -> bool:
    """Whether boxes share a row: each overlaps every other vertically."""
    return max(b["y"] for b in boxes) < min(b["y"] + b["height"] for b in boxes)


@pytest.mark.parametrize("width", MIDDLE_WIDTHS)
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("role", ["librarian", "admin", "depositor", "reader"])
def test_between_phone_and_laptop_the_header_never_wraps(sized_page, role, lang, width):
    """Either every link in one row beside the site's name, or the menu button beside it."""
    page = sized_page(width, role, lang)
    button = page.locator("header details.menu > summary")
    brand = page.locator("header .brand").bounding_box()
    if button.is_visible():
        assert one_row([brand, button.bounding_box()]), "the menu button sits under the name"
    else:
        boxes = top_level_boxes(page)
        if not one_row(boxes + [brand]):
            screenshot(page, f"header-{role}-{lang}-{width}-wraps")
        assert one_row(boxes), f"the {role}'s links in {lang} wrap at {width} px"
        assert one_row([brand, page.locator("header nav").bounding_box()])
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [900, 1280])
def test_the_administrator_reaches_the_accounts_page_from_the_header(sized_page, width):
    page = sized_page(width, "admin", "vi")
    link = reveal(page, page.locator('header a[href="/admin/users"]'))  # in the account group
    assert link.is_visible() and link.inner_text() == "Quản lý tài khoản"
    submit(page, link)
    assert page.url.endswith("/admin/users")


def test_a_librarian_has_no_accounts_link(sized_page):
    page = sized_page(1280, "librarian", "en")
    assert page.locator('header a[href="/admin/users"]').count() == 0
