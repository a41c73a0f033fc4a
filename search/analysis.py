"""Vietnamese text analysis: one pipeline for indexing, querying and highlighting.

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
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Analyzer, Token, Tokenizer
from whoosh.formats import Positions

from search.whoosh_private import encode_positions, taken

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


class SyllableTokenizer(Tokenizer):
    """The whole pipeline in one generator: NFC, ``\\w+``, canonical form (and folding).

    It gives what Whoosh's ``RegexTokenizer`` over NFC text followed by a
    canonicalising (and folding) filter gives (the tests hold it to that
    chain); one generator instead of three, and one cached normalisation
    per token, roughly halves the analysis of a 50 KB text. Stored name:
    never move or rename (``search.stored_names``).
    """

    def __init__(self, folded: bool = False) -> None:
        self.folded = folded

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.folded == self.folded  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self.folded))

    def __call__(  # noqa: PLR0913 - Whoosh's tokenizer signature
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        normalise = canonical_folded if self.folded else canonical
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        value = nfc(value)
        if not tokenize:
            token.original = value
            token.text = normalise(value)
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for pos, match in enumerate(TOKEN_PATTERN.finditer(value), start_pos):
            text = match.group()
            token.text = normalise(text)
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


def exact_analyzer() -> Analyzer:
    """Syllables with their diacritics: "đất" and "đạt" stay apart."""
    return SyllableTokenizer()


def folded_analyzer() -> Analyzer:
    """Syllables without diacritics: "dai hoc" finds "Đại học"."""
    return SyllableTokenizer(folded=True)


class SyllablePositions(Positions):
    """Whoosh's ``Positions`` postings, built without a Token per syllable.

    When a whole text is indexed with a ``SyllableTokenizer`` (the only
    case while writing), positions are gathered from one ``findall`` and the
    cached normalisation; the postings are byte for byte those of the
    generic path, which every other call still takes. Stored name: never
    move or rename (``search.stored_names``).
    """

    def word_values(
        self, value: object, analyzer: object, **kwargs: object
    ) -> Iterator[tuple[str, int, float, bytes]]:
        if (
            not isinstance(analyzer, SyllableTokenizer)
            or not isinstance(value, str)
            or set(kwargs) - {"mode"}
        ):
            taken["analysis.generic_positions"] += 1
            yield from super().word_values(value, analyzer, **kwargs)
            return
        taken["analysis.fast_positions"] += 1
        normalise = canonical_folded if analyzer.folded else canonical
        positions: defaultdict[str, list[int]] = defaultdict(list)
        for pos, word in enumerate(map(normalise, TOKEN_PATTERN.findall(nfc(value)))):
            positions[word].append(pos)
        boost = self.field_boost
        for word, poslist in positions.items():
            yield (word, len(poslist), float(len(poslist)) * boost, encode_positions(poslist))
