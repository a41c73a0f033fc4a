"""The site's shell on every page: logo, favicon, header menu, footer; Open Graph on works."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from helpers import login
from repo_app.services.site_info import DEFAULT_LICENCE


def test_favicon_is_served_not_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_configured_favicon_is_a_redirect(app, client):
    app.config["FAVICON_URL"] = "https://cdn.example.edu.vn/icon.ico"
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.location == "https://cdn.example.edu.vn/icon.ico"


@pytest.mark.parametrize("path", ["/", "/search", "/login", "/policies"])
def test_every_page_links_favicon_logo_and_footer(client, path):
    page = client.get(path).get_data(as_text=True)
    assert 'rel="icon" href="/favicon.ico"' in page
    assert re.search(r'class="brand" href="/"><img src="/static/logo.svg"', page)
    footer = page[page.index('<footer class="site">'):]
    assert 'href="/policies"' in footer
    assert 'href="/policies#takedown"' in footer


def test_footer_shows_configured_contact_and_logo(app, client):
    app.config.update(CONTACT_EMAIL="thuvien@dhm.edu.vn", CONTACT_PHONE="024 3869 0000",
                      CONTACT_ADDRESS="1 Đại Cồ Việt, Hà Nội", LOGO_URL="/media/logo.png",
                      POLICIES_URL="https://dhm.edu.vn/chinh-sach")
    page = client.get("/").get_data(as_text=True)
    footer = page[page.index('<footer class="site">'):]
    assert 'href="mailto:thuvien@dhm.edu.vn"' in footer
    assert 'href="tel:02438690000"' in footer
    assert "1 Đại Cồ Việt, Hà Nội" in footer
    assert 'href="https://dhm.edu.vn/chinh-sach"' in footer
    assert '<img src="/media/logo.png"' in page


def test_policies_page_has_licence_and_takedown(app, client):
    app.config["CONTACT_EMAIL"] = "thuvien@dhm.edu.vn"
    client.get("/lang/en")
    page = client.get("/policies").get_data(as_text=True)
    assert str(escape(DEFAULT_LICENCE)) in page
    assert 'id="takedown"' in page
    assert 'href="mailto:thuvien@dhm.edu.vn?subject=Takedown%20request"' in page


def test_header_links_sit_in_a_menu_disclosure(app, client, accounts):
    login(client, "librarian@test.vn")
    page = client.get("/").get_data(as_text=True)
    nav = page[page.index('<nav aria-label='):page.index("</nav>")]
    assert '<details class="menu">' in nav and "<summary>" in nav
    assert nav.count("<li>") >= 9  # a librarian's many links, all inside the disclosure
    assert '<script src="/static/site.js" defer></script>' in page


def test_site_script_is_served_from_self(client):
    """The CSP allows scripts from 'self' only: the enhancements are a static file."""
    assert "script-src 'self'" in client.get("/").headers["Content-Security-Policy"]
    assert client.get("/static/site.js").status_code == 200


def test_work_page_has_open_graph_tags(client, publish):
    work_id = publish("Quản trị nhân lực tại doanh nghiệp", abstract="Luận văn về nhân lực.")
    page = client.get(f"/works/{work_id}").get_data(as_text=True)
    assert '<meta property="og:title" content="Quản trị nhân lực tại doanh nghiệp">' in page
    assert '<meta property="og:description" content="Luận văn về nhân lực.">' in page
    assert f'<meta property="og:url" content="http://repo.test/works/{work_id}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:image" content="http://repo.test/static/logo.png">' in page
