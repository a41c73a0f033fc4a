"""The order of a result list, as Whoosh would give it: ties go to the lower docnum."""

from __future__ import annotations

import numpy as np
from whoosh.searching import Searcher

from search.columns import column
from search.vectors import Matches


def ranked(searcher: Searcher, matches: Matches, mask: np.ndarray, sort: str, limit: int) -> list[int]:
    """The first ``limit`` docnums of ``mask`` by ``sort``: relevance, newest or title.

    Only documents that can still make the first ``limit`` by the primary key
    are fully sorted, so a page costs a partition, not a sort of every match.
    """
    docs = np.flatnonzero(mask)
    keys = [key[docs] for key in _sort_keys(searcher, matches, sort)]
    if len(docs) > limit > 0:
        primary = keys[-1]
        keep = primary <= np.partition(primary, limit - 1)[limit - 1]
        docs, keys = docs[keep], [key[keep] for key in keys]
    order = np.lexsort([docs, *keys])[:limit]
    return docs[order].tolist()


def _sort_keys(searcher: Searcher, matches: Matches, sort: str) -> list[np.ndarray]:
    """Global sort keys, least significant first (``np.lexsort``'s order), ascending."""
    if sort == "relevance" and matches.scores is not None:
        return [-matches.scores]
    title = column(searcher, "title_sort").ranks
    if sort == "title":
        return [title]
    return [title, -column(searcher, "year").ranks]
