"""Whoosh's side of Vietnamese analysis: the tokenizer and postings format of the index.

The spelling rules they apply (NFC, tone placement, folding) are plain
functions in ``search.spelling``; this module adds only what Whoosh needs.
Both classes are stored names (``search.stored_names``): they stay here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from whoosh.analysis import Analyzer, Token, Tokenizer
from whoosh.formats import Positions

from search.spelling import TOKEN_PATTERN, canonical, canonical_folded, nfc
from search.whoosh_private import encode_positions, taken


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
