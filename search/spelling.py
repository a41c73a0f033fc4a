"""Vietnamese spelling: one form per syllable, for indexing, querying and highlighting.

Vietnamese is written one syllable per space-separated word, so the tokens
are syllables and phrases are syllable sequences. Three things make two
spellings of the same syllable differ, and each is undone here:

* decomposed input (NFD from some PDFs and Macs): NFC first, before the
  tokenizer sees it, or ``\\w+`` splits at every combining mark;
* Word's ``ƣ``/``Ƣ`` (U+01A3/U+01A2) for ``ư``/``Ư``, which no Unicode
  normalisation fixes;
* old and new tone placement (``hòa``/``hoà``, ``thủy``/``thuỷ``): every
  syllable's tone mark is moved to one canonical vowel.

There is no stop list, no minimum length and no stemming: "an", "to", "y"
are syllables in their own right ("An Giang", "y học").

Plain functions on strings, without Whoosh: the app folds names and
titles with them (``repo_app.textfold``) and must not load the search
engine to do so. ``search.analysis`` builds Whoosh's tokenizer on them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TOKEN_PATTERN = re.compile(r"\w+")

# The five Vietnamese tone marks as combining characters.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Vowel-quality marks (circumflex, breve, horn): a vowel carrying one takes the tone.
_QUALITY = frozenset("\u0302\u0306\u031b")
_VOWELS = frozenset("aeiouy")
# Open syllables whose tone sits on the second vowel in the (new, official) style.
_SECOND_VOWEL_CLUSTERS = frozenset({"oa", "oe", "uy"})


def nfc(text: str) -> str:
    """Compose ``text`` and repair Word's ``ƣ``, so every later step sees one spelling."""
    return unicodedata.normalize("NFC", text).replace("\u01a3", "ư").replace("\u01a2", "Ư")


@lru_cache(maxsize=65536)
def canonical(token: str) -> str:
    """Lowercase a syllable and put its tone mark where the new-style rule says.

    Cached because a language has a few thousand syllables and a thesis
    repeats them tens of thousands of times.
    """
    token = token.lower()
    letters = [unicodedata.normalize("NFD", ch) for ch in token]
    tones = [mark for parts in letters for mark in parts if mark in _TONES]
    if len(tones) != 1:
        return token
    bare = ["".join(m for m in parts if m not in _TONES) for parts in letters]
    target = _tone_position(bare)
    if target is None:
        return token
    bare[target] = unicodedata.normalize("NFC", bare[target] + tones[0])
    return unicodedata.normalize("NFC", "".join(bare))


def _tone_position(bare: list[str]) -> int | None:
    """Index of the letter that carries the tone, or None for a non-syllable.

    ``bare`` holds each letter decomposed, without its tone mark.
    """
    vowel_at = [i for i, parts in enumerate(bare) if parts[:1] in _VOWELS]
    if not vowel_at or vowel_at[-1] - vowel_at[0] != len(vowel_at) - 1:
        return None
    start, end = vowel_at[0], vowel_at[-1] + 1
    onset = "".join(p[:1] for p in bare[:start])
    if end - start > 1 and (
        (onset.endswith("q") and bare[start][:1] == "u") or (onset == "g" and bare[start] == "i")
    ):
        start += 1
    cluster = range(start, end)
    marked = [i for i in cluster if any(m in _QUALITY for m in bare[i])]
    if marked:
        return marked[-1]
    if end < len(bare) or len(cluster) == 1:
        return end - 1
    if len(cluster) == 3:
        return start + 1
    plain = "".join(bare[i][:1] for i in cluster)
    return start + 1 if plain in _SECOND_VOWEL_CLUSTERS else start


@lru_cache(maxsize=65536)
def fold(token: str) -> str:
    """Strip every diacritic and map ``đ`` to ``d``: what a user types without accents.

    ``đ`` does not decompose under NFD, so it is mapped before the marks are dropped.
    """
    decomposed = unicodedata.normalize("NFD", token.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def has_diacritics(token: str) -> bool:
    """True when folding changes ``token``: the user chose a precise spelling."""
    return fold(token) != token


def syllables(text: str) -> list[str]:
    """The canonical tokens of ``text``, as the exact field indexes them."""
    return [canonical(m.group()) for m in TOKEN_PATTERN.finditer(nfc(text))]


@lru_cache(maxsize=65536)
def canonical_folded(token: str) -> str:
    """``fold(canonical(token))`` in one cached step, for the folded fields."""
    return fold(canonical(token))
