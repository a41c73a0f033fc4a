"""Issue 14, item 7: every ``next`` goes through one safe-redirect rule.

The vectors are OWASP's open-redirect list (the "Unvalidated Redirects and
Forwards" cheat sheet and its payloads): other hosts in every spelling a
browser accepts. Each must send the browser home, on both routes that take
a ``next``: the language switch and the login form.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from helpers import PASSWORD, csrf_token

EVIL = "evil.example"
VECTORS = [
    f"//{EVIL}", f"///{EVIL}", f"////{EVIL}/", f"/\\{EVIL}", f"\\\\{EVIL}", f"\\/{EVIL}",
    f"/\t/{EVIL}/", f"/%09/{EVIL}/", f"//%09/{EVIL}", f"/%2F%2F{EVIL}", f"/%5C{EVIL}",
    f"%2F%2F{EVIL}", f"/%2f%2f{EVIL}", f"https://{EVIL}", f"http://{EVIL}/", f"https:{EVIL}",
    f"http:/{EVIL}", f"//{EVIL}@repo.test", f"https://repo.test@{EVIL}", f"@{EVIL}", EVIL,
    f"/ /{EVIL}", f"/\n/{EVIL}", f"/\r\n/{EVIL}", f"/%0d%0a/{EVIL}", f" //{EVIL}",
    f"／／{EVIL}", f"/／{EVIL}", f"〱{EVIL}", f"/〱{EVIL}", f"//{EVIL}%2F..",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
    f"/%5c%5c{EVIL}", f"/.{EVIL}\\..", f"//{EVIL}:80", f"///{EVIL}/%2e%2e",
    "https://%65vil.example", f"//{EVIL}\x00", f"/\x0b/{EVIL}",
]


def _lands_home(location: str) -> bool:
    parts = urlsplit(location)
    return parts.netloc in ("", "repo.test") and parts.path == "/" and not parts.query


def test_the_language_switch_never_leaves_the_site(client):
    escaped = {}
    for target in VECTORS:
        response = client.get(f"/lang/en?next={quote(target, safe='')}")
        location = response.headers.get("Location", "")
        if response.status_code != 302 or not _lands_home(location) or EVIL in location:
            escaped[target] = (response.status_code, location)
    assert escaped == {}


def test_logging_in_never_leaves_the_site(client, accounts):
    escaped = {}
    for target in VECTORS:
        token = csrf_token(client, "/login")
        response = client.post("/login", data={"email": "reader@test.vn", "password": PASSWORD,
                                               "csrf_token": token, "next": target})
        location = response.headers.get("Location", "")
        if response.status_code != 302 or not _lands_home(location) or EVIL in location:
            escaped[target] = (response.status_code, location)
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert escaped == {}


def test_a_path_on_the_site_is_kept(client):
    for target in ("/search?q=%C4%91%E1%BA%A1i+h%E1%BB%8Dc&page=2", "/works/7/request-copy",
                   "/my/works"):
        response = client.get(f"/lang/en?next={quote(target, safe='')}")
        assert response.headers["Location"].endswith(target)


def test_the_login_page_has_one_next_field_carrying_where_the_guest_came_from(client):
    page = client.get("/login?next=/works/3/request-copy").get_data(as_text=True)
    assert page.count('name="next"') == 1
    assert 'value="/works/3/request-copy"' in page


def test_a_guest_sent_from_request_a_copy_returns_there_after_logging_in(client, accounts):
    page = client.get("/login?next=/works/3/request-copy").get_data(as_text=True)
    token = csrf_token(client, "/login")
    assert 'name="next"' in page
    response = client.post("/login", data={"email": "reader@test.vn", "password": PASSWORD,
                                           "csrf_token": token,
                                           "next": "/works/3/request-copy"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/works/3/request-copy")
