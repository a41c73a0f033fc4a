"""robots.txt and the sitemaps: crawlers learn about public works only."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from lxml import etree

from repo_app.access import SYSTEM
from repo_app.db import standalone_session
from repo_app.models import Work
from repo_app.services import works

SM = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locs(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    return [loc.text for loc in etree.fromstring(response.data).findall(".//s:loc", SM)]


def test_robots_allows_works_and_search_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert {"Allow: /works/", "Allow: /search$"} <= set(lines)
    for path in ("/deposit", "/review", "/my", "/api", "/reports", "/audit"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://repo.test/sitemap.xml" in lines


def allowed(rules: list[str], url: str) -> bool:
    """Whether a crawler may fetch ``url`` as the major crawlers read robots.txt (RFC 9309:
    the longest matching rule wins, Allow on a tie; ``*`` is any run, ``$`` the end)."""
    best = (-1, True)
    for line in rules:
        kind, _, path = line.partition(": ")
        if kind not in ("Allow", "Disallow") or not path:
            continue
        pattern = re.escape(path).replace(r"\*", ".*").replace(r"\$", "$")
        if re.match(pattern, url) and (len(path), kind == "Allow") > best:
            best = (len(path), kind == "Allow")
    return best[1]


@pytest.mark.parametrize(("url", "crawlable"), [
    ("/works/12", True),
    ("/sitemap.xml", True),
    ("/search", True),
    ("/search?q=kinh+te", True),
    ("/search?q=kinh+te&page=2", True),
    ("/search?faculty=Khoa+Kinh+t%E1%BA%BF", False),
    ("/search?q=kinh+te&year=2021", False),
    ("/search?type=master_thesis&year=2021&language=vi", False),
    ("/search?degree_level=master", False),
    ("/search?access=open&q=x", False),
    ("/search?source=local", False),
    ("/search?q=x&sort=title", False),
    ("/search/cite.bib?q=x", False),
    ("/deposit", False),
])
def test_robots_keeps_crawlers_out_of_facet_combinations(client, url, crawlable):
    rules = client.get("/robots.txt").get_data(as_text=True).splitlines()
    assert allowed(rules, url) is crawlable


def test_the_sitemap_index_pages_list_exactly_the_public_works(oai_app: Flask, client, seed):
    oai_app.config["SITEMAP_PAGE_SIZE"] = 2
    public = seed(4) + seed(1, access_level="restricted")
    secret = seed(1, title="Mật", access_level="confidential", was_public=False)
    draft = seed(1, status="draft", was_public=False)
    withdrawn = seed(1)
    with oai_app.test_request_context(), standalone_session(oai_app) as db:
        works.withdraw(db, SYSTEM, db.get(Work, withdrawn[0]), "retracted")
    pages = locs(client, "/sitemap.xml")
    assert pages == [f"http://repo.test/sitemap-{n}.xml" for n in (1, 2, 3)]
    listed = [url for page in pages for url in locs(client, page.removeprefix("http://repo.test"))]
    assert listed == [f"http://repo.test/works/{i}" for i in public]
    for hidden in secret + draft + withdrawn:
        assert f"http://repo.test/works/{hidden}" not in listed
    assert client.get("/sitemap-4.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404


def test_an_empty_repository_has_one_empty_sitemap(client):
    assert locs(client, "/sitemap.xml") == ["http://repo.test/sitemap-1.xml"]
    assert locs(client, "/sitemap-1.xml") == []


def test_sitemap_entries_carry_the_datestamp(client, seed):
    seed(1)
    root = etree.fromstring(client.get("/sitemap-1.xml").data)
    lastmod = root.findtext(".//s:lastmod", namespaces=SM)
    assert lastmod.endswith("Z") and len(lastmod) == 20
