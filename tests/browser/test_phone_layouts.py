"""Phone layouts (issue 15, item 4): at 390×844 no page is wider than the screen, the header's
links hide behind a menu button that opens them, and wide tables scroll inside their own
box that the keyboard can reach (tabindex="0", role="region", a name) or, on the librarians'
desk pages (coverage, holdings not yet digitized, audit log, jobs, OCR review), become
cards that need no sideways scrolling at all; the coverage report folds its long tables
and its charts' text is at least 12 px.

Each page is opened as the person who uses it on the demo collection, to which the
``busy_desk`` fixture adds what a working library has and the demo lacks: failed and running
jobs and OCR pages waiting for review. Its full-page screenshot is kept as an artefact
(phone-<page>.png). The pages test_accessibility.py does not check get axe-core here, on the
phone, where their tables and menus change most.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from .conftest import axe_or_skip, screenshot, server_app
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
    "ocr-review": ("librarian", "/review/ocr"),
    "holdings-import": ("librarian", "/reports/holdings/import"),
    "link-suggestions": ("librarian", "/reports/holdings/suggestions"),
    "bulk-access": ("librarian", "/access/bulk"),
    "accounts": ("admin", "/admin/users"),
}


# The librarians' desk pages whose tables become cards on a phone.
CARD_PAGES = ("coverage", "missing-holdings", "audit-log", "jobs", "ocr-review")
# Rows a report table may show on a phone before it folds into a <details>.
LONG_TABLE = 8
FAILURE = ("tesseract exited with status 1: Error in pixReadMemTiff: the page image could not "
           "be read ({page} of the scan at host-thu-vien-01)")


@pytest.fixture(scope="module", autouse=True)
def busy_desk(site):
    """Failed and running OCR jobs and pages waiting for review on the demo's files, written
    as a worker leaves them: the jobs and OCR review pages then have rows to lay out."""
    from repo_app.db import standalone_session
    from repo_app.models import File, Job, OcrPage
    from repo_app.models.types import utcnow

    with server_app(site) as app, standalone_session(app) as db:
        files = list(db.scalars(select(File).order_by(File.id).limit(3)))
        now = utcnow()
        for n in range(12):
            file = files[n % len(files)]
            state = "running" if n < 2 else "failed"
            db.add(Job(kind="ocr_page", key=f"layout:{n}", unique_key=f"layout:{n}", state=state,
                       file_id=file.id, payload={"page": n}, attempts=4 if n >= 2 else 1,
                       started_at=now, finished_at=None if n < 2 else now,
                       worker="may-chu-so-hoa-02.thuvien.local:4711",
                       message="" if n < 2 else FAILURE.format(page=n)))
            db.add(OcrPage(file_id=file.id, page=200 + n, text="văn bản", confidence=41.5,
                           valid_ratio=0.37, words=120, review="pending" if n % 3 else "failed"))
        db.commit()


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


@pytest.mark.parametrize("name", CARD_PAGES)
def test_a_desk_pages_tables_are_cards_on_a_phone(open_page, name):
    role, path = PAGES[name]
    page = open_page("phone", role)
    assert page.goto(path).status == 200
    tables = page.locator("main table.cards")
    assert tables.count(), f"{name} has no table of cards"
    for table in tables.all():
        if not table.is_visible():
            continue  # a long table folded away; test_the_coverage_report_folds_… opens them
        inside = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
        assert inside[0] <= inside[1], f"{name}: a table of {inside[0]} px in {inside[1]} px"
        labelled = table.locator("td[data-label]").first
        if labelled.count():
            before = labelled.evaluate("td => getComputedStyle(td, '::before').content")
            assert labelled.get_attribute("data-label") in before, \
                f"{name}: a card's value is not preceded by its column's name"


def test_the_coverage_report_folds_long_tables_on_a_phone_and_not_on_a_laptop(open_page):
    page = open_page("phone", "librarian")
    page.goto("/reports/coverage")
    for table in page.locator("main table").all():
        rows = table.locator("tbody tr").count()
        if rows > LONG_TABLE:
            assert not table.is_visible(), f"a table of {rows} rows is unfolded on a phone"
    folded = page.locator("main details.long-table")
    assert folded.count(), "the demo's coverage by year is long enough to fold"
    folded.first.locator("summary").click()
    assert folded.first.locator("table").is_visible()
    laptop = open_page("desktop", "librarian")
    laptop.goto("/reports/coverage")
    assert laptop.locator("main details.long-table table").first.is_visible()


def test_the_coverage_charts_text_is_at_least_12_px_on_a_phone(open_page):
    page = open_page("phone", "librarian")
    page.goto("/reports/coverage")
    sizes = page.evaluate("""() => [...document.querySelectorAll('main svg.chart')].flatMap(svg => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].map(
            text => parseFloat(getComputedStyle(text).fontSize) * scale);
    })""")
    assert sizes, "the coverage report has no chart text"
    assert min(sizes) >= 12, f"chart text as small as {min(sizes):.1f} px on a phone"


AXE_HERE = ("policies", "missing-holdings", "copy-requests", "agency-report", "jobs",
            "ocr-review")


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
