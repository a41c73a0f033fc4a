"""Whoosh's side of Vietnamese analysis: the tokenizer and postings format of the index.

The spelling rules they apply (NFC, tone placement, folding) are plain
functions in ``search.spelling``; this module adds only what Whoosh needs.
Both classes are stored names (``search.stored_names``): they stay here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain

from whoosh.analysis import Analyzer, Token, Tokenizer
from whoosh.formats import Positions

from search.spelling import TOKEN_PATTERN, canonical, canonical_folded, fold, nfc
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
    """Whoosh's ``Positions`` postings, built without a Token per syllable, each text analysed once.

    When a whole text is indexed with a ``SyllableTokenizer`` (the only
    case while writing), positions are gathered from one ``findall`` and the
    cached normalisation; the postings are byte for byte those of the
    generic path, which every other call still takes.

    Every text is indexed twice, exact and folded (``search.schema``), and
    Whoosh writes a document's fields in name order, so a field's folded
    twin comes right after it with the very same string. Folding is per
    syllable, so the twin's postings are derived from the exact field's
    (the last one is kept for this): a group of exact syllables folding to
    one word shares its positions, and a syllable alone in its group keeps
    its encoded positions as they are. Stored name: never move or rename
    (``search.stored_names``).
    """

    def word_values(
        self, value: object, analyzer: object, **kwargs: object
    ) -> Iterator[tuple[str, int, float, bytes]]:
        postings = None if set(kwargs) - {"mode"} else self.postings(value, analyzer)
        if postings is None:
            taken["analysis.generic_positions"] += 1
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for word, (found, encoded) in postings.items():
            yield (word, len(found), float(len(found)) * boost, encoded)

    def postings(self, value: object, analyzer: object) -> Postings | None:
        """Each word of ``value`` with its positions, or None when Whoosh's way must analyse it.

        ``search.whoosh_private.DocumentWriter`` puts these in the posting pool directly.
        """
        global _last_exact
        if not isinstance(analyzer, SyllableTokenizer) or not isinstance(value, str):
            return None
        last = _last_exact
        if not analyzer.folded:
            taken["analysis.fast_positions"] += 1
            postings = _postings(value, canonical)
            _last_exact = (value, postings)
        elif last is not None and last[0] is value:
            taken["analysis.folded_from_exact"] += 1
            _last_exact = None
            postings = _folded(last[1])
        else:
            taken["analysis.fast_positions"] += 1
            postings = _postings(value, canonical_folded)
        return postings


# One word's postings in one text: its positions, and them encoded as Whoosh stores them.
Postings = dict[str, tuple[list[int], bytes]]
# The text last indexed in an exact field, with its postings, for its folded twin.
_last_exact: tuple[str, Postings] | None = None


def _postings(text: str, normalise: Callable[[str], str]) -> Postings:
    """Each word of ``text`` (as ``normalise`` writes it) with its positions."""
    positions: dict[str, list[int]] = {}
    start = positions.setdefault
    for pos, word in enumerate(map(normalise, TOKEN_PATTERN.findall(nfc(text)))):
        start(word, []).append(pos)
    return {word: (found, encode_positions(found)) for word, found in positions.items()}


def _folded(exact: Postings) -> Postings:
    """The folded twin's postings of a text, from its exact postings.

    A folded word's positions are those of every exact word folding to it;
    most words are alone in their group and keep their encoding.
    """
    groups: dict[str, list[tuple[list[int], bytes]]] = {}
    add = groups.setdefault
    for word, posting in exact.items():
        add(fold(word), []).append(posting)
    folded: Postings = {}
    for word, members in groups.items():
        if len(members) == 1:
            folded[word] = members[0]
        else:
            found = sorted(chain.from_iterable(positions for positions, _ in members))
            folded[word] = (found, encode_positions(found))
    return folded
