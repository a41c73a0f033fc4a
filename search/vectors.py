"""Query evaluation over whole segments at once, as numpy arrays.

Whoosh matches a query by stepping a tree of matchers one document at a
time, in Python: with 50 KB texts a common syllable occurs in nearly every
work, so a three-word query over 50,000 works makes millions of Python
calls. Here each term's postings are decoded into arrays (and kept in a
bounded cache: a segment never changes), and the tree is combined with
whole-array operations: a union adds score arrays, an intersection ANDs
match masks. Scores are Whoosh's BM25F, computed the same way, so the
ranking is the one Whoosh gives (tests compare the two).

Leaves this module does not know (phrases, ranges, anything new) fall back
to Whoosh's own matcher, read into the same arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from search.caching import BoundedCache, segment_key, segment_state
from search.operators import DocSet, Require
from search.whoosh_private import length_codes, plain_bm25, read_postings, taken

# Decoded postings (about 8 bytes a posting) take the whole cache budget, per process;
# field lengths and live-document masks a quarter of it on top.
_postings = BoundedCache(share=1.0)
_per_segment = BoundedCache(share=0.25)
_BYTE_TO_LENGTH = np.array([1] + [byte_to_length(b) for b in range(1, 256)], np.float64)


@dataclass
class Matches:
    """What a query matched: a mask over docnums and, when scored, scores (0 where unmatched)."""

    mask: np.ndarray
    scores: np.ndarray | None

    def restricted(self, allowed: np.ndarray) -> Matches:
        """These matches, only where ``allowed``: a filter, which changes no score."""
        mask = self.mask & allowed
        return Matches(mask, None if self.scores is None else self.scores * mask)

    def frozen(self) -> Matches:
        """These matches, read-only: safe to keep in a cache shared by later searches."""
        for array in (self.mask, self.scores):
            if array is not None:
                array.flags.writeable = False
        return self

    def boosted(self, boost: float) -> Matches:
        if self.scores is None or boost == 1.0:
            return self
        return Matches(self.mask, self.scores * boost)


def evaluate(searcher: Searcher, query: wq.Query, *, scored: bool = True) -> Matches:
    """``query`` over every segment of ``searcher``, indexed by global docnum."""
    leaves = searcher.leaf_searchers()
    generation = tuple(segment_state(sub.reader()) for sub, _ in leaves)
    averages: dict[str, float] = {}
    parts = [_Segment(searcher, sub, generation, averages).evaluate(query, scored) for sub, _ in leaves]
    if len(parts) == 1:
        return parts[0]
    mask = np.concatenate([p.mask for p in parts])
    if not scored:
        return Matches(mask, None)
    return Matches(mask, np.concatenate([p.scores for p in parts]))  # type: ignore[misc]


class _Segment:
    """One segment and the per-segment arrays that evaluating a query there needs."""

    def __init__(
        self, top: Searcher, sub: Searcher, generation: tuple[object, ...], averages: dict[str, float]
    ) -> None:
        self.top = top
        # Scores depend on every segment (term statistics are index-wide).
        self.generation = generation
        # Average field lengths, summed over every segment once per search, not once per term.
        self.averages = averages
        self.sub = sub
        self.reader: IndexReader = sub.reader()
        self.size = self.reader.doc_count_all()
        self.key = segment_key(self.reader)
        self.live = self._live()
        # Only plain BM25F is recomputed here; any other model is asked of Whoosh.
        self.bm25 = plain_bm25(top.weighting)

    def nothing(self, scored: bool) -> Matches:
        return Matches(np.zeros(self.size, bool), np.zeros(self.size) if scored else None)

    def evaluate(self, q: wq.Query, scored: bool) -> Matches:
        """Dispatch on the node type; exact types, since subclasses change semantics."""
        kind = type(q)
        if kind is DocSet:
            return self._docset(q, scored)
        if kind is Require:
            return self.evaluate(q.a, scored).restricted(self.evaluate(q.b, False).mask)
        if kind is wq.AndNot:
            return self.evaluate(q.a, scored).restricted(~self.evaluate(q.b, False).mask)
        if kind is wq.Not:
            return self._inverse(q, scored)
        if kind in (wq.And, wq.Or) and not getattr(q, "scale", None):
            return self._compound(q, scored)
        if kind is wq.Term:
            return self._term(q, scored)
        if kind is wq.Every and q.fieldname in (None, "", "*"):
            return Matches(self.live.copy(), self.live * q.boost if scored else None)
        if q is wq.NullQuery:
            return self.nothing(scored)
        return self._by_matcher(q, scored)

    def _compound(self, q: wq.CompoundQuery, scored: bool) -> Matches:
        # As Whoosh: a lone child is the whole query (its parent's boost unused);
        # an And/Or adds its children's scores where they match.
        subs = q.subqueries
        if not subs:
            return self.nothing(scored)
        if len(subs) == 1:
            return self.evaluate(subs[0], scored)
        parts = [self.evaluate(sub, scored) for sub in subs]
        combine = np.logical_and if isinstance(q, wq.And) else np.logical_or
        mask = combine.reduce([p.mask for p in parts])
        if not scored:
            return Matches(mask, None)
        scores = np.sum([p.scores for p in parts], axis=0)
        if combine is np.logical_and:
            scores *= mask
        return Matches(mask, scores).boosted(q.boost)

    def _inverse(self, q: wq.Not, scored: bool) -> Matches:
        # Whoosh gives every document a Not matches a score of 1.
        mask = self.live & ~self.evaluate(q.query, False).mask
        return Matches(mask, mask * 1.0 if scored else None)

    def _docset(self, q: DocSet, scored: bool) -> Matches:
        mask = np.zeros(self.size, bool)
        mask[np.frombuffer(q.ids(self.sub), dtype=np.int32)] = True
        return Matches(mask, mask * 1.0 if scored else None)

    def _term(self, q: wq.Term, scored: bool) -> Matches:
        field = self.sub.schema[q.fieldname] if q.fieldname in self.sub.schema else None
        try:
            text = field.to_bytes(q.text) if field is not None else None
        except ValueError:
            text = None
        if text is None or (q.fieldname, text) not in self.reader:
            return self.nothing(scored)
        if scored and field.scorable and self.bm25 is None:
            taken["vectors.term_by_matcher"] += 1
            return self._by_matcher(q, scored)
        taken["vectors.term"] += 1
        ids, stored_weights = self._postings(q.fieldname, text)
        mask = np.zeros(self.size, bool)
        mask[ids] = True
        mask &= self.live
        if not scored:
            return Matches(mask, None)
        weights = stored_weights.astype(np.float64)
        scores = np.zeros(self.size)
        per_posting = self._bm25(q.fieldname, text, ids, weights) if field.scorable else weights
        scores[ids] = per_posting * q.boost
        return Matches(mask, scores * mask)

    def _bm25(self, fieldname: str, text: bytes, ids: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """Whoosh's BM25F for each posting, term by term in Whoosh's order of operations."""
        idf = self.top.idf(fieldname, text)
        avgfl = self.averages.get(fieldname)
        if avgfl is None:
            avgfl = self.averages[fieldname] = self.top.avg_field_length(fieldname) or 1
        b, k1 = self.bm25.B, self.bm25.K1  # type: ignore[union-attr]
        fl = self._lengths(fieldname)[ids]
        return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))

    def _postings(self, fieldname: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
        def read() -> tuple[np.ndarray, np.ndarray]:
            return read_postings(self.reader.postings(fieldname, text))

        if self.key is None:
            return read()
        return _postings.get((self.key, fieldname, text), read, lambda found: _nbytes(*found))

    def _lengths(self, fieldname: str) -> np.ndarray:
        def read() -> np.ndarray:
            # Whoosh keeps a field's length in each document as a byte; an
            # unrecorded length (0) scores as 1, as in Whoosh.
            codes = length_codes(self.reader, fieldname)
            if codes is None:
                return np.ones(self.size)
            return _BYTE_TO_LENGTH[np.frombuffer(codes, np.uint8)]

        if self.key is None:
            return read()
        return _per_segment.get((self.key, "lengths", fieldname), read, lambda a: a.nbytes)

    def _live(self) -> np.ndarray:
        def read() -> np.ndarray:
            if not self.reader.has_deletions():
                return np.ones(self.size, bool)
            live = np.zeros(self.size, bool)
            live[np.fromiter(self.reader.all_doc_ids(), np.int64)] = True
            return live

        if self.key is None:
            return read()
        return _per_segment.get(("live", segment_state(self.reader)), read, lambda a: a.nbytes)

    def _by_matcher(self, q: wq.Query, scored: bool) -> Matches:
        """Any other query, through Whoosh's matcher: right for everything, fast for little.

        Kept like postings: a phrase costs a walk along every posting of its
        words, and the same query comes back for the next page and the snippets.
        """

        taken["vectors.by_matcher"] += 1

        def read() -> Matches:
            context = self.top.context(weighting=self.top.weighting) if scored else None
            matcher = q.matcher(self.sub, context or self.sub.boolean_context())
            ids, scores = [], []
            while matcher.is_active():
                ids.append(matcher.id())
                if scored:
                    scores.append(matcher.score())
                matcher.next()
            found = self.nothing(scored)
            found.mask[ids] = True
            if found.scores is not None:
                found.scores[ids] = scores
            return found.frozen()

        if self.key is None:
            return read()
        key = (self.key, self.generation, repr(q), scored)
        return _postings.get(key, read, lambda m: m.mask.nbytes + _nbytes(m.scores))


def _nbytes(*arrays: np.ndarray | None) -> int:
    return sum(a.nbytes for a in arrays if a is not None)

