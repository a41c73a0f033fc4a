"""The array evaluator finds, scores, orders and counts exactly as Whoosh's matchers do.

Whoosh is the reference: the same query trees (parsed, restricted to what
the scope may read, filtered to what it may see) go through Whoosh's own
``Searcher.search`` and through ``search.vectors``, over an index of real
Vietnamese texts in several segments with deleted documents.
"""

from __future__ import annotations

from datetime import date

import pytest
from whoosh.sorting import Count, FieldFacet

from search import Scope, SearchIndex, WorkDocument
from search.columns import column
from search.operators import DocSet, Require
from search.query import parse
from search.ranking import ranked
from search.results import FACETS
from search.searching import facet_values
from search.vectors import evaluate
from search.visibility import restrict_fulltext, text_readable_by, visible_to

QUERIES = (
    "của",
    "cua",
    "việt nam",
    "viet nam",
    "thành phố -tỉnh",
    '"thành phố"',
    '"thanh pho"',
    "sông OR núi",
    "(năm OR tháng) người",
    "title:việt",
    "author:tác",
    "year:2005..2015 của",
    "-của",
    "zzzz không có",
    "của và các là",
)
FACULTIES = ("law", "economics", "education")


def _document(n: int, article: dict[str, str]) -> WorkDocument:
    """Every third work has its text for campus only; every fifth is visible to staff alone."""
    staff_only = n % 5 == 4
    return WorkDocument(
        id=f"a{n}",
        title=article["title"],
        url=f"/works/a{n}",
        creators=(f"Tác giả {n % 4}",),
        abstract=article["text"][:300],
        fulltext=article["text"],
        faculty=FACULTIES[n % 3],
        type="master_thesis" if n % 2 else "bachelor_thesis",
        year=2000 + n % 20,
        language="vi",
        access="confidential" if staff_only else "campus" if n % 3 == 0 else "open",
    )


@pytest.fixture(scope="module")
def segmented(tmp_path_factory, viwiki_articles) -> SearchIndex:
    """30 works written in three batches (several segments), two replaced and two deleted."""
    index = SearchIndex(tmp_path_factory.mktemp("vectors") / "index")
    index.create_or_open()
    docs = [_document(n, article) for n, article in enumerate(viwiki_articles(30))]
    for start in (0, 10, 20):
        index.write(docs[start : start + 10])
    index.write([docs[3], docs[12]], delete_ids=["a7", "a25"])
    return index


PUBLIC = frozenset({"", "open", "campus", "restricted", "embargoed"})
SCOPES = {
    "anyone": Scope(PUBLIC, frozenset({"open"}), date(2025, 1, 1)),
    "campus": Scope(PUBLIC, frozenset({"open", "campus"}), date(2025, 1, 1)),
    "staff": Scope(PUBLIC | {"confidential"}, PUBLIC | {"confidential"}, date(2025, 1, 1)),
}


def _tree(q: str, scope: Scope):
    readable = DocSet(text_readable_by(scope))
    return Require(restrict_fulltext(parse(q).query, readable), DocSet(visible_to(scope)))


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("q", QUERIES)
def test_same_matches_scores_and_order_as_whoosh(segmented: SearchIndex, q: str, scope: str) -> None:
    tree = _tree(q, SCOPES[scope])
    with segmented._searcher() as searcher:
        assert len(searcher.leaf_searchers()) > 1
        expected = [(hit.docnum, hit.score) for hit in searcher.search(tree, limit=None)]
        matches = evaluate(searcher, tree)
        order = ranked(searcher, matches, matches.mask, "relevance", len(expected) + 5)
        scores = [float(matches.scores[d]) for d in order]
    assert sorted(order) == sorted(d for d, _ in expected)
    assert dict(zip(order, scores, strict=True)) == pytest.approx(dict(expected), rel=1e-9)
    # Equal scores, to rounding, may come in either order; all else in Whoosh's.
    assert _by_score(zip(order, scores, strict=True)) == _by_score(expected)


def _by_score(pairs) -> list[tuple[float, int]]:
    return sorted((-round(score, 9), docnum) for docnum, score in pairs)


@pytest.mark.parametrize("q", ["của", "-của", "sông OR núi"])
def test_same_facet_counts_and_sorted_order_as_whoosh(segmented: SearchIndex, q: str) -> None:
    tree = _tree(q, SCOPES["staff"])
    with segmented._searcher() as searcher:
        whoosh = searcher.search(
            tree, limit=None, groupedby={n: FieldFacet(n, maptype=Count) for n in FACETS}
        )
        matches = evaluate(searcher, tree, scored=False)
        for name in FACETS:
            counted = column(searcher, name).counts(matches.mask)
            assert facet_values(name, counted) == facet_values(name, whoosh.groups(name)), name
        newest = [FieldFacet("year", reverse=True), FieldFacet("title_sort")]
        for sort, facets in (("newest", newest), ("title", [FieldFacet("title_sort")])):
            expected = [hit.docnum for hit in searcher.search(tree, limit=None, sortedby=facets)]
            assert ranked(searcher, matches, matches.mask, sort, 7) == expected[:7], sort


def test_a_page_from_a_partition_equals_the_full_sort(segmented: SearchIndex) -> None:
    with segmented._searcher() as searcher:
        matches = evaluate(searcher, _tree("của", SCOPES["staff"]))
        everything = ranked(searcher, matches, matches.mask, "relevance", searcher.doc_count_all())
        for limit in (1, 5, 11):
            assert ranked(searcher, matches, matches.mask, "relevance", limit) == everything[:limit]
