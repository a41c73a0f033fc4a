"""The user's query language, parsed into Whoosh queries that never raise.

Syntax: words (all required), ``"quoted phrases"``, ``-exclusion``, ``OR``,
``( groups )``, and the prefixes ``title:``, ``author:``, ``advisor:``,
``keyword:``, ``year:2019`` and ``year:2015..2020``. Whatever does not fit
is searched as plain words with a notice: a librarian pasting a messy
citation gets results, not an error page.

A term typed with diacritics searches only the exact fields, so "đất đai"
does not drown in every "đạt" and "đại"; a term typed without them searches
the folded fields and, boosted, the exact ones, so literal spellings rank first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh.query import And, Not, NumericRange, Or, Phrase, Query, Term

from search.results import MAX_QUERY_CHARS
from search.schema import FULLTEXT_FIELDS, SEARCH_WEIGHTS, folded
from search.spelling import fold, has_diacritics, syllables

# A query's cost grows with its words and its depth: beyond these it is searched as
# its first plain words. Nesting deeper than a person writes is a probe, and without
# a limit about 330 nested "(" exhausted Python's recursion.
MAX_WORDS = 32
MAX_DEPTH = 8
# An unaccented term matching the exact field gets this factor on top of the folded match.
EXACT_BONUS = 2.0

# Notice codes (search.results.NOTICE_TEXTS words them).
NOTICE_PLAIN_WORDS, NOTICE_TOO_LONG, NOTICE_NOTHING_TO_SEARCH = (
    "plain_words", "too_long", "nothing_to_search")

PREFIX_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "author": ("creators",),
    "advisor": ("advisors",),
    "keyword": ("keywords",),
}

_LEXEME = re.compile(
    r"""(?P<space>\s+)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<neg>-)?(?:(?P<field>[^\W\d_]\w*):)?(?:"(?P<phrase>[^"]*)"|(?P<word>[^\s()"]+))
    """,
    re.VERBOSE,
)
_YEARS = re.compile(r"(\d{1,4})?(?:(\.\.)(\d{1,4})?)?")


class QuerySyntaxError(ValueError):
    """The query does not fit the syntax; the caller falls back to plain words."""


class QueryTooLongError(QuerySyntaxError):
    """The query has more words than are searched; the caller searches its first ones."""


@dataclass
class Highlight:
    """Query terms a snippet marks: exact syllables, and folded ones matched by folding."""

    exact: set[str] = field(default_factory=set)
    folded: set[str] = field(default_factory=set)


@dataclass
class ParsedQuery:
    """A parsed query: ``query`` is None for browsing all works."""

    query: Query | None
    highlight: Highlight
    notice: str | None = None


def parse(raw: str) -> ParsedQuery:
    """Parse ``raw``; on any syntax problem search its plain words with a notice."""
    if len(raw) > MAX_QUERY_CHARS:
        return plain_words(raw[:MAX_QUERY_CHARS], NOTICE_TOO_LONG)
    highlight = Highlight()
    try:
        query = _Parser(raw, highlight).parse()
    except QueryTooLongError:
        return plain_words(raw, NOTICE_TOO_LONG)
    except QuerySyntaxError:
        return plain_words(raw, NOTICE_PLAIN_WORDS)
    if query is None and raw.strip():
        return ParsedQuery(None, highlight, NOTICE_NOTHING_TO_SEARCH)
    return ParsedQuery(query, highlight)


def plain_words(raw: str, notice: str) -> ParsedQuery:
    """The syllables of ``raw`` (the first MAX_WORDS) as required words: the fallback that
    always works, and never nests."""
    highlight = Highlight()
    words = syllables(raw)
    if len(words) > MAX_WORDS:
        words, notice = words[:MAX_WORDS], NOTICE_TOO_LONG
    if not words:
        return ParsedQuery(None, highlight, NOTICE_NOTHING_TO_SEARCH)
    clauses = [text_clause([w], SEARCH_WEIGHTS, highlight) for w in words]
    return ParsedQuery(And(clauses), highlight, notice)


def text_clause(
    tokens: list[str], weights: dict[str, float], highlight: Highlight | None
) -> Query:
    """One word or phrase over the given fields, exact or folded as its diacritics say.

    An unaccented term gets no exact-spelling bonus in the full text: that
    extra posting list, as long as the corpus, would slow every query for a
    tie-break the metadata fields already provide.
    """
    accented = any(has_diacritics(t) for t in tokens)
    folded_tokens = [fold(t) for t in tokens]
    subqueries: list[Query] = []
    for name, weight in weights.items():
        if accented:
            subqueries.append(_term_or_phrase(name, tokens, weight))
            continue
        if name not in FULLTEXT_FIELDS:
            subqueries.append(_term_or_phrase(name, tokens, weight * EXACT_BONUS))
        subqueries.append(_term_or_phrase(folded(name), folded_tokens, weight))
    if highlight is not None:
        (highlight.exact if accented else highlight.folded).update(
            tokens if accented else folded_tokens
        )
    return Or(subqueries)


def _term_or_phrase(name: str, tokens: list[str], boost: float) -> Query:
    if len(tokens) == 1:
        return Term(name, tokens[0], boost=boost)
    return Phrase(name, tokens, boost=boost)


def year_clause(value: str) -> Query:
    """``2019``, ``2015..2020``, ``..2010`` or ``2015..`` as a numeric range."""
    match = _YEARS.fullmatch(value)
    if not match or not (match.group(1) or match.group(3)):
        raise QuerySyntaxError(value)
    low = int(match.group(1)) if match.group(1) else None
    high = int(match.group(3)) if match.group(3) else None
    if not match.group(2):
        high = low
    return NumericRange("year", low, high)


class _Parser:
    """Recursive descent over lexemes: expr := group (OR group)*, group := unit+.

    Bounded: groups nest at most MAX_DEPTH deep and the query holds at most
    MAX_WORDS words (a phrase counts each), so odd input can neither recurse
    without end nor build a query that costs more than a person's would.
    """

    def __init__(self, raw: str, highlight: Highlight) -> None:
        self.lexemes = self._lex(raw)
        self.pos = 0
        self.highlight = highlight
        self.depth = 0
        self.words = 0

    @staticmethod
    def _lex(raw: str) -> list[re.Match[str]]:
        lexemes, pos = [], 0
        while pos < len(raw):
            match = _LEXEME.match(raw, pos)
            if match is None:
                raise QuerySyntaxError(raw[pos:])
            if not match.group("space"):
                lexemes.append(match)
            pos = match.end()
        return lexemes

    def parse(self) -> Query | None:
        query = self._expr()
        if self.pos != len(self.lexemes):
            raise QuerySyntaxError("unbalanced parenthesis")
        return query

    def _peek(self) -> re.Match[str] | None:
        return self.lexemes[self.pos] if self.pos < len(self.lexemes) else None

    def _expr(self) -> Query | None:
        alternatives = [self._group()]
        while (lexeme := self._peek()) is not None and lexeme.group("word") == "OR":
            self.pos += 1
            alternatives.append(self._group())
        present = [q for q in alternatives if q is not None]
        if not present:
            return None
        return present[0] if len(present) == 1 else Or(present)

    def _group(self) -> Query | None:
        units: list[Query] = []
        while (lexeme := self._peek()) is not None and not lexeme.group("close"):
            if lexeme.group("word") == "OR":
                break
            self.pos += 1
            unit = self._subgroup() if lexeme.group("open") else self._clause(lexeme)
            if unit is not None:
                units.append(unit)
        if not units:
            return None
        return units[0] if len(units) == 1 else And(units)

    def _subgroup(self) -> Query | None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError("groups nested too deep")
        query = self._expr()
        lexeme = self._peek()
        if lexeme is None or not lexeme.group("close"):
            raise QuerySyntaxError("unbalanced parenthesis")
        self.pos += 1
        self.depth -= 1
        return query

    def _clause(self, lexeme: re.Match[str]) -> Query | None:
        negated = bool(lexeme.group("neg"))
        prefix = lexeme.group("field")
        phrase = lexeme.group("phrase")
        value = phrase if phrase is not None else lexeme.group("word")
        if prefix is not None and prefix.lower() == "year":
            self._count(1, value)
            query: Query | None = year_clause(value)
        else:
            weights = self._weights(prefix)
            tokens = syllables(value)
            self._count(len(tokens), value)
            highlight = None if negated else self.highlight
            query = text_clause(tokens, weights, highlight) if tokens else None
        if query is None:
            return None
        return Not(query) if negated else query

    def _count(self, words: int, value: str) -> None:
        self.words += words
        if self.words > MAX_WORDS:
            raise QueryTooLongError(value)

    @staticmethod
    def _weights(prefix: str | None) -> dict[str, float]:
        if prefix is None:
            return SEARCH_WEIGHTS
        names = PREFIX_FIELDS.get(prefix.lower())
        if names is None:
            raise QuerySyntaxError(f"unknown field {prefix}")
        return {name: 1.0 for name in names}
