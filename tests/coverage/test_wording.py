"""The coverage report in the reader's language: a passed deadline said as such, figures in the
locale's format (63,6% in Vietnamese), and blended targets explained."""

from __future__ import annotations

import html

from helpers import login


def _report(client, lang: str) -> str:
    login(client, "librarian@test.vn")
    return html.unescape(client.get(f"/reports/coverage?lang={lang}").get_data(as_text=True))


def test_a_report_after_the_deadline_says_it_passed_in_vietnamese(client, accounts, known,
                                                                  load_holdings, reg):
    load_holdings([reg.holding(11, category="rare")])  # 7 of 11 digitized: 63,6%
    page = _report(client, "vi")
    assert "Đã quá hạn chót 31/12/2025; mới đạt 63,6%, cần số hóa thêm 1 tài liệu để đạt 72,7%." \
        in page
    assert "để đạt 72,7% trước" not in page and "2025-12-31" not in page.split("<main")[1]
    assert "63.6" not in page


def test_blended_targets_are_explained(client, accounts, known, load_holdings, reg):
    load_holdings([reg.holding(11, category="rare")])
    page = _report(client, "en")
    note = page.split('class="note blended-targets">')[1].split("</p>")[0]
    assert "Endogenous research works: 70%" in note and "Rare and special collections: 100%" in note
    assert "72.7%" in note
    assert "Deadline 2025-12-31 passed; 63.6% reached, 1 more work to digitize for 72.7%." in page


def test_one_target_needs_no_blending_note(client, accounts, known):
    assert "blended-targets" not in _report(client, "en")
