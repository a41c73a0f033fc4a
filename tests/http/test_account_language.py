"""The language an account remembers follows it to any browser: a librarian who chose English
on one computer reads English on another after logging in, until this browser chooses (its
cookie or ?lang=); a guest without a choice gets the site's default language."""

from __future__ import annotations

import re

import pytest

from helpers import login
from repo_app.db import standalone_session
from repo_app.models import User

EMAIL = "librarian@test.vn"


def page_language(client, path: str = "/") -> str:
    return re.search(r'<html lang="(\w+)"', client.get(path).get_data(as_text=True)).group(1)


@pytest.fixture
def prefers_english(app, accounts) -> None:
    """The librarian chose English on another computer (its /lang/en saved it on the account)."""
    other = app.test_client()
    login(other, EMAIL)
    other.get("/lang/en")
    with standalone_session(app) as db:
        assert db.get(User, accounts["librarian"]).locale == "en"


def test_a_browser_without_a_choice_shows_the_accounts_language(client, prefers_english):
    assert page_language(client) == "vi"  # a guest: the site's default
    login(client, EMAIL)
    assert page_language(client) == "en"
    assert page_language(client, "/reports/coverage") == "en"


def test_this_browsers_cookie_wins_over_the_account(client, prefers_english):
    client.set_cookie("lang", "vi", domain="repo.test")
    login(client, EMAIL)
    assert page_language(client) == "vi"


def test_an_explicit_lang_wins_over_the_account(client, prefers_english):
    login(client, EMAIL)
    assert page_language(client, "/?lang=vi") == "vi"


def test_after_logging_out_the_browser_is_a_guests_again(client, prefers_english):
    login(client, EMAIL)
    client.post("/logout", data={"csrf_token": _token(client)})
    assert page_language(client) == "vi"


def test_an_account_that_never_chose_gets_the_sites_default(app, client, accounts):
    app.config["DEFAULT_LOCALE"] = "en"
    login(client, EMAIL)
    assert page_language(client) == "en"


def _token(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
