"""A thesis's way through the site in a real browser, on a phone and on a laptop screen.

A depositor logs in and deposits a PDF; a librarian reviews it and publishes it
as restricted (read online by members, no download); a guest finds it by typing
without diacritics, opens it, is refused the download and is shown what to do;
a reader logs in and reads it in the online reader; a guest switches language.
The steps run in this order and hand the work on through ``journey``; a step
whose predecessor failed is skipped rather than failing twice. Locators are
roles, accessible names matched loosely, and form field names (what the server
reads), so that rewording a label does not break them.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ingest.sample_pdf import write_pdf

from .conftest import VIEWPORTS, reveal, screenshot, submit

# Each screen deposits its own work: the places make the titles (and the PDFs) distinct.
PLACES = {"phone": "Sóc Trăng", "desktop": "Bạc Liêu"}
# What a reader types: no diacritics at all.
TYPED = {"phone": "quan ly nuoc ngam nhiem man soc trang",
         "desktop": "quan ly nuoc ngam nhiem man bac lieu"}
DOWNLOAD = re.compile(r"download|tải", re.I)


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def journeys() -> dict[str, dict]:
    """What each screen's journey has made so far (the work's id and title)."""
    return {name: {} for name in VIEWPORTS}


@pytest.fixture
def journey(journeys: dict[str, dict], viewport: str) -> dict:
    return journeys[viewport]


def needs(journey: dict, key: str) -> object:
    if key not in journey:
        pytest.skip(f"an earlier step of this journey did not get as far as '{key}'")
    return journey[key]


def title_for(viewport: str) -> str:
    return f"Quản lý nước ngầm nhiễm mặn ở {PLACES[viewport]}"


def heading(page):
    return page.get_by_role("heading", level=1)


def test_a_depositor_logs_in_and_deposits_a_pdf(open_page, viewport, journey, tmp_path: Path):
    page = open_page(viewport, "depositor")
    title = title_for(viewport)
    pdf = write_pdf(tmp_path / "luan-van.pdf",
                    [f"{title}. Chương 1. Độ mặn của giếng khoan ở {PLACES[viewport]}.",
                     "Chương 2. Giải pháp trữ nước ngọt cho mùa khô."], title=title)
    page.goto("/deposit")
    form = page.locator("main form")
    form.locator("[name=title]").fill(title)
    form.locator("[name=creators]").fill("Nguyễn Thị Hồng\nLê Văn Phúc")
    form.locator("[name=type]").select_option("master_thesis")
    form.locator("[name=year]").fill("2024")
    form.locator("[name=abstract]").fill("Luận văn về nước ngầm nhiễm mặn ở đồng bằng.")
    form.locator("[name=files]").set_input_files(str(pdf))
    # The deposit licence (and any other box the form requires) is accepted, as the author must.
    for box in form.locator("input[type=checkbox][required], input[type=checkbox][name*=licen]").all():
        box.check()
    screenshot(page, f"deposit-filled-{viewport}")
    submit(page, form.get_by_role("button", name=re.compile("submit|gửi", re.I)))
    refused = page.locator("main [role=alert], main .error").all_inner_texts()
    assert re.search(r"/works/\d+$", page.url), f"the deposit was refused: {refused}"
    assert heading(page).inner_text().strip() == title
    journey["id"] = int(page.url.rsplit("/", 1)[1])
    journey["title"] = title


def test_a_librarian_reviews_the_deposit_and_publishes_it_restricted(open_page, viewport, journey):
    title = needs(journey, "title")
    page = open_page(viewport, "librarian")
    page.goto("/review")
    page.get_by_role("link", name=title).click()
    form = page.locator("main form").filter(has=page.locator("[name=access_level]"))
    form.locator("[name=access_level]").select_option("restricted")
    form.locator("[name=reason]").fill("Có số liệu khảo sát của hộ dân")
    submit(page, form.get_by_role("button", name=re.compile("publish|công bố", re.I)))
    page.goto("/review")
    assert page.get_by_role("link", name=title).count() == 0, "still waiting for review"
    journey["published"] = True


def test_a_guest_finds_it_without_diacritics_and_opens_it(open_page, viewport, journey):
    needs(journey, "published")
    page = open_page(viewport)
    page.goto("/")
    search = page.get_by_role("search").get_by_role("searchbox").first
    search.fill(TYPED[viewport])
    search.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    screenshot(page, f"search-hits-{viewport}")
    page.get_by_role("link", name=journey["title"]).click()
    page.wait_for_url(re.compile(rf"/works/{journey['id']}$"))
    assert heading(page).inner_text().strip() == journey["title"]
    journey["found"] = True


def test_a_guest_is_offered_no_download_of_the_restricted_work_but_a_way_on(open_page, viewport,
                                                                           journey):
    needs(journey, "found")
    page = open_page(viewport)
    page.goto(f"/works/{journey['id']}")
    files = page.locator("main .files")
    assert files.get_by_role("link", name=DOWNLOAD).count() == 0
    # What the guest can do next: log in to read online, or ask the library for a copy.
    assert page.locator("main").get_by_role(
        "link", name=re.compile("log in|đăng nhập|request a copy|yêu cầu", re.I)).count()


@pytest.mark.parametrize(("role", "next_step"), [(None, "log in|đăng nhập"),
                                                 ("reader", "request a copy|yêu cầu bản sao")],
                         ids=["guest", "reader"])
def test_whoever_follows_a_download_link_is_refused_and_told_what_to_do(open_page, viewport,
                                                                        journey, role, next_step):
    needs(journey, "found")
    page = open_page(viewport, role)
    file_id = page.request.get(f"/api/v1/works/{journey['id']}").json()["files"][0]["id"]
    response = page.goto(f"/works/{journey['id']}/files/{file_id}")
    assert response.status == 403
    screenshot(page, f"download-refused-{role or 'guest'}-{viewport}")
    assert page.get_by_role("navigation").count(), "the refusal keeps the site's layout"
    assert page.locator("main").get_by_role("link", name=re.compile(next_step, re.I)).count()


def test_a_reader_logs_in_and_reads_it_online_page_by_page(open_page, viewport, journey):
    needs(journey, "found")
    page = open_page(viewport, "reader")
    page.goto(f"/works/{journey['id']}")
    assert page.locator("main .files").get_by_role("link", name=DOWNLOAD).count() == 0
    # The download is refused, and the way to a copy is offered instead.
    assert page.locator("main").get_by_role(
        "link", name=re.compile("request a copy|yêu cầu bản sao", re.I)).count()
    page.locator("main").get_by_role("link", name=re.compile("read online|đọc trực tuyến", re.I)) \
        .first.click()
    page.wait_for_url(re.compile(rf"/works/{journey['id']}/read"))
    image = page.locator("main img").first
    image.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", image.element_handle())
    screenshot(page, f"reader-{viewport}")
    page.get_by_role("link", name=re.compile("next|sau", re.I)).first.click()
    page.wait_for_url(re.compile(r"page=2"))
    assert "2" in page.locator("main .pager").first.inner_text()


def test_a_guest_switches_from_vietnamese_to_english_and_back(open_page, viewport, journey):
    work_id = needs(journey, "id")
    page = open_page(viewport, lang="")
    page.goto(f"/works/{work_id}" if journey.get("published") else "/")
    path = urlsplit(page.url).path
    assert page.locator("html").get_attribute("lang") == "vi"
    for name, lang in (("English", "en"), ("Tiếng Việt", "vi")):
        submit(page, reveal(page, page.get_by_role("link", name=name, exact=True,
                                                include_hidden=True)))
        assert page.locator("html").get_attribute("lang") == lang
        assert urlsplit(page.url).path == path, "switching language keeps the reader's page"

