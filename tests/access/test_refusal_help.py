"""A refusal no access rule offers a way past still says what to do, in the page's language:
log in (with another account, when logged in already) or contact the library, whose contact
comes from configuration."""

from __future__ import annotations

import html

import pytest
from access.world import OFF_CAMPUS, client_from

CONTACT = {"CONTACT_EMAIL": "thuvien@truong.edu.vn", "CONTACT_PHONE": "0292 3832 663",
           "CONTACT_ADDRESS": "Khu II, đường 3/2, Cần Thơ"}


def _refused(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 403
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(("lang", "login", "explained", "contact"), [
    ("en", "Log in with another account",
     "you are logged in as Reader, and this account may not do this.",
     "If you think you should have access, contact the library:"),
    ("vi", "Đăng nhập bằng tài khoản khác",
     "bạn đang đăng nhập bằng tài khoản Reader, và tài khoản này không được phép làm việc này.",
     "Nếu bạn nghĩ mình cần được truy cập, hãy liên hệ thư viện:"),
])
def test_a_staff_page_tells_a_reader_to_log_in_with_another_account_or_ask_the_library(
        app, accounts, lang, login, explained, contact):
    app.config.update(CONTACT)
    page = _refused(client_from(app, OFF_CAMPUS, "reader@test.vn"), f"/review?lang={lang}")
    assert f'<a href="/login?next=/review?lang%3D{lang}">{login}</a>' in page
    assert explained in page and contact in page
    assert '<a href="mailto:thuvien@truong.edu.vn">thuvien@truong.edu.vn</a>' in page
    assert 'href="tel:02923832663"' in page and "Khu II, đường 3/2, Cần Thơ" in page
    assert ("Log in with your library account" not in page
            and "Đăng nhập bằng tài khoản thư viện" not in page)


def test_without_a_configured_contact_the_reader_is_told_to_ask_the_staff(app, accounts):
    app.config.update(CONTACT_EMAIL="", CONTACT_PHONE="", CONTACT_ADDRESS="")
    page = _refused(client_from(app, OFF_CAMPUS, "reader@test.vn"), "/audit?lang=en")
    assert "If you think you should have access, ask the library's staff." in page
    help_section = page.split('refusal-help"')[1].split("</section>")[0]
    assert "contact the library:" not in help_section and "mailto:" not in help_section


@pytest.mark.parametrize(("lang", "login", "explained"), [
    ("en", "Log in with your library account",
     "if your account may do this, the page opens after you log in."),
    ("vi", "Đăng nhập bằng tài khoản thư viện của bạn",
     "nếu tài khoản của bạn được phép, trang sẽ mở ra sau khi bạn đăng nhập."),
])
def test_a_guest_is_told_to_log_in_or_ask(app, accounts, lang, login, explained):
    app.config.update(CONTACT)
    page = _refused(client_from(app, OFF_CAMPUS), f"/admin/users?lang={lang}")
    assert f'<a href="/login?next=/admin/users?lang%3D{lang}">{login}</a>' in page
    assert explained in page
    assert "Log in with another account" not in page and "Đăng nhập bằng tài khoản khác" not in page
    assert "thuvien@truong.edu.vn" in page


def test_a_refusal_with_next_steps_shows_them_instead(app, accounts, publish):
    work_id = publish("Luận văn hạn chế", "restricted")
    page = _refused(client_from(app, OFF_CAMPUS), f"/works/{work_id}/read?lang=en")
    assert "Log in to read online" in page
    assert "refusal-help" not in page
