"""Vietnamese legacy encodings: TCVN3 (.VnTime) and VNI (VNI-Times)."""

from __future__ import annotations

import subprocess
import unicodedata

import pytest

from ingest.legacy_fonts import (
    convert,
    guess_legacy_encoding,
    is_legacy_font,
    is_uppercase_font,
    tcvn3_to_unicode,
    vni_to_unicode,
)

TCVN3_CASES = [
    ("Tr\u00adêng §¹i häc", "Trường Đại học"),
    ("Ch\u00ad¬ng 1. Giíi thiÖu chung", "Chương 1. Giới thiệu chung"),
    ("LuËn v¨n th¹c sÜ kinh tÕ", "Luận văn thạc sĩ kinh tế"),
    ("Hµ Néi, n¨m 2004", "Hà Nội, năm 2004"),
    ("NguyÔn ThÞ Thu H\u00ad¬ng", "Nguyễn Thị Thu Hương"),
    ("¡n ¢m £m ¤ ¥ ¦u §i", "Ăn Âm Êm Ô Ơ Ưu Đi"),
]
VNI_CASES = [
    ("Tröôøng Ñaïi hoïc", "Trường Đại học"),
    ("Chöông 1. Giôùi thieäu chung", "Chương 1. Giới thiệu chung"),
    ("Luaän vaên thaïc só kinh teá", "Luận văn thạc sĩ kinh tế"),
    ("Haø Noäi, naêm 2004", "Hà Nội, năm 2004"),
    ("Nguyeãn Thò Thu Höông", "Nguyễn Thị Thu Hương"),
    ("TRÖÔØNG ÑAÏI HOÏC", "TRƯỜNG ĐẠI HỌC"),
    ("aéc aèc aúc aüc aëc", "ắc ằc ẳc ẵc ặc"),
    ("æ ó ò yù î", "ỉ ĩ ị ý ỵ"),
]
WESTERN = [
    "Le «Guide du routard» coûte 15 € ; il fait 20 °C ± 2 °. Señor Müller à Zürich, déjà là.",
    "Straße, Ærøskøbing, ½ kg, ¼ l, © 2004 Société Générale, Ñandú, naïve café.",
    "« Très bien », dit-il à l’hôtel ; « où est la gare ? » Ça coûte 3 ½ €.",
]


@pytest.mark.parametrize(("legacy", "expected"), TCVN3_CASES)
def test_tcvn3_to_unicode(legacy, expected):
    assert tcvn3_to_unicode(legacy) == expected


@pytest.mark.parametrize(("legacy", "expected"), VNI_CASES)
def test_vni_to_unicode(legacy, expected):
    assert vni_to_unicode(legacy) == expected


def test_output_is_nfc():
    out = tcvn3_to_unicode("Tr\u00adêng") + vni_to_unicode("Tröôøng")
    assert out == unicodedata.normalize("NFC", out)


def test_capital_fonts_give_capitals():
    assert tcvn3_to_unicode("Tr\u00adêng §¹i häc", uppercase=True) == "TRƯỜNG ĐẠI HỌC"


def test_table_matches_glibc_for_every_byte():
    try:
        subprocess.run(["iconv", "--version"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("iconv is not installed")
    codes = [b for b in range(1, 256) if b not in (0x0A, 0x0D)]
    reference = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"],
                               input=bytes(codes), capture_output=True, check=True)
    expected = unicodedata.normalize("NFC", reference.stdout.decode("utf-8"))
    assert tcvn3_to_unicode(bytes(codes).decode("latin-1")) == expected


def test_unicode_text_is_never_converted():
    assert convert("Trường Đại học", "tcvn3") == "Trường Đại học"
    assert convert("Trường Đại học", "vni") == "Trường Đại học"


@pytest.mark.parametrize(("fontname", "encoding", "capitals"), [
    (".VnTime", "tcvn3", False),
    ("ABCDEF+.VnTime", "tcvn3", False),
    ("MPDFAA+.VnTimeH", "tcvn3", True),
    ("VnTime", "tcvn3", False),
    (".VnArial,Bold", "tcvn3", False),
    (".VnArialH-Bold", "tcvn3", True),
    (".VnBook-AntiquaH", "tcvn3", True),
    ("VNI-Times", "vni", False),
    ("QWERTY+VNI-Helve-Bold", "vni", False),
    ("TimesNewRomanPSMT", None, False),
    ("ABCDEF+DejaVuSans", None, False),
    ("Helvetica", None, False),
])
def test_font_names(fontname, encoding, capitals):
    assert is_legacy_font(fontname) == encoding
    assert is_uppercase_font(fontname) is capitals


@pytest.mark.parametrize(("legacy", "_"), TCVN3_CASES[:5])
def test_guess_recognises_tcvn3(legacy, _):
    assert guess_legacy_encoding(legacy) == "tcvn3"


@pytest.mark.parametrize(("legacy", "_"), VNI_CASES[:5])
def test_guess_recognises_vni(legacy, _):
    assert guess_legacy_encoding(legacy) == "vni"


@pytest.mark.parametrize("text", WESTERN + [
    "Trường Đại học Bách khoa Hà Nội, các môn học cơ sở.",
    "Plain English text without any accents at all, over several words.",
])
def test_guess_has_no_false_positives(text):
    assert guess_legacy_encoding(text) is None


def test_guess_needs_more_than_a_stray_word():
    assert guess_legacy_encoding("Price: 5 ± 1 °C, see «Hµ»") is None
