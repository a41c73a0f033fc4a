"""The header on a laptop (issue 15): a librarian's or an administrator's links fit one row
at 1280 px, in Vietnamese and in English, beside the site's name; the less-used ones sit in
groups (Requests, Reports, the account's name) that drop down, one at a time, and close with
Escape. The phone's menu button is tested in test_phone_layouts.py.
"""

from __future__ import annotations

import re

import pytest

from .conftest import screenshot

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
