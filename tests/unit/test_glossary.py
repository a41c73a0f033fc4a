"""The Vietnamese catalogue keeps the glossary (docs/glossary.md): one term per concept.

Several people add messages at once; without a check, "embargo" becomes "hoãn công bố" in
one place and "hạn chế truy cập" (the restricted level's word) in another, "Mật" (the
state-secret classification) creeps in for "confidential", and "hoá" sits next to "hóa".
These tests read the catalogue and the Vietnamese guide as text; a new message that breaks
a rule names itself in the failure.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from repo_app.vocab import ACCESS_LABELS, DEGREE_LEVEL_LABELS, ROLE_LABELS, STATUS_LABELS, TYPE_LABELS

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "repo_app" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
GUIDE = sorted((ROOT / "templates" / "guide" / "vi").glob("*.html"))
GLOSSARY = ROOT / "docs" / "glossary.md"

# The names of levels, states, roles, types and degrees: every badge, filter, form, export
# and the guide say them so (outside a request a label is its English msgid).
LABELS = {
    "Open access": "Truy cập mở",
    "Campus only": "Chỉ trong trường",
    "Restricted reading": "Đọc hạn chế",
    "Embargoed": "Cấm truy cập tạm thời",
    "Confidential": "Không công khai",
    "On-site reading only": "Chỉ đọc tại chỗ",
    "Draft": "Bản nháp",
    "Awaiting review": "Chờ duyệt",
    "Returned for changes": "Trả lại để chỉnh sửa",
    "Published": "Đã công bố",
    "Withdrawn": "Đã rút",
    "Guest": "Khách",
    "Reader": "Bạn đọc",
    "Depositor": "Người nộp",
    "Librarian": "Thủ thư",
    "Administrator": "Quản trị viên",
    "Bachelor's thesis": "Khóa luận tốt nghiệp",
    "Master's thesis": "Luận văn thạc sĩ",
    "Doctoral dissertation": "Luận án tiến sĩ",
    "Research report": "Báo cáo nghiên cứu",
    "Article": "Bài báo",
    "Bachelor": "Đại học",
    "Master": "Thạc sĩ",
    "Doctoral": "Tiến sĩ",
    "Not a degree work": "Không phải khóa luận, luận văn, luận án",
}

# An English term in a msgid (a regular expression, case-insensitive) → the Vietnamese
# term(s) its msgstr must use (any one of them). The table of docs/glossary.md says why.
TERMS = [
    (r"\bembargo", ("cấm truy cập",)),
    (r"\brestrict", ("hạn chế",)),
    (r"\bconfidential", ("không công khai",)),
    (r"\bopen access", ("truy cập mở",)),
    (r"\bcampus only", ("chỉ trong trường",)),
    (r"\bon-site|\bon site", ("tại chỗ",)),
    (r"\breading room", ("phòng đọc",)),
    (r"\bdeposit", ("nộp",)),
    (r"\bsubmit", ("gửi",)),
    (r"\breviewer|\breview queue|\bsubmit(ted)? for review|\bawaiting review|^review( this work)?$|"
     r"^reviewing deposits$|^nothing is waiting for review", ("duyệt",)),
    (r"\bocr review|\bpages? to review|\bpage is waiting for review|^waiting for review$",
     ("kiểm tra",)),
    (r"\bbrowse", ("xem",)),
    (r"\bpublish", ("công bố",)),
    (r"\bwithdr[ae]w", ("rút",)),
    (r"\bdraft", ("nháp",)),
    (r"\bapprov", ("chấp thuận",)),
    (r"\bdeclin", ("từ chối",)),
    (r"\breject", ("bác bỏ", "bị loại")),
    (r"\bgrant(?!or)", ("cấp",)),
    (r"(?<!unprotected )(?<!stored )(?<!searchable )\bcop(y|ies)\b(?! for preservation)",
     ("bản sao",)),
    (r"\brequest(?!s;)", ("yêu cầu",)),
    (r"\bholdings? (file|register)|\bimport holdings|\bholdings imported", ("sổ đăng ký",)),
    (r"\bholding id|\bthe id or call number", ("mã đăng ký",)),
    (r"\bshelf mark|\bcall number", ("ký hiệu xếp giá",)),
    (r"\bdigiti[sz]", ("số hóa",)),
    (r"\bcoverage", ("tiến độ",)),
    (r"\bsearchable", ("tìm được", "tìm kiếm được")),
    (r"\bendogenous", ("nội sinh",)),
    (r"\bborn-digital", ("số gốc",)),
    (r"\bcategor", ("nhóm",)),
    (r"\bharvest", ("thu thập",)),
    (r"\bpartner", ("đối tác",)),
    (r"\brepository", ("kho",)),
    (r"\brecords?\b", ("biểu ghi",)),
    (r"\bmetadata", ("thông tin mô tả",)),
    (r"\btitle\b", ("nhan đề",)),
    (r"\babstract\b", ("tóm tắt",)),
    (r"\bkeywords?\b", ("từ khóa",)),
    (r"\badvisor", ("người hướng dẫn",)),
    (r"\bfacult", ("khoa",)),
    (r"\bthes[ie]s\b", ("luận văn", "khóa luận")),
    (r"\bdissertation", ("luận án",)),
    (r"\blibrarian", ("thủ thư",)),
    (r"\blibrary staff", ("cán bộ thư viện",)),
    (r"\baudit log", ("nhật ký thay đổi",)),
    (r"\bjobs?\b", ("tác vụ",)),
    (r"\bsuggest", ("gợi ý",)),
    (r"\blicen[cs]e", ("giấy phép",)),
    (r"\btakedown", ("gỡ bỏ",)),
    (r"\btoken", ("mã",)),
    (r"\baccounts?\b", ("tài khoản",)),
    (r"\bpassword", ("mật khẩu",)),
    (r"\bupload", ("tải lên",)),
    (r"\bdownload", ("tải",)),
    (r"\bscan", ("quét", "số hóa")),
    (r"\bfiles?\b", ("tệp",)),
    (r"\bmanifest", ("tệp mô tả",)),
]

# Vietnamese words the glossary retired, or keeps for one meaning only.
FORBIDDEN = [
    (r"hoãn công bố", "embargo is 'cấm truy cập tạm thời' (the work itself is published)"),
    (r"tải xuống", "download is 'tải về'"),
    (r"\bbản ghi\b", "a record is a 'biểu ghi'"),
    (r"công trình(?! nghiên cứu)", "a work is a 'tài liệu'"),
    (r"\bkho số\b", "the repository is the 'kho lưu trữ'"),
    (r"\btỉ lệ\b", "the catalogue writes 'tỷ lệ'"),
    (r"(?<!trình )duyệt xem", "'duyệt' is kept for review; browse is 'xem'"),
    (r"(?<!bí )\bmật\b(?! khẩu)", "'Mật' is the state-secret classification"),
]

# Where a word may appear only for its own concept: the msgid must name that concept.
ONLY_FOR = [
    (r"(?<!trình )duyệt", r"review|submit"),
    (r"hạn chế", r"restrict"),
    (r"cấm truy cập", r"embargo"),
    (r"không công khai", r"confidential"),
    (r"tại chỗ", r"on-site|on site|permit|only in the reading room"),
    (r"sổ đăng ký", r"holding"),
    (r"chấp thuận", r"approv"),
    (r"bác bỏ", r"reject"),
    (r"bản sao", r"\bcop(y|ies)\b|request for|asked for this work"),
    (r"bí mật nhà nước", r"state secret"),
]

# Common English words that a translation never keeps (codes such as author: or OR stay).
ENGLISH = re.compile(r"\b(the|and|with|this|that|your|please|must|have|been|from|not|"
                     r"was|were|will|there|which|only|page|work|works|file|files)\b")

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|%%|\{[a-z_]+(?::[^}]*)?\}")

# The tone-mark placement the glossary does not use: on the second vowel of oa, oe, uy at a
# syllable's end (hoà, khoẻ, thuỷ); "quý" and "hoàn" are the same in both placements.
SECOND_VOWEL_MARK = re.compile(r"(?<![qQ])(?:[oO][àáảãạèéẻẽẹ]|[uU][ỳýỷỹỵ])(?!\w)")


@cache
def _messages() -> list[tuple[str, list[str]]]:
    """Each message as (English text, its Vietnamese forms), a plural's English forms joined."""
    with CATALOGUE.open("rb") as stream:
        catalogue = read_po(stream)
    found = []
    for message in catalogue:
        if not message.id:
            continue
        english = " ".join(message.id) if isinstance(message.id, tuple) else message.id
        forms = list(message.string) if isinstance(message.string, tuple) else [message.string]
        found.append((english, forms))
    return found


def _plain(text: str) -> str:
    """The words of a message without its placeholders (``%(title)s`` is no title)."""
    return unicodedata.normalize("NFC", PLACEHOLDER.sub(" ", text)).lower()


@pytest.mark.parametrize("labels", [ACCESS_LABELS, STATUS_LABELS, ROLE_LABELS, TYPE_LABELS,
                                    DEGREE_LEVEL_LABELS],
                         ids=["levels", "states", "roles", "types", "degrees"])
def test_every_level_state_role_and_type_has_its_glossary_name(labels):
    catalogue = {english: forms[0] for english, forms in _messages()}
    english = [str(label) for label in labels.values()]
    assert {e: catalogue.get(e) for e in english} == {e: LABELS.get(e) for e in english}


def test_the_guide_names_the_levels_as_the_pages_do():
    table = (ROOT / "templates" / "guide" / "vi" / "access.html").read_text(encoding="utf-8")
    rows = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert sorted(rows) == sorted(LABELS[str(label)] for label in ACCESS_LABELS.values())


def test_every_message_is_translated_and_none_is_fuzzy():
    with CATALOGUE.open("rb") as stream:
        catalogue = read_po(stream)
    untranslated = [m.id for m in catalogue if m.id and not all(
        m.string if isinstance(m.string, tuple) else [m.string])]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_placeholders_are_kept_exactly():
    wrong = [(english, form) for english, forms in _messages() for form in forms
             if sorted(set(PLACEHOLDER.findall(english))) != sorted(set(PLACEHOLDER.findall(form)))]
    assert wrong == []


@pytest.mark.parametrize(("english", "vietnamese"), TERMS, ids=[t[1][0] for t in TERMS])
def test_each_english_term_has_its_one_vietnamese_term(english, vietnamese):
    pattern = re.compile(english, re.I)
    wrong = [(text, form) for text, forms in _messages() for form in forms
             if pattern.search(_plain(text)) and not any(v in _plain(form) for v in vietnamese)]
    assert wrong == []


@pytest.mark.parametrize(("word", "why"), FORBIDDEN, ids=[f[0] for f in FORBIDDEN])
def test_retired_words_are_not_used(word, why):
    pattern = re.compile(word, re.I)
    texts = [form for _, forms in _messages() for form in forms]
    texts += [path.read_text(encoding="utf-8") for path in GUIDE]
    assert [t for t in texts if pattern.search(unicodedata.normalize("NFC", t))] == [], why


@pytest.mark.parametrize(("word", "concept"), ONLY_FOR, ids=[o[0] for o in ONLY_FOR])
def test_a_reserved_word_is_used_only_for_its_concept(word, concept):
    pattern, meaning = re.compile(word, re.I), re.compile(concept, re.I)
    wrong = [(text, form) for text, forms in _messages() for form in forms
             if pattern.search(form) and not meaning.search(text)]
    assert wrong == []


def test_tone_marks_sit_on_the_first_vowel_of_oa_oe_uy():
    texts = [form for _, forms in _messages() for form in forms]
    texts += [path.read_text(encoding="utf-8") for path in GUIDE]
    assert [m.group() for t in texts for m in SECOND_VOWEL_MARK.finditer(t)] == []


def test_the_text_is_in_composed_unicode():
    """A decomposed "ọ" (o + a combining dot) looks the same but escapes every rule here."""
    texts = [CATALOGUE.read_text(encoding="utf-8")]
    texts += [path.read_text(encoding="utf-8") for path in GUIDE]
    assert all(unicodedata.is_normalized("NFC", text) for text in texts)


def test_no_english_is_left_in_a_translation():
    left = [(text, form) for text, forms in _messages() for form in forms
            if ENGLISH.search(PLACEHOLDER.sub(" ", form))]
    assert left == []


def test_a_translation_starts_with_a_capital_where_its_english_does():
    wrong = [(text, form) for text, forms in _messages() for form in forms
             if text[:1].isalpha() and form[:1].isalpha()
             and text[:1].isupper() != form[:1].isupper()]
    assert wrong == []


def test_the_glossary_names_every_term_the_tests_keep():
    glossary = GLOSSARY.read_text(encoding="utf-8").lower()
    missing = [v[0] for _, v in TERMS if v[0] not in glossary]
    missing += [v for v in LABELS.values() if v.lower() not in glossary]
    assert missing == []
