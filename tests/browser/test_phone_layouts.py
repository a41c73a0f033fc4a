"""Phone layouts (issue 15, item 4): at 390×844 no page is wider than the screen, the header's
links hide behind a menu button that opens them, and wide tables scroll inside their own
box that the keyboard can reach (tabindex="0", role="region", a name).

Each page is opened as the person who uses it on the demo collection; its full-page
screenshot is kept as an artefact (phone-<page>.png). The pages test_accessibility.py does
not check get axe-core here, on the phone, where their tables and menus change most.
"""

from __future__ import annotations

import re

import pytest

from .conftest import axe_or_skip, screenshot
from .test_accessibility import AXE_OPTIONS, grave

PHONE_WIDTH = 390
PAGES = {
    "home": (None, "/"),
    "policies": (None, "/policies"),
    "my-works": ("depositor", "/my/works"),
    "deposit": ("depositor", "/deposit"),
    "review-queue": ("librarian", "/review"),
    "audit-log": ("librarian", "/audit"),
    "coverage": ("librarian", "/reports/coverage"),
    "missing-holdings": ("librarian", "/reports/coverage/missing"),
    "copy-requests": ("librarian", "/requests"),
    "agency-report": ("librarian", "/reports/agency"),
    "search": (None, "/search?q=kinh+te"),
    "login": (None, "/login"),
    "restricted-resources": (None, "/restricted-resources"),
    "my-requests": ("reader", "/my/requests"),
    "my-onsite-requests": ("reader", "/my/onsite-requests"),
    "onsite-requests": ("librarian", "/onsite-requests"),
    "harvest-log": ("librarian", "/harvest"),
    "jobs": ("librarian", "/jobs"),
    "holdings-import": ("librarian", "/reports/holdings/import"),
    "link-suggestions": ("librarian", "/reports/holdings/suggestions"),
    "bulk-access": ("librarian", "/access/bulk"),
    "accounts": ("admin", "/admin/users"),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_page_fits_a_phone_and_its_tables_scroll_in_a_named_focusable_box(open_page, name):
    role, path = PAGES[name]
    page = open_page("phone", role)
    assert page.goto(path).status == 200
    screenshot(page, f"phone-{name}")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{name} is {width} px wide on a {PHONE_WIDTH} px screen"
    for box in page.locator("main .table-scroll").all():
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
        assert box.get_attribute("aria-label"), f"{name}: a table's scroll box has no name"


@pytest.mark.parametrize(("role", "path"), [
    (None, "/works/{open}"), ("reader", "/works/{restricted}"),
    ("reader", "/works/{restricted}/read"), ("reader", "/works/{restricted}/read?zoom=3"),
], ids=["work-open", "work-restricted", "reader", "reader-zoomed"])
def test_work_pages_and_the_reader_fit_a_phone(open_page, demo_works, role, path):
    page = open_page("phone", role)
    assert page.goto(path.format(**demo_works)).status == 200
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{path} is {width} px wide on a {PHONE_WIDTH} px screen"


def test_the_librarians_header_is_one_menu_button_that_opens(open_page):
    page = open_page("phone", "librarian")
    page.goto("/")
    audit = page.locator("header").get_by_role("link", name=re.compile("audit", re.I))
    assert not audit.is_visible()
    header_height = page.locator("header.site").bounding_box()["height"]
    assert header_height < 844 / 4, f"the header takes {header_height} px of an 844 px screen"
    page.locator("header details.menu > summary").click()
    # The menu's groups (Requests, Reports, the account) are open sections of it on a phone.
    assert audit.is_visible()
    box = audit.bounding_box()
    assert box["height"] >= 24, "a menu link is a target of at least 24 px"


def test_on_a_laptop_the_header_links_show_without_a_menu_button(open_page):
    page = open_page("desktop", "librarian")
    page.goto("/")
    assert not page.locator("header details.menu > summary").is_visible()
    assert page.locator("header").get_by_role("link", name=re.compile("review", re.I)).is_visible()


AXE_HERE = ("policies", "missing-holdings", "copy-requests", "agency-report")


@pytest.mark.parametrize("name", AXE_HERE)
def test_a_phone_page_has_no_serious_or_critical_axe_violation(open_page, name):
    axe = axe_or_skip()
    role, path = PAGES[name]
    page = open_page("phone", role, inject=True)
    assert page.goto(path).status == 200
    page.add_script_tag(path=str(axe))
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    problems = grave(results["violations"])
    assert not problems, f"{name} on a phone:\n" + "\n".join(problems)


def test_the_arrow_keys_turn_the_readers_pages(open_page, demo_works):
    page = open_page("desktop", "reader")
    page.goto(f"/works/{demo_works['restricted']}/read")
    if not page.locator("a[rel=next]").count():
        pytest.skip("the demo's restricted work has one page")
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"[?&]page=2"))
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(r"[?&]page=1"))


def test_a_refused_deposit_puts_focus_on_the_error_summary(open_page):
    page = open_page("phone", "depositor")
    page.goto("/deposit")
    page.locator("main form").get_by_role("button", name=re.compile("save|lưu", re.I)).click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    summary.get_by_role("link").first.click()
    assert page.evaluate("() => document.activeElement.id") in ("title", "creators", "year")
