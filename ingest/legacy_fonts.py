"""Vietnamese text typed in pre-Unicode fonts: TCVN3 (ABC) and VNI.

Theses written before about 2005 used fonts such as ``.VnTime`` (TCVN3)
or ``VNI-Times`` (VNI) that draw Vietnamese letters at the positions of
Latin-1 characters. A PDF made from them yields mojibake such as
``Tr­êng §¹i häc`` for ``Trường Đại học``. The font name tells which
table to apply; when a PDF hides it, :func:`guess_legacy_encoding` looks
for many words that become Vietnamese syllables only after conversion.

The TCVN3 table was derived once from glibc (``iconv -f TCVN5712-1``)
and is hard-coded, so nothing runs iconv at extraction time. Capital-only
fonts (``.VnTimeH``) draw the lowercase positions as capitals.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable

from ingest import syllables

TCVN3 = "tcvn3"
VNI = "vni"

# Byte value (as pdfminer reports it: the Latin-1 character) -> Unicode.
_TCVN3_TABLE: dict[int, str] = {
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ",
    0x12: "Ự", 0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ",
    0x80: "À", 0x81: "Ả", 0x82: "Ã", 0x83: "Á", 0x84: "Ạ", 0x85: "Ặ",
    0x86: "Ậ", 0x87: "È", 0x88: "Ẻ", 0x89: "Ẽ", 0x8A: "É", 0x8B: "Ẹ",
    0x8C: "Ệ", 0x8D: "Ì", 0x8E: "Ỉ", 0x8F: "Ĩ", 0x90: "Í", 0x91: "Ị",
    0x92: "Ò", 0x93: "Ỏ", 0x94: "Õ", 0x95: "Ó", 0x96: "Ọ", 0x97: "Ộ",
    0x98: "Ờ", 0x99: "Ở", 0x9A: "Ỡ", 0x9B: "Ớ", 0x9C: "Ợ", 0x9D: "Ù",
    0x9E: "Ủ", 0x9F: "Ũ", 0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô",
    0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ", 0xA8: "ă", 0xA9: "â", 0xAA: "ê",
    0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ", 0xAF: "Ằ", 0xB0: "\u0300",
    0xB1: "\u0309", 0xB2: "\u0303", 0xB3: "\u0301", 0xB4: "\u0323", 0xB5: "à", 0xB6: "ả",
    0xB7: "ã", 0xB8: "á", 0xB9: "ạ", 0xBA: "Ẳ", 0xBB: "ằ", 0xBC: "ẳ",
    0xBD: "ẵ", 0xBE: "ắ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ",
    0xC3: "Ẫ", 0xC4: "Ấ", 0xC5: "Ề", 0xC6: "ặ", 0xC7: "ầ", 0xC8: "ẩ",
    0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ", 0xCC: "è", 0xCD: "Ể", 0xCE: "ẻ",
    0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ", 0xD2: "ề", 0xD3: "ể", 0xD4: "ễ",
    0xD5: "ế", 0xD6: "ệ", 0xD7: "ì", 0xD8: "ỉ", 0xD9: "Ễ", 0xDA: "Ế",
    0xDB: "Ồ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị", 0xDF: "ò", 0xE0: "Ổ",
    0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ", 0xE5: "ồ", 0xE6: "ổ",
    0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ", 0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ",
    0xED: "ớ", 0xEE: "ợ", 0xEF: "ù", 0xF0: "Ỗ", 0xF1: "ủ", 0xF2: "ũ",
    0xF3: "ú", 0xF4: "ụ", 0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ",
    0xF9: "ự", 0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFE: "ỵ", 0xFF: "Ố",
}
_TCVN3 = str.maketrans({chr(code): text for code, text in _TCVN3_TABLE.items()})

_GRAVE, _ACUTE, _TILDE, _HOOK, _DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
# VNI writes a base letter followed by a mark character; each mark character
# (both cases draw the same mark) becomes combining marks, which NFC composes.
_VNI_MARKS = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRCUMFLEX, "á": _CIRCUMFLEX + _ACUTE, "à": _CIRCUMFLEX + _GRAVE,
    "å": _CIRCUMFLEX + _HOOK, "ã": _CIRCUMFLEX + _TILDE, "ä": _CIRCUMFLEX + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE,
    "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}
# Letters VNI draws as one character.
_VNI_LETTERS = {
    "ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
}
_VNI = str.maketrans(
    {**{key: mark for m, mark in _VNI_MARKS.items() for key in (m, m.upper())},
     **{m: letter for m, letter in _VNI_LETTERS.items()},
     **{m.upper(): letter.upper() for m, letter in _VNI_LETTERS.items()}}
)

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_STYLE_SUFFIX = re.compile(
    r"([,\-\s]*(Bold|Italic|Oblique|Regular|Normal|Roman|BoldItalic|MT|PS))+$", re.IGNORECASE
)
# Letters that exist only in Vietnamese Unicode text: their presence means
# the text is already Unicode and must not be converted.
_UNICODE_VIETNAMESE = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")

_WORD_EDGES = "\"'()[]{}.,;:!?/*-–—…“”‘’"

MIN_SYLLABLES = 3
MIN_SHARE_OF_CANDIDATES = 0.6
MIN_SHARE_OF_WORDS = 0.15


def tcvn3_to_unicode(text: str, *, uppercase: bool = False) -> str:
    """Convert TCVN3 (ABC) mojibake to NFC Unicode; ``uppercase`` for ``…H`` fonts."""
    converted = unicodedata.normalize("NFC", text.translate(_TCVN3))
    return converted.upper() if uppercase else converted


def vni_to_unicode(text: str) -> str:
    """Convert VNI mojibake (base letters followed by mark characters) to NFC Unicode."""
    return unicodedata.normalize("NFC", text.translate(_VNI))


def convert(text: str, encoding: str, *, uppercase: bool = False) -> str:
    """Convert with the named table; text that is already Unicode Vietnamese is left alone."""
    if _UNICODE_VIETNAMESE.search(text):
        return text
    if encoding == TCVN3:
        return tcvn3_to_unicode(text, uppercase=uppercase)
    if encoding == VNI:
        return vni_to_unicode(text)
    raise ValueError(f"unknown legacy encoding {encoding!r}")


def is_legacy_font(fontname: str) -> str | None:
    """``"tcvn3"`` for ``.VnTime``-style fonts, ``"vni"`` for ``VNI-Times``-style, else None."""
    family = _family(fontname).lower()
    if family.startswith("vni"):
        return VNI
    if family.startswith(".vn") or (family.startswith("vn") and len(family) > 2):
        return TCVN3
    return None


def is_uppercase_font(fontname: str) -> bool:
    """True for TCVN3 capital-only fonts (``.VnTimeH``, ``.VnArialH``)."""
    family = _STYLE_SUFFIX.sub("", _family(fontname)).replace(" ", "")
    return is_legacy_font(fontname) == TCVN3 and family.endswith("H")


def guess_legacy_encoding(text: str) -> str | None:
    """The legacy encoding the text seems to be in, judged by Vietnamese syllables.

    Ordinary Western text with « » ° ± or accented words rarely turns into
    valid Vietnamese syllables, and Unicode Vietnamese is already valid
    before conversion; only text where many non-ASCII words become
    syllables *because of* the conversion counts.
    """
    words = _word_counts(text)
    candidates = {w: n for w, n in words.items() if not w.isascii()}
    if not candidates:
        return None
    before = _syllable_count(candidates, lambda w: w)
    scores = {enc: _syllable_count(candidates, lambda w, enc=enc: convert(w, enc))
              for enc in (TCVN3, VNI)}
    encoding = max(scores, key=lambda enc: scores[enc])
    score = scores[encoding]
    convincing = (
        score >= MIN_SYLLABLES
        and score >= MIN_SHARE_OF_CANDIDATES * sum(candidates.values())
        and score >= MIN_SHARE_OF_WORDS * words.total()
        and score > 2 * before
    )
    return encoding if convincing else None


def _word_counts(text: str) -> Counter[str]:
    """Words without surrounding punctuation, with how often each occurs.

    A thesis repeats a few thousand distinct words hundreds of times each:
    judging each distinct word once, weighted by its count, gives the same
    scores as judging every occurrence, for a fraction of the work.
    """
    counts: Counter[str] = Counter()
    for word, n in Counter(text.split()).items():
        if stripped := _strip_word(word):
            counts[stripped] += n
    return counts


def _syllable_count(counts: dict[str, int], transform: Callable[[str], str]) -> int:
    """How many of the counted words are Vietnamese syllables once transformed."""
    return sum(n for w, n in counts.items() if syllables.is_valid(transform(w)))


def _family(fontname: str) -> str:
    return _SUBSET_PREFIX.sub("", fontname.strip())


def _strip_word(word: str) -> str:
    return word.strip(_WORD_EDGES)
