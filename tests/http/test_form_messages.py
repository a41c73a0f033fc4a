"""WTForms' own validation messages speak the page's language, like ours do."""

from __future__ import annotations

import html
import re
from pathlib import Path

from helpers import csrf_token

PROJECT = Path(__file__).resolve().parents[2]


def _login_with(client, email: str, lang: str) -> str:
    token = csrf_token(client, "/login")
    response = client.post(f"/login?lang={lang}",
                           data={"email": email, "password": "x", "csrf_token": token})
    return html.unescape(response.get_data(as_text=True))


def test_a_built_in_message_is_in_vietnamese(client, accounts):
    page = _login_with(client, "a" * 250 + "@test.vn", "vi")
    assert "Không được dài quá 254 ký tự." in page
    assert "Field cannot be longer" not in page


def test_the_same_message_stays_english_in_english(client, accounts):
    page = _login_with(client, "a" * 250 + "@test.vn", "en")
    assert "Field cannot be longer than 254 characters." in page


def test_every_form_takes_the_translated_base():
    """A form built on FlaskForm directly would show WTForms' English again."""
    offenders = [str(path.relative_to(PROJECT)) for path in (PROJECT / "repo_app").rglob("*.py")
                 if re.search(r"^class \w+\(FlaskForm\)", path.read_text(), re.M)
                 and path.name != "forms.py"]
    assert offenders == []


def test_a_stale_form_is_explained_in_the_pages_language_not_flask_wtfs(client, accounts):
    """A form sent without its token (a page left open past the session, a forged post)."""
    for lang, words in (("vi", "Biểu mẫu đã hết hạn"), ("en", "This form has expired")):
        response = client.post(f"/login?lang={lang}", data={"email": "a@test.vn", "password": "x"})
        page = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 400 and words in page
        assert "CSRF" not in page
