"""When a commit merges segments: by size tiers, so each document is rewritten a few times.

Every index write (a drain of the durable queue) commits a new segment.
Whoosh's ``MERGE_SMALL`` then merges the small segments into it, and on an
index that is mostly small segments (a fresh repository, a campaign's
import) it rewrites nearly all of them at every commit: writing 60 theses
two at a time took 41 s against 2.4 s in one commit. Here, as in Lucene's
tiered policy, segments are grouped by the order of magnitude of their
document count and a tier is merged only once it holds ``FAN_IN``
segments: a document is rewritten about once per tier (log10 of the
index's size), and a search meets at most ``FAN_IN - 1`` segments a tier.
A segment whose documents are mostly deleted (works reindexed since) is
merged whatever its tier, to give back its space.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from whoosh.codec.base import Segment
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from search.whoosh_private import MergedSegmentReader

# Segments of one tier that set off its merge.
FAN_IN = 8
# A segment with more than this share of its documents deleted is merged away.
MAX_DELETED_SHARE = 0.5


def merge_tiered(
    writer: SegmentWriter,
    segments: Sequence[Segment],
    reader_class: type[SegmentReader] = MergedSegmentReader,
) -> list[Segment]:
    """Whoosh merge policy (``commit(mergetype=...)``): merge full tiers and mostly
    deleted segments into the segment being written; return the segments kept.

    ``reader_class`` reads a merged segment (``search.baseline`` passes Whoosh's own).
    """
    tiers: defaultdict[int, list[Segment]] = defaultdict(list)
    for segment in segments:
        tiers[_tier(segment)].append(segment)
    merged = [s for tier in tiers.values() if len(tier) >= FAN_IN for s in tier]
    merged += [s for s in segments if s not in merged and _mostly_deleted(s)]
    for segment in merged:
        reader = reader_class(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in merged]


def _tier(segment: Segment) -> int:
    """0 for fewer than 10 live documents, 1 below 100, and so on."""
    return int(math.log10(max(1, segment.doc_count())))


def _mostly_deleted(segment: Segment) -> bool:
    total = segment.doc_count_all()
    return total > 0 and segment.deleted_count() > MAX_DELETED_SHARE * total
