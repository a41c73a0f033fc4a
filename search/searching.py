"""One search, from request to results, against an open Whoosh searcher.

Order matters and is fixed: parse, restrict full-text terms to readable
works, AND with the visibility and facet filters, then rank. Nothing is
removed from a result list after ranking, so totals, pages and facet counts
are those of what the searcher may see.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from math import ceil

import numpy as np
from whoosh.query import AndNot, Every, NullQuery, NumericRange, Or, Query, Term
from whoosh.searching import Searcher

from search.collation import sort_key
from search.columns import Column, ListColumn, column, list_column
from search.documents import Scope
from search.operators import DocSet, Require
from search.query import ParsedQuery, parse
from search.ranking import ranked
from search.results import (
    BROWSE_SORTS,
    FACET_LIMITS,
    FACETS,
    SORTS,
    FacetValue,
    Hit,
    Notice,
    SearchRequest,
    SearchResults,
)
from search.schema import (
    LIST_FACETS,
    NO_YEAR,
    VALUE_SEPARATOR,
    embargo_from_stored,
)
from search.snippets import highlighted, opening
from search.suggestions import suggest
from search.vectors import evaluate
from search.visibility import (
    restrict_fulltext,
    text_readable_by,
    text_terms,
    visible_to,
)

MAX_PER_PAGE = 100
MLT_TERMS = 12


# The texts of the given works, by id (one call per page: one database round trip, not
# one per hit); a work missing from the answer has no text to quote.
TextsFor = Callable[[Sequence[str]], Mapping[str, str]]


def run(searcher: Searcher, req: SearchRequest, scope: Scope, texts_for: TextsFor | None) -> SearchResults:
    """Answer ``req`` for ``scope``; repairs to the request are reported in ``notice``."""
    parsed = parse(req.q)
    notices = [Notice(parsed.notice) if parsed.notice else None]
    filters, notice = facet_filters(req.filters)
    notices.append(notice)
    sort, sorts, notice = sort_order(req.sort, browsing=parsed.query is None)
    notices.append(notice)
    # Each filter is read once per segment (DocSet), however many terms it guards.
    readable = DocSet(text_readable_by(scope))
    user_q = restrict_fulltext(parsed.query, readable) if parsed.query else Every()
    matched = evaluate(searcher, user_q, scored=sort == "relevance")
    seen = matched.mask & mask_of(searcher, DocSet(visible_to(scope)))
    passes = {name: mask_of(searcher, DocSet(q)) for name, q in filters.items()}
    shown = np.logical_and.reduce([seen, *passes.values()])
    total = int(np.count_nonzero(shown))
    per_page = min(max(req.per_page, 1), MAX_PER_PAGE)
    last = max(1, ceil(total / per_page))
    page = min(max(req.page, 1), last)
    if page != req.page:
        notices.append(Notice("page"))
    on_page = ranked(searcher, matched, shown, sort, page * per_page)[(page - 1) * per_page :]
    facets = {}
    for name in FACETS:
        # A filtered facet is counted under every *other* filter, so its other values stay offered.
        within = [m for other, m in passes.items() if other != name]
        counted = shown if len(within) == len(passes) else np.logical_and.reduce([seen, *within])
        facets[name] = facet_values(name, facet_column(searcher, name).counts(counted))
    repairs = tuple(n for n in notices if n)
    suggestion = None
    if total == 0 and parsed.query is not None:
        suggestion = suggest(searcher, req.q, scope)
    return SearchResults(
        total=total,
        page=page,
        per_page=per_page,
        hits=to_hits(searcher, on_page, parsed, mask_of(searcher, readable), texts_for),
        facets=facets,
        suggestion=suggestion,
        notice=" ".join(n.english for n in repairs) or None,
        sort=sort,
        sorts=sorts,
        notices=repairs,
    )


def mask_of(searcher: Searcher, query: Query) -> np.ndarray:
    """Which documents ``query`` matches, unscored."""
    return evaluate(searcher, query, scored=False).mask


def facet_column(searcher: Searcher, name: str) -> Column | ListColumn:
    """What facet ``name`` is counted from: its column, split into values for a list facet."""
    if name in LIST_FACETS:
        return list_column(searcher, name, VALUE_SEPARATOR)
    return column(searcher, name)


def facet_filters(filters: Mapping[str, Sequence[str]]) -> tuple[dict[str, Query], Notice | None]:
    """One query per filtered facet (values OR-ed); unknown facet names are named in a notice."""
    queries: dict[str, Query] = {}
    unknown = sorted(name for name in filters if name not in FACETS)
    for name in FACETS:
        values = [v for v in filters.get(name, ()) if v != ""]
        if values:
            queries[name] = Or([facet_term(name, v) for v in values])
    return queries, Notice("filter", ", ".join(unknown)) if unknown else None


def facet_term(name: str, value: str) -> Query:
    """Works with ``value`` in facet ``name``; a value that cannot exist matches nothing."""
    if name != "year":
        return Term(name, value)
    if not (value.isdecimal() and len(value) <= 4):
        return NullQuery
    return NumericRange("year", int(value), int(value))


def sort_order(sort: str, *, browsing: bool) -> tuple[str, tuple[str, ...], Notice | None]:
    """The sort to apply and the sorts to offer; browsing has no relevance, so it lists newest first.

    An empty ``sort`` asks for the default; an unknown one gets it with a notice.
    """
    offered = BROWSE_SORTS if browsing else SORTS
    if sort in offered:
        return sort, offered, None
    return offered[0], offered, Notice("sort") if sort and sort not in SORTS else None


def facet_values(name: str, counts: Mapping[object, int]) -> list[FacetValue]:
    """Counts as FacetValues; works lacking the field are not a value.

    Years are listed newest first, as a timeline reads; every other facet
    most frequent first, values as frequent in Vietnamese alphabetical order
    (``Đ`` after ``D``, not after ``Z``), cut to its limit (authors: so the
    twenty kept among equals are the first in the alphabet, not in code points).
    """
    values = [
        FacetValue(str(key), count)
        for key, count in counts.items()
        if key not in (None, "", NO_YEAR) and count > 0
    ]
    if name == "year":
        return sorted(values, key=lambda v: -int(v.value))
    return sorted(values, key=lambda v: (-v.count, sort_key(v.value)))[: FACET_LIMITS.get(name)]


def to_hits(
    searcher: Searcher,
    on_page: list[int],
    parsed: ParsedQuery,
    readable: np.ndarray,
    texts_for: TextsFor | None,
) -> list[Hit]:
    """Render a page of hits; the full text is fetched only for works it may be quoted from
    and that a query term matched in it (any other text has nothing to mark).

    Which hits matched through their text is read from the same decoded
    postings the query was matched with (they are cached), so it is cheap.
    """
    if not on_page:
        return []
    terms = text_terms(parsed.query) if parsed.query is not None else []
    matched = mask_of(searcher, Or(terms)) & readable if terms else np.zeros(len(readable), bool)
    stored = [searcher.stored_fields(docnum) for docnum in on_page]
    quoted = [str(f["id"]) for d, f in zip(on_page, stored, strict=True) if matched[d]]
    texts = texts_for(quoted) if texts_for and quoted else {}
    hits = []
    for docnum, fields in zip(on_page, stored, strict=True):
        text = texts.get(str(fields["id"]), "") if matched[docnum] else ""
        snippet = highlighted(text, parsed.highlight) if text else None
        if snippet is None:
            abstract = fields.get("abstract", "")
            snippet = highlighted(abstract, parsed.highlight) or opening(abstract)
        hits.append(to_hit(fields, snippet, text_matched=bool(matched[docnum])))
    return hits


def to_hit(fields: Mapping[str, object], snippet: str, *, text_matched: bool) -> Hit:
    """A Hit from stored fields alone: no database round trip per result."""
    creators = str(fields.get("creators", ""))
    return Hit(
        id=str(fields["id"]),
        title=str(fields.get("title", "")),
        url=str(fields.get("url", "")),
        creators=tuple(creators.split(VALUE_SEPARATOR)) if creators else (),
        year=fields.get("year"),
        faculty=str(fields.get("faculty", "")),
        type=str(fields.get("type", "")),
        degree_level=str(fields.get("degree_level", "")),
        language=str(fields.get("language", "")),
        access=str(fields.get("access", "")),
        embargo_until=embargo_from_stored(fields.get("embargo_day")),
        source=str(fields.get("source", "")),
        snippet=snippet,
        text_matched=text_matched,
    )


def more_like(searcher: Searcher, work_id: str, scope: Scope, limit: int) -> list[Hit]:
    """Visible works sharing key terms of this work's title, abstract and keywords."""
    visible = DocSet(visible_to(scope))
    found = np.flatnonzero(mask_of(searcher, Require(Term("id", work_id), visible)))
    if not len(found):
        return []
    fields = searcher.stored_fields(int(found[0]))
    text = " ".join(str(fields.get(n, "")) for n in ("title", "abstract", "keywords"))
    key_terms = searcher.key_terms_from_text("meta_f", text, numterms=MLT_TERMS)
    if not key_terms:
        return []
    similar = Or([Term("meta_f", term, boost=weight) for term, weight in key_terms])
    matches = evaluate(searcher, Require(AndNot(similar, Term("id", work_id)), visible))
    hits = []
    for docnum in ranked(searcher, matches, matches.mask, "relevance", limit):
        fields = searcher.stored_fields(docnum)
        hits.append(to_hit(fields, opening(str(fields.get("abstract", ""))), text_matched=False))
    return hits
