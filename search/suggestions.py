"""Spelling suggestions for a query that found nothing: wrong tone marks first, then typos.

"cá trà" finds nothing, but unaccented it finds "cá tra" and "cà tra": the
suggestion spells each word as the visible works that the unaccented query
finds spell it. A word nothing spells is suggested unaccented, which finds
every spelling; then each word is corrected to the nearest known word.

A suggestion is offered only when it finds something the searcher may see,
and its spellings come from records they may see, so it never reveals a
word of a hidden record or of a text they may not read.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from whoosh.query import Every
from whoosh.searching import Searcher

from search.documents import Scope
from search.operators import DocSet, Require
from search.query import MAX_WORDS, parse
from search.ranking import ranked
from search.schema import folded
from search.spelling import fold, has_diacritics, syllables
from search.vectors import Matches, evaluate
from search.visibility import restrict_fulltext, text_readable_by, visible_to

# Visible works whose stored metadata shows how the query's words are spelled.
SPELLING_SAMPLE = 20
SPELLING_FIELDS = ("title", "keywords", "creators", "abstract")
# Every metadata text is in meta, so its vocabulary is the one typos are corrected to.
CORRECTION_FIELD = "meta"
# Syllables this short have too many neighbours one edit away to correct usefully.
SUGGEST_MIN_CHARS = 3


def suggest(searcher: Searcher, q: str, scope: Scope) -> str | None:
    """A respelling of ``q`` that finds works ``scope`` may see, or None."""
    words = syllables(q)[:MAX_WORDS]
    typed = " ".join(words)
    for candidate in _respellings(searcher, words, scope):
        if candidate != typed and visible_matches(searcher, candidate, scope).mask.any():
            return candidate
    return None


def visible_matches(searcher: Searcher, q: str, scope: Scope, *, scored: bool = False) -> Matches:
    """What ``q`` finds for ``scope``: visible records, full text only where readable."""
    parsed = parse(q)
    readable = DocSet(text_readable_by(scope))
    user_q = restrict_fulltext(parsed.query, readable) if parsed.query else Every()
    return evaluate(searcher, Require(user_q, DocSet(visible_to(scope))), scored=scored)


def _respellings(searcher: Searcher, words: list[str], scope: Scope) -> Iterator[str]:
    """Candidates, best first: as visible works spell it, unaccented, nearest known words."""
    if any(has_diacritics(word) for word in words):
        bare = [fold(word) for word in words]
        yield _spelled_as_found(searcher, words, bare, scope)
        yield " ".join(bare)
    yield " ".join(_corrected(searcher, word) for word in words)


def _spelled_as_found(searcher: Searcher, words: list[str], bare: list[str], scope: Scope) -> str:
    """Each word as the best visible matches of the unaccented query spell it."""
    matches = visible_matches(searcher, " ".join(bare), scope, scored=True)
    wanted = set(bare)
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for docnum in ranked(searcher, matches, matches.mask, "relevance", SPELLING_SAMPLE):
        fields = searcher.stored_fields(docnum)
        for name in SPELLING_FIELDS:
            for syllable in syllables(str(fields.get(name, ""))):
                if fold(syllable) in wanted:
                    spellings[fold(syllable)][syllable] += 1
    return " ".join(_spelling(w, b, spellings[b]) for w, b in zip(words, bare, strict=True))


def _spelling(typed: str, bare: str, seen: Counter[str]) -> str:
    """The typed spelling if works use it, else their most common one, else no accents."""
    if not seen:
        return bare
    if typed in seen:
        return typed
    return max(sorted(seen), key=seen.__getitem__)


def _corrected(searcher: Searcher, word: str) -> str:
    """The nearest known word (one edit before two), the most frequent among equals."""
    if len(word) < SUGGEST_MIN_CHARS or word.isdigit():
        return word
    name = CORRECTION_FIELD if has_diacritics(word) else folded(CORRECTION_FIELD)
    reader = searcher.reader()
    if (name, word) in reader:
        return word
    for distance in (1, 2):
        found = searcher.corrector(name).suggest(word, limit=3, maxdist=distance)
        if found:
            return max(sorted(found), key=lambda c: reader.doc_frequency(name, c))
    return word
