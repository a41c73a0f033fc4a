"""Process-wide caches of what a segment's files decode to.

A Whoosh segment never changes after it is written, except by gaining
deletions, so anything decoded from it can be kept under its segment id
(plus, where deletions matter, their count) and reused by every later
search, in any thread, until memory says otherwise.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from whoosh.reading import IndexReader

T = TypeVar("T")

# The memory budget of the caches, in MB per process (REPO_SEARCH_CACHE_MB): decoded
# postings get all of it, and the smaller caches shares of it on top (1.625 in all).
DEFAULT_CACHE_MB = 256


class BoundedCache:
    """A thread-safe least-recently-used map whose entries are weighed in bytes.

    Its limit is ``share`` of the process's cache budget (``set_budget``).
    """

    def __init__(self, share: float) -> None:
        self.share = share
        self.limit = int(share * DEFAULT_CACHE_MB * 2**20)
        self._items: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        _caches.append(self)

    def resize(self, budget_mb: int) -> None:
        """Take ``share`` of a budget of ``budget_mb``, dropping the oldest entries beyond it."""
        with self._lock:
            self.limit = int(self.share * budget_mb * 2**20)
            self._shrink()

    def _shrink(self) -> None:
        while self._size > self.limit:
            _, (_, dropped) = self._items.popitem(last=False)
            self._size -= dropped

    def get(self, key: Hashable, make: Callable[[], T], weigh: Callable[[T], int]) -> T:
        """The value under ``key``, made (outside the lock) and kept if it is missing."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found[0]  # type: ignore[return-value]
        value = make()
        size = weigh(value)
        with self._lock:
            if key not in self._items and size <= self.limit:
                self._items[key] = (value, size)
                self._size += size
                self._shrink()
        return value


_caches: list[BoundedCache] = []


def set_budget(budget_mb: int) -> None:
    """Size every cache of this process from one budget in MB."""
    for cache in _caches:
        cache.resize(budget_mb)


def segment_key(reader: IndexReader) -> str | None:
    """The id of the segment ``reader`` reads, or None for a reader of no single segment."""
    segment = reader.segment()
    return None if segment is None else segment.segment_id()


def segment_state(reader: IndexReader) -> tuple[str, int] | None:
    """The segment's id and how many of its documents are deleted: what can change, named."""
    segment = reader.segment()
    return None if segment is None else (segment.segment_id(), segment.deleted_count())
