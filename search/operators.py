"""Whoosh's Or and Require, with the behaviour this index needs.

Kept apart so every query in the package is built from the same parts.
"""

from __future__ import annotations

from whoosh import query as whoosh_query
from whoosh.matching import Matcher, RequireMatcher
from whoosh.searching import SearchContext, Searcher


class Or(whoosh_query.Or):
    """Whoosh's Or, always matched lazily.

    On indexes under 5,000 documents Whoosh preloads every sub-query's
    postings into arrays; with 50 KB texts a common syllable's postings are
    the whole index, and preloading cost more than the rest of the search.
    """

    matcher_type = whoosh_query.Or.DEFAULT_MATCHER


class _RequireMatcher(RequireMatcher):
    """Whoosh's RequireMatcher without block-quality skipping.

    Its ``skip_to_quality`` can land both sides on one document and then
    trips an assertion (whoosh-reloaded 2.7.5), whenever a search runs with
    no facets; a filter has no quality to skip by anyway.
    """

    def supports_block_quality(self) -> bool:
        return False


class Require(whoosh_query.Require):
    """Matches ``a`` where ``b`` also matches, scored by ``a`` alone: a filter in the tree."""

    def matcher(self, searcher: Searcher, context: SearchContext | None = None) -> Matcher:
        scored = self.a.matcher(searcher, context)
        return _RequireMatcher(scored, self.b.matcher(searcher, searcher.boolean_context()))
