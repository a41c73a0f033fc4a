"""``REPO_ENV=production``: a strong secret or no start, Secure SameSite cookies, HSTS,
known Host headers only, and ``REPO_BASE_URL`` as the only address in anything generated."""

from __future__ import annotations

import secrets
from pathlib import Path

import databases
import pytest
from flask import Flask
from flask.testing import FlaskClient

from helpers import PASSWORD, csrf_token
from repo_app import create_app
from repo_app.config import ConfigError
from repo_app.db import standalone_session
from repo_app.resources import initialize
from repo_app.services import users

SITE = "https://thuvien.example.edu.vn"
STRONG = secrets.token_urlsafe(32)


class SiteClient(FlaskClient):
    """A client that reaches the site as its address says: https, its own host name."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", SITE)
        return super().open(*args, **kwargs)


def site_client(app: Flask) -> FlaskClient:
    app.test_client_class = SiteClient
    return app.test_client()


def _production_app(tmp_path: Path, monkeypatch, request, **env: str) -> Flask:
    monkeypatch.setenv("REPO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REPO_ENV", "production")
    monkeypatch.setenv("REPO_BASE_URL", SITE)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    url = databases.lease(request)
    if url:
        monkeypatch.setenv("REPO_DATABASE_URL", url)
    app = create_app({"TESTING": True, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        initialize(app)
    return app


@pytest.fixture
def production(tmp_path, monkeypatch, request) -> Flask:
    app = _production_app(tmp_path, monkeypatch, request, REPO_SECRET_KEY=STRONG)
    with standalone_session(app) as db, app.app_context():
        users.create_user(db, "admin@thuvien.local", PASSWORD, "admin")
    yield app
    databases.dispose(app)


@pytest.mark.parametrize("key", [None, "sec-test", "a" * 64, secrets.token_hex(15),
                                 secrets.token_urlsafe(20)],
                         ids=["missing", "sec-test", "one-letter", "15-hex-bytes", "20-base64-bytes"])
def test_production_refuses_a_missing_or_weak_secret(tmp_path, monkeypatch, key):
    monkeypatch.setenv("REPO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REPO_ENV", "production")
    if key is None:
        monkeypatch.delenv("REPO_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("REPO_SECRET_KEY", key)
    with pytest.raises(ConfigError, match="REPO_SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("key", [secrets.token_urlsafe(32), secrets.token_hex(32)],
                         ids=["token_urlsafe-32", "token_hex-32"])
def test_production_accepts_32_random_bytes(tmp_path, monkeypatch, key):
    monkeypatch.setenv("REPO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REPO_ENV", "production")
    monkeypatch.setenv("REPO_SECRET_KEY", key)
    assert create_app().config["SECRET_KEY"] == key


def _log_in(client) -> str:
    token = csrf_token(client, "/login")
    # Over https Flask-WTF also wants a same-origin Referer, which browsers send here.
    response = client.post("/login", data={"email": "admin@thuvien.local", "password": PASSWORD,
                                           "csrf_token": token},
                           headers={"Referer": f"{SITE}/login"})
    assert response.status_code == 302
    return "; ".join(response.headers.getlist("Set-Cookie"))


def test_production_session_cookie_is_secure_httponly_and_samesite_lax(production):
    cookie = _log_in(site_client(production))
    assert "session=" in cookie
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_development_session_cookie_is_samesite_lax_but_not_secure(app, accounts):
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": "admin@test.vn", "password": PASSWORD,
                                           "csrf_token": token})
    cookie = response.headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie


def test_production_language_cookie_is_secure(production):
    response = site_client(production).get("/lang/en")
    assert "Secure" in response.headers["Set-Cookie"]


def test_production_answers_with_hsts(production):
    response = site_client(production).get("/")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1:8000", "thuvien.example.edu.vn.evil"])
def test_production_refuses_unknown_host_headers(production, host):
    response = site_client(production).get("/", headers={"Host": host})
    assert response.status_code == 400
    assert host not in response.get_data(as_text=True)


def test_production_answers_hosts_allowed_besides_the_site(tmp_path, monkeypatch, request):
    app = _production_app(tmp_path, monkeypatch, request, REPO_SECRET_KEY=STRONG,
                          REPO_ALLOWED_HOSTS="127.0.0.1:8000")
    response = app.test_client().get("/healthz", headers={"Host": "127.0.0.1:8000"})
    assert response.status_code == 200
    databases.dispose(app)


@pytest.mark.parametrize("url", ["/sitemap.xml", "/robots.txt", "/oai?verb=Identify",
                                 "/api/v1/openapi.json"])
def test_generated_addresses_come_from_base_url_not_the_host_header(app, url):
    app.config["BASE_URL"] = SITE
    body = app.test_client().get(url, headers={"Host": "evil.example"}).get_data(as_text=True)
    assert SITE in body
    assert "evil.example" not in body


def test_citation_pdf_url_comes_from_base_url(app, publish):
    work_id = publish("Luận văn mở")
    app.config["BASE_URL"] = SITE
    page = app.test_client().get(f"/works/{work_id}",
                                 headers={"Host": "evil.example"}).get_data(as_text=True)
    assert f'<meta name="citation_pdf_url" content="{SITE}/works/{work_id}/files/' in page
    assert "evil.example" not in page
