"""The permission matrix: every visitor × every level × every route that shows a work.

For each case the exact status code, and the absence of what the visitor
may not see: the PDF's words (through snippets, the API, downloads or the
reader), the PDF's bytes, a page image, and, for a confidential work, even
its title.
"""

from __future__ import annotations

import re

import pytest
from access.world import LEVELS, VISITORS

ALL_200 = (200, 200, 200)
STAFF_AND_OWNER = {"owner": ALL_200, "librarian": ALL_200, "admin": ALL_200}

# level → visitor → (metadata, read online, download)
MATRIX: dict[str, dict[str, tuple[int, int, int]]] = {
    "open": dict.fromkeys(VISITORS, ALL_200),
    "campus": {
        "anon_off": (200, 403, 403), "anon_campus": ALL_200, "anon_reading_room": (200, 403, 403),
        "reader": ALL_200, "reader_reading_room": ALL_200, "permit_off": ALL_200,
        "permit_reading_room": ALL_200, "other_depositor": ALL_200, **STAFF_AND_OWNER,
    },
    "restricted": {
        "anon_off": (200, 403, 403), "anon_campus": (200, 403, 403),
        "anon_reading_room": (200, 200, 403), "reader": (200, 200, 403),
        "reader_reading_room": (200, 200, 403), "permit_off": (200, 200, 403),
        "permit_reading_room": (200, 200, 403), "other_depositor": (200, 200, 403),
        **STAFF_AND_OWNER,
    },
    "embargoed": {
        **dict.fromkeys(VISITORS, (200, 403, 403)), **STAFF_AND_OWNER,
    },
    "confidential": {
        **dict.fromkeys(VISITORS, (404, 404, 404)), **STAFF_AND_OWNER,
    },
    # Read only in the reading room by a holder of an approved permit; never downloaded.
    "onsite": {
        **dict.fromkeys(VISITORS, (200, 403, 403)), "permit_reading_room": (200, 200, 403),
        **STAFF_AND_OWNER,
    },
}
CASES = [(level, name) for level in LEVELS for name in VISITORS]


def test_the_matrix_covers_every_visitor_and_level():
    assert set(MATRIX) == set(LEVELS)
    assert all(set(row) == set(VISITORS) for row in MATRIX.values())


def _forbidden_words(work, meta: int, read: int) -> list[str]:
    words = [] if read == 200 else [work.hidden_word]
    return words + ([] if meta == 200 else [work.title_word])


@pytest.mark.parametrize(("level", "name"), CASES)
def test_work_page(world, visitor, level, name):
    _, works = world
    work = works[level]
    meta, read, download = MATRIX[level][name]
    response = visitor(name).get(f"/works/{work.work_id}")
    assert response.status_code == meta
    body = response.get_data(as_text=True)
    for word in _forbidden_words(work, meta, read) + [work.query_word, work.hidden_word]:
        assert word not in body  # the page never shows text, only metadata
    if meta == 200:
        assert (f"/works/{work.work_id}/files/{work.file_id}\"" in body) == (download == 200)
        assert (f"/works/{work.work_id}/read/{work.file_id}\"" in body) == (read == 200)


@pytest.mark.parametrize(("level", "name"), CASES)
def test_api_record(world, visitor, level, name):
    _, works = world
    work = works[level]
    meta, read, download = MATRIX[level][name]
    response = visitor(name).get(f"/api/v1/works/{work.work_id}")
    assert response.status_code == meta
    body = response.get_data(as_text=True)
    for word in _forbidden_words(work, meta, read) + [work.hidden_word]:
        assert word not in body
    if meta == 200:
        record = response.get_json()
        assert record["access"] == level
        assert ("download_url" in record["files"][0]) == (download == 200)
    else:
        assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(("level", "name"), CASES)
def test_search_page_snippet(world, visitor, level, name):
    _, works = world
    work = works[level]
    meta, read, _ = MATRIX[level][name]
    response = visitor(name).get(f"/search?q={work.query_word}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    # An empty result offers the newest works whatever was asked: only the hits before it count.
    hits = body.split('<div class="no-results">')[0]
    assert (f'href="/works/{work.work_id}"' in hits) == (read == 200)
    for word in _forbidden_words(work, meta, read):
        assert word not in body


@pytest.mark.parametrize(("level", "name"), CASES)
def test_api_search(world, visitor, level, name):
    _, works = world
    work = works[level]
    meta, read, _ = MATRIX[level][name]
    client = visitor(name)
    by_text = client.get(f"/api/v1/search?q={work.query_word}")
    assert by_text.status_code == 200
    assert by_text.get_json()["total"] == (1 if read == 200 else 0)
    for word in _forbidden_words(work, meta, read):
        assert word not in by_text.get_data(as_text=True)
    by_title = client.get(f"/api/v1/search?q={work.title_word}")
    assert by_title.get_json()["total"] == (1 if meta == 200 else 0)
    if meta != 200:
        assert work.title_word not in by_title.get_data(as_text=True).replace(
            f'"q": "{work.title_word}"', "")


@pytest.mark.parametrize(("level", "name"), CASES)
def test_download(world, visitor, level, name):
    _, works = world
    work = works[level]
    meta, read, download = MATRIX[level][name]
    response = visitor(name).get(f"/works/{work.work_id}/files/{work.file_id}")
    assert response.status_code == download
    if download == 200:
        assert response.data.startswith(b"%PDF")
    else:
        assert b"%PDF" not in response.data
        for word in _forbidden_words(work, meta, read) + [work.hidden_word]:
            assert word.encode() not in response.data


@pytest.mark.parametrize(("level", "name"), CASES)
def test_reader_page_image(world, visitor, level, name):
    _, works = world
    work = works[level]
    meta, read, _ = MATRIX[level][name]
    response = visitor(name).get(f"/works/{work.work_id}/files/{work.file_id}/pages/1.png")
    assert response.status_code == read
    assert response.headers["Cache-Control"] == "no-store, private"
    if read == 200:
        assert response.mimetype == "image/png"
        assert response.data.startswith(b"\x89PNG")
    else:
        assert not response.data.startswith(b"\x89PNG")
        assert b"%PDF" not in response.data
        for word in _forbidden_words(work, meta, read):
            assert word.encode() not in response.data


@pytest.mark.parametrize(("level", "name"), CASES)
def test_reader_page(world, visitor, level, name):
    _, works = world
    work = works[level]
    meta, read, download = MATRIX[level][name]
    start = visitor(name).get(f"/works/{work.work_id}/read")
    assert start.status_code == (302 if read == 200 else read)
    page = visitor(name).get(f"/works/{work.work_id}/read/{work.file_id}?page=2")
    assert page.status_code == read
    body = page.get_data(as_text=True)
    if download != 200:  # the page's text, as an alternative to its image, only for those
        assert work.hidden_word not in body and work.query_word not in body  # who may download
    assert "%PDF" not in body
    if read == 200:
        assert f"/works/{work.work_id}/files/{work.file_id}/pages/2.png" in body
    else:
        assert "pages/" not in body
        for word in _forbidden_words(work, meta, read):
            assert word not in body


# Harvesters and crawlers are anonymous whoever connects: what they get depends on the level only.
HARVESTABLE = {level: level != "confidential" for level in LEVELS}


@pytest.mark.parametrize("name", ["anon_off", "anon_reading_room", "librarian"])
@pytest.mark.parametrize("level", LEVELS)
def test_oai_pmh_records(world, visitor, level, name):
    _, works = world
    work = works[level]
    client = visitor(name)
    listing = client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc")
    assert listing.status_code == 200
    body = listing.get_data(as_text=True)
    assert (work.title_word in body) == HARVESTABLE[level]
    assert work.query_word not in body and work.hidden_word not in body
    assert (f"/works/{work.work_id}/files/{work.file_id}<" in body) == (level == "open")
    identifiers = client.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc")
    assert work.title_word not in identifiers.get_data(as_text=True)


@pytest.mark.parametrize("name", ["anon_off", "librarian"])
@pytest.mark.parametrize("level", LEVELS)
def test_sitemap(world, visitor, level, name):
    _, works = world
    work = works[level]
    client = visitor(name)
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    pages = "".join(client.get(f"/sitemap-{n}.xml").get_data(as_text=True)
                    for n in range(1, index.get_data(as_text=True).count("<sitemap>") + 1))
    assert (f"/works/{work.work_id}<" in pages) == HARVESTABLE[level]


def _without_id(response, work_id: int) -> str:
    """The body with this work's id taken out of echoed URLs (the login link's ``next``) and
    the CSRF token taken out (it is signed with the current second, so it may differ)."""
    body = re.sub(rf"works(/|%2F){work_id}(?!\d)", r"works\1ID", response.get_data(as_text=True))
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value="T"', body)


@pytest.mark.parametrize("name", ["anon_off", "anon_campus", "anon_reading_room", "reader",
                                  "other_depositor"])
def test_a_guessed_confidential_id_answers_like_a_missing_one(world, visitor, name):
    _, works = world
    secret = works["confidential"]
    missing = 10_000 + secret.work_id
    client = visitor(name)
    for template in ("/works/{w}", "/api/v1/works/{w}", "/works/{w}/read",
                     "/works/{w}/read/{f}", "/works/{w}/files/{f}",
                     "/works/{w}/files/{f}/pages/1.png", "/works/{w}/request-copy"):
        hidden = client.get(template.format(w=secret.work_id, f=secret.file_id))
        absent = client.get(template.format(w=missing, f=secret.file_id))
        expected = 302 if template.endswith("request-copy") and name.startswith("anon") else 404
        assert hidden.status_code == absent.status_code == expected, template
        assert _without_id(hidden, secret.work_id) == _without_id(absent, missing), template
        assert secret.title_word not in hidden.get_data(as_text=True)


@pytest.mark.parametrize("level", LEVELS)
def test_a_file_id_of_another_work_is_404(world, visitor, level):
    _, works = world
    host = works["open"] if level != "open" else works["campus"]
    foreign = works[level].file_id
    client = visitor("librarian")  # even staff, who may read everything
    for template in ("/works/{w}/files/{f}", "/works/{w}/read/{f}",
                     "/works/{w}/files/{f}/pages/1.png"):
        response = client.get(template.format(w=host.work_id, f=foreign))
        assert response.status_code == 404, template
        assert not response.data.startswith((b"%PDF", b"\x89PNG"))
