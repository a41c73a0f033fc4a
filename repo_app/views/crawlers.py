"""For crawlers: ``/robots.txt`` and the sitemaps (only works anyone may see)."""

from __future__ import annotations

from flask import Blueprint, Response, url_for
from lxml import etree

from repo_app import db
from repo_app.services import sitemap
from repo_app.services.searching import FACETS

bp = Blueprint("crawlers", __name__)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Paths crawlers may not enter: personal, staff and machine areas.
DISALLOWED = ("/deposit", "/review", "/my", "/api", "/reports", "/audit", "/login", "/oai",
              "/jobs")
# Search parameters that multiply one result list into endless URLs: every facet value can be
# combined with every other and with each sort (11 works gave 18,000 crawlable URLs). Work
# pages are reached through the sitemap, so crawlers lose nothing by skipping them.
MULTIPLYING_PARAMETERS = (*FACETS, "sort")


def _xml(root: etree._Element) -> Response:
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return Response(body, content_type="application/xml; charset=utf-8")


@bp.get("/robots.txt")
def robots() -> Response:
    """Works and the plain search page open; staff areas and facet combinations closed.

    ``*`` inside a path is understood by the major crawlers (RFC 9309 leaves it
    to them); facet links also carry ``rel="nofollow"`` and faceted pages
    ``noindex`` for the crawlers that do not read it.
    """
    lines = ["User-agent: *", "Allow: /works/", "Allow: /search$"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines += ["Disallow: /search/"]  # citation exports of a result list
    for name in MULTIPLYING_PARAMETERS:
        lines += [f"Disallow: /search?{name}=", f"Disallow: /search?*&{name}="]
    lines += ["", f"Sitemap: {url_for('crawlers.sitemap_index', _external=True)}", ""]
    return Response("\n".join(lines), content_type="text/plain; charset=utf-8")


@bp.get("/sitemap.xml")
def sitemap_index() -> Response:
    root = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
    for number in range(1, sitemap.page_count(db.session()) + 1):
        item = etree.SubElement(root, f"{{{SITEMAP_NS}}}sitemap")
        etree.SubElement(item, f"{{{SITEMAP_NS}}}loc").text = url_for(
            "crawlers.sitemap_page", number=number, _external=True)
    return _xml(root)


@bp.get("/sitemap-<int:number>.xml")
def sitemap_page(number: int) -> Response:
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    for entry in sitemap.page(db.session(), number):
        item = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(item, f"{{{SITEMAP_NS}}}loc").text = url_for(
            "public.work", work_id=entry.work_id, _external=True)
        etree.SubElement(item, f"{{{SITEMAP_NS}}}lastmod").text = entry.lastmod.strftime(
            "%Y-%m-%dT%H:%M:%SZ")
    return _xml(root)
