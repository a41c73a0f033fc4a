"""Normalisation: what the search index receives from a PDF's text."""

from __future__ import annotations

import unicodedata

import pytest

from ingest.normalize import garbled_ratio, gibberish_ratio, noise_ratio, normalize_text


@pytest.mark.parametrize(("raw", "expected"), [
    ("Tru\u031bo\u031b\u0300ng Đa\u0323i ho\u0323c", "Trường Đại học"),   # decomposed input
    ("The \ufb02ow and \ufb01nal o\ufb03ce", "The flow and final office"),  # ligatures
    ("\u01a2u tiên nghiên c\u01a3́u", "Ưu tiên nghiên cứu"),                  # Word's ƣ/Ƣ
    ("Hello(cid:3)(cid:17) world(cid:120)", "Hello world"),
    ("infor-\nmation", "information"),
    ("Hà Nội -\nSài Gòn", "Hà Nội -\nSài Gòn"),       # a dash after a space is a dash
    ("1990-\n2000", "1990-\n2000"),                    # so is one between numbers
    ("Việt-\nNam", "Việt-\nNam"),                      # and one before a capital
    ("Mác-\nLênin, Hà-\nƯng", "Mác-\nLênin, Hà-\nƯng"),
    ("nghiên cứu   khoa\t\thọc", "nghiên cứu khoa học"),
    ("đoạn một\n\n\n\n\nđoạn hai", "đoạn một\n\nđoạn hai"),
    ("  lề trái  \n", "lề trái"),
    ("mềm\u00admại", "mềmmại"),
    ("み\nん\nな", "みんな"),
    ("trang một\ftrang hai", "trang một\n\ntrang hai"),
])
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_output_is_nfc():
    text = normalize_text("Nguye\u0302\u0303n Thi\u0323 Ho\u0300a")
    assert text == unicodedata.normalize("NFC", text) == "Nguyễn Thị Hòa"


def test_old_and_new_tone_placement_stay_distinct():
    assert normalize_text("hoà") != normalize_text("hòa")


def pages_with_running_lines(count: int) -> str:
    return "\f".join(
        f"Luận văn thạc sĩ kinh tế\nNội dung chính của trang {i}, phần {i}.\n"
        f"Đoạn thứ hai của trang {i}.\nTrang {i + 1}"
        for i in range(count)
    )


def test_repeated_headers_and_page_numbers_are_dropped_on_request():
    text = normalize_text(pages_with_running_lines(6), drop_repeated_lines=True)
    assert "Luận văn thạc sĩ kinh tế" not in text
    assert "Trang 3" not in text
    assert "Nội dung chính của trang 3, phần 3." in text
    assert "Đoạn thứ hai của trang 5." in text


def test_repeated_lines_are_kept_by_default():
    assert "Luận văn thạc sĩ kinh tế" in normalize_text(pages_with_running_lines(6))


def test_short_documents_keep_their_first_lines():
    two_pages = "Tiêu đề\nmột\fTiêu đề\nhai"
    assert normalize_text(two_pages, drop_repeated_lines=True).count("Tiêu đề") == 2


@pytest.mark.parametrize(("raw", "low", "high"), [
    ("", 0.0, 0.0),
    ("Ordinary text with nothing odd", 0.0, 0.0),
    ("(cid:1)(cid:2)(cid:3) ab", 0.55, 0.65),
    ("\ue000\ue001\ue002\ue003", 1.0, 1.0),
    ("ab\ufffd\ufffd", 0.5, 0.5),
    # pdftotext's glyph numbers: U+001C-U+001F count although Python takes them for spaces.
    ("\x1e\x03\x10\x06\x07 \x1f\x1c ab", 0.75, 0.85),
    ("\x84\x93 ab", 0.5, 0.5),
    ("tab\tand\nnewline\fpage", 0.0, 0.0),
])
def test_garbled_ratio(raw, low, high):
    assert low <= garbled_ratio(raw) <= high


@pytest.mark.parametrize("text", [
    "mnopDetrst nopDet2nu2tDen4vDtaxctynIPtn at5áty4Dnt3êtDôDet3nôD",
    "xqzv bcdfgh mnpqrs tvwxz bcdfg hjklm npqrs",
    # Letters only Vietnamese writes, in words no Vietnamese could: a wrong map of a Vietnamese font.
    "ươạp mưđn ắtrư ơưa phưđ ẩnươ ưtrắ ngơưp",
])
def test_letters_that_spell_nothing_are_gibberish(text):
    assert gibberish_ratio(text) > 0.5


@pytest.mark.parametrize("text", [
    "Hello worldHello world, the 21st century and the 3rd page of 1999.",
    "Trường Đại học Cần Thơ, luận văn thạc sĩ kinh tế năm 2024.",
    "NASA and the USA published the report in English.",
    "みんなのおのおの 你好世界 مرحبا بالعالم",
    "short",
])
def test_real_words_are_not_gibberish(text):
    assert gibberish_ratio(text) < 0.2


@pytest.mark.parametrize("text", [
    "Trường Đại học Cần Thơ, luận văn thạc sĩ kinh tế năm 2024.",
    "1.1 Giới thiệu ........................................................ 5\n"
    "1.2 Phương pháp ................................................... 12",
    "Line 7: Enter the amount from Form 1040-NR, line 23 ($) ________________ 7",
    "for (i = 0; i < n; i++) { total += values[i]; } return total;",
    "みんなのおのおの 你好世界 مَرْحَبًا بِالعَالَم नमस्ते दुनिया",
    "!?",
])
def test_real_text_is_mostly_letters_and_digits(text):
    assert noise_ratio(text) < 0.5


@pytest.mark.parametrize("text", [
    # pdftotext on pages whose subset font has no character map (tests/ingest/test_garbled_layers.py)
    "\x1e\x03\x10\x06\x07\n\n\x1f\x1c \x1d\x03 \x03\x08 \x17\x11 \x06\x03 \x06!\x03 "
    "\"\x11\x07\x10# \x1b\x02 $ \x0f %\x11\x04\x05\x07 \x13 \x08\x03\x02 \x06!\x03",
    "! \"# $ % & ' ()* +,- ./ 0 1 2 34 ,5 6789 :;<=>?@AB C7 =9 5 @D",
    "(cid:1)(cid:2)(cid:3) ab " * 8,
])
def test_symbols_and_undecodable_characters_are_noise(text):
    assert noise_ratio(text) > 0.5
