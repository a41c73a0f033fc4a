"""What a Scope may see and read, as Whoosh queries applied before ranking.

Filtering inside the query (not on the hit list afterwards) keeps totals,
pages and facet counts true for each searcher, and keeps words found only in
a text the searcher may not read from ever matching it, even through
``-exclusion``.
"""

from __future__ import annotations

from whoosh.query import And, Not, NullQuery, NumericRange, Or, Query, Term

from search.documents import Scope
from search.operators import Require
from search.schema import FULLTEXT_FIELDS


def _personal(scope: Scope) -> list[Query]:
    """The searcher's own works and the works granted to them, seen and read in full."""
    queries: list[Query] = [Term("id", work_id) for work_id in sorted(scope.work_ids)]
    if scope.owner:
        queries.append(Term("owner", scope.owner))
    return queries


def _any_token(fieldname: str, scope: Scope) -> list[Query]:
    return [Term(fieldname, token) for token in sorted(scope.tokens)]


def _or(queries: list[Query]) -> Query:
    return Or(queries) if queries else NullQuery


def visible_to(scope: Scope) -> Query:
    """Works whose record the searcher may see."""
    return _or(_any_token("meta_audience", scope) + _personal(scope))


def text_readable_by(scope: Scope) -> Query:
    """Works whose full text the searcher's query may match and a snippet may quote."""
    after_embargo: list[Query] = []
    tokens_after = _any_token("text_audience_after", scope)
    if tokens_after:
        ended = NumericRange("embargo_day", None, scope.today.toordinal())
        after_embargo.append(And([ended, Or(tokens_after)]))
    return _or(_any_token("text_audience", scope) + after_embargo + _personal(scope))


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
