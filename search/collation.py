"""Vietnamese alphabetical order for names and labels: a sort key, without ICU.

Python compares strings by code point, so "Đặng" sorts after "Zuê" and
"Ánh" after every unmarked word. A Vietnamese dictionary orders the letters
a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (Latin's f, j, w
and z in their places), then, for words spelled with the same letters, by
tone: none, grave, hook, tilde, acute, dot below (the order of CLDR's
Vietnamese collation), then lower case before upper case. ``sort_key``
compares at those three levels, as a collator would; PyICU is not a
dependency of the project for this one order.

A plain function on strings, without Whoosh: the facets are cut and ordered
with it here, and the app orders its labels and lists with it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from search.spelling import nfc

# Every letter of the Vietnamese alphabet and the other Latin letters, in dictionary order.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Letters come after spaces, punctuation and digits (whose code points are all below this).
_LETTER_BASE = 0x100
# Characters outside the Latin alphabet keep their own order, after every Latin letter.
_OTHER_BASE = _LETTER_BASE + len(ALPHABET)
_RANK = {letter: chr(_LETTER_BASE + i) for i, letter in enumerate(ALPHABET)}
# Tone marks as combining characters, in the order words that differ only by tone sort.
_TONE_ORDER = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
# Marks that make a letter of their own (ă, â, ê, ô, ơ, ư): kept with the base letter.
_LETTER_MARKS = frozenset("\u0302\u0306\u031b")


@lru_cache(maxsize=4096)
def _weights(char: str) -> tuple[str, str, str]:
    """One character's primary (letter), secondary (tone) and tertiary (case) weights."""
    lower = char.lower()
    case = "0" if char == lower else "1"
    if lower == "đ":
        return _RANK["đ"], "0", case
    parts = unicodedata.normalize("NFD", lower)
    base = parts[0]
    letter = unicodedata.normalize("NFC", base + "".join(m for m in parts[1:] if m in _LETTER_MARKS))
    tone = next((_TONE_ORDER[m] for m in parts[1:] if m in _TONE_ORDER), "0")
    if letter in _RANK:
        return _RANK[letter], tone, case
    if base in _RANK:  # a Latin letter with a mark Vietnamese does not use (ü, ç): its base
        return _RANK[base], tone, case
    if ord(lower) < _LETTER_BASE and not lower.isalpha():
        return lower, "0", case
    return chr(_OTHER_BASE + ord(lower)), "0", case


def sort_key(text: str) -> tuple[str, str, str, str]:
    """A key that sorts ``text`` as a Vietnamese dictionary would: "Dương" < "Đặng" < "Zuê".

    Letters first, tones only between words of the same letters, case last;
    the text itself breaks the remaining ties, so the order is total.
    """
    text = nfc(text).strip()
    weights = [_weights(char) for char in text]
    return ("".join(w[0] for w in weights), "".join(w[1] for w in weights),
            "".join(w[2] for w in weights), text)
