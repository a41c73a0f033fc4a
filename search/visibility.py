"""What a Scope may see and read, as Whoosh queries applied before ranking.

Filtering inside the query (not on the hit list afterwards) keeps totals,
pages and facet counts true for each searcher, and keeps words found only in
a text the searcher may not read from ever matching it, even through
``-exclusion``.

A document stores its level and, for an embargo, the day its level changes
and the level it changes to; the scope names the levels a searcher may see
or read today. So the level in force is worked out at each search, from
the policy in force, and nothing in the index goes stale when either changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from whoosh.query import And, AndNot, Not, NullQuery, NumericRange, Or, Query, Term

from search.documents import Scope
from search.operators import Require
from search.schema import FULLTEXT_FIELDS, indexed_level


def _owned(scope: Scope) -> list[Query]:
    """The searcher's own works: seen and read in full, whatever their level."""
    return [Term("owner", scope.owner)] if scope.owner else []


def _granted(scope: Scope) -> list[Query]:
    """Works granted to the searcher: their text is readable where their record is visible.

    A grant opens the text, never the record: a work made confidential
    after the grant disappears for the grantee too.
    """
    return [Term("id", work_id) for work_id in sorted(scope.work_ids)]


def _or(queries: list[Query]) -> Query:
    return Or(queries) if queries else NullQuery


def _any_of(fieldname: str, levels: Iterable[str]) -> list[Query]:
    return [Term(fieldname, indexed_level(level)) for level in sorted(levels)]


def at_level(levels: frozenset[str], today: date) -> Query:
    """Works whose level in force on ``today`` is one of ``levels``.

    Before its change day a work is at ``level``; from that day on, at
    ``access_after``. A work with no change day is at ``level`` for good.
    """
    changed = NumericRange("access_changes_day", None, today.toordinal())
    before = AndNot(_or(_any_of("level", levels)), changed)
    after = And([changed, _or(_any_of("access_after", levels))])
    return Or([before, after])


def visible_to(scope: Scope) -> Query:
    """Works whose record the searcher may see."""
    return _or([at_level(scope.metadata_levels, scope.today), *_owned(scope)])


def text_readable_by(scope: Scope) -> Query:
    """Works whose full text the searcher's query may match and a snippet may quote."""
    return _or([at_level(scope.text_levels, scope.today), *_owned(scope), *_granted(scope)])


def restrict_fulltext(query: Query, readable: Query) -> Query:
    """Require ``readable`` on every full-text term and phrase of ``query``.

    Works on the parsed tree, leaf by leaf, so a term can still match the
    same work's metadata while its full-text branch matches only readable works.
    """
    if query.is_leaf():
        if query.field() in FULLTEXT_FIELDS:
            return Require(query, readable)
        return query
    return query.apply(lambda child: restrict_fulltext(child, readable))


def text_terms(query: Query) -> list[Query]:
    """The full-text terms and phrases of ``query`` that are not excluded (under a Not)."""
    if isinstance(query, Not):
        return []
    if query.is_leaf():
        return [query] if query.field() in FULLTEXT_FIELDS else []
    return [leaf for child in query.children() for leaf in text_terms(child)]
