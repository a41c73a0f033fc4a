"""The query parser under arbitrary input: it never raises, never nests deeper than it
allows, never builds a query bigger than its word limit, and the index answers every one."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from whoosh.query import Query

from search.query import MAX_DEPTH, MAX_WORDS, parse

# Pieces of the query language and of Vietnamese, so generated queries are mostly near-valid.
PIECES = st.sampled_from([
    "(", ")", '"', "-", ":", " ", " OR ", "OR", "year:", "title:", "author:", "keyword:",
    "advisor:", "2019", "..", "2015..2020", "đất", "dai", "học", "quản", "trị", "x", "\u0301",
    "ƣ", "\x00", "*", "?", "~", "^", "\\",
])
QUERIES = st.one_of(
    st.lists(PIECES, max_size=80).map("".join),
    st.text(max_size=400),
    st.integers(1, 2000).map(lambda n: "(" * n + "quản trị" + ")" * n),
)
# Tree levels each nesting level may add (an And of units, an Or of alternatives), plus
# the word's own Or, a Not, and a Phrase or Term.
LEVELS_PER_GROUP, LEVELS_PER_WORD = 2, 4
# Subqueries one word may become: an exact and a folded term in each of three fields.
LEAVES_PER_WORD = 6


def depth(query: Query) -> int:
    return 1 + max((depth(child) for child in query.children()), default=0)


def leaves(query: Query) -> int:
    return 1 if query.is_leaf() else sum(leaves(child) for child in query.children())


@example("(" * 330 + "luận văn" + ")" * 330)
@example("-(" * 200)
@example('"' + "đất " * 600 + '"')
@settings(max_examples=300, deadline=None)
@given(QUERIES)
def test_parsing_never_raises_and_stays_bounded(q: str) -> None:
    parsed = parse(q)
    if parsed.query is None:
        return
    assert depth(parsed.query) <= LEVELS_PER_GROUP * (MAX_DEPTH + 1) + LEVELS_PER_WORD
    assert leaves(parsed.query) <= MAX_WORDS * LEAVES_PER_WORD


@example("(" * 330 + "quản trị" + ")" * 330)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=QUERIES)
def test_the_index_answers_every_query(find, q: str) -> None:
    results = find(q)
    assert results.total >= 0 and results.page == 1
