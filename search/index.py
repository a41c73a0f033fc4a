"""``SearchIndex``: the one object the app holds to write to and search the index."""

from __future__ import annotations

import pickle
import shutil
import struct
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh.index import EmptyIndexError, Index, open_dir
from whoosh.index import IndexError as WhooshIndexError
from whoosh.searching import Searcher

from search import caching, journal
from search.documents import Scope, WorkDocument
from search.errors import IndexMissingError, IndexOutdatedError
from search.rebuild import (
    REBUILD_LIMIT_MB,
    Progress,
    check_format,
    current_generation,
    fill,
    new_generation,
    reading_current,
    swap_in,
)
from search.results import Hit, SearchRequest, SearchResults
from search.writer import WRITER_LIMIT_MB, apply_changes, exclusive_writing

if TYPE_CHECKING:  # numpy and the query engine load with the first search, not with a writer
    from search import searching

# What Whoosh raises on opening files that are truncated, overwritten or not an index.
UNREADABLE = (WhooshIndexError, EmptyIndexError, struct.error, EOFError, pickle.UnpicklingError,
              OSError, ValueError, KeyError)


class SearchIndex:
    """The full-text index under ``root``: generations, a ``current`` link and a write lock.

    Memory, per process: ``cache_mb`` for decoded postings (the search caches
    take up to 1.625 times it, ``search.caching``), ``writer_mb`` for an
    ordinary write's posting pool and ``rebuild_mb`` for each rebuild
    process's, beyond which they spill sorted runs to disk.
    """

    def __init__(
        self,
        root: Path,
        *,
        cache_mb: int = caching.DEFAULT_CACHE_MB,
        writer_mb: int = WRITER_LIMIT_MB,
        rebuild_mb: int = REBUILD_LIMIT_MB,
    ) -> None:
        self.root = Path(root)
        self.writer_mb = writer_mb
        self.rebuild_mb = rebuild_mb
        caching.set_budget(cache_mb)
        self._opened: tuple[Path, Index] | None = None

    def create_or_open(self) -> None:
        """Make sure an index exists; safe to call from several processes at once."""
        self.root.mkdir(parents=True, exist_ok=True)
        with exclusive_writing(self.root):
            if current_generation(self.root) is None:
                path, _ = new_generation(self.root)
                swap_in(self.root, path)

    def outdated(self) -> str | None:
        """Why the current generation must be rebuilt before it is searched, or None."""
        generation = current_generation(self.root)
        if generation is None:
            return None
        try:
            check_format(generation)
        except IndexOutdatedError as error:
            return str(error)
        return None

    def write(self, docs: Iterable[WorkDocument], delete_ids: Iterable[str] = ()) -> None:
        """Upsert ``docs`` (keyed on id) and delete ``delete_ids``, waiting for the write lock.

        During a rebuild the same change is journaled, for the new generation.
        """
        docs, delete_ids = list(docs), list(delete_ids)
        with exclusive_writing(self.root):
            generation = current_generation(self.root)
            if generation is None:
                raise IndexMissingError(str(self.root))
            apply_changes(self._open(generation), docs, delete_ids, limitmb=self.writer_mb)
            journal.record(self.root, docs, delete_ids)

    def rebuild(
        self, docs: Iterable[WorkDocument], *, procs: int = 1, progress: Progress | None = None
    ) -> int:
        """Index ``docs`` into a new generation, swap it in, and return how many were indexed.

        Writes go on meanwhile: the new generation is filled without the write
        lock, and what is written to the current one in the meantime is
        journaled and replayed into the new one just before the swap, so a
        deposit waits for that replay only, never for the rebuild. Searches
        never wait: they use the old generation until the swap. ``docs`` is
        read only once the journal has begun. One rebuild at a time
        (``RebuildRunningError``).
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with journal.rebuilding(self.root):
            with exclusive_writing(self.root):
                path, ix = new_generation(self.root)
                journal.begin(self.root)
            try:
                count = fill(ix, docs, procs, limitmb=self.rebuild_mb, progress=progress)
                with exclusive_writing(self.root):
                    deleted, written = journal.last_changes(self.root)
                    apply_changes(ix, written, deleted, limitmb=self.writer_mb)
                    swap_in(self.root, path)
                    journal.end(self.root)
            except BaseException:
                with exclusive_writing(self.root):
                    journal.end(self.root)
                shutil.rmtree(path, ignore_errors=True)
                raise
        return count

    def versions(self) -> dict[str, str]:
        """id → version of every indexed work, for the consistency check against the database."""
        with self._searcher() as searcher:
            return {
                fields["id"]: fields.get("version", "")
                for fields in searcher.reader().all_stored_fields()
            }

    def search(
        self,
        req: SearchRequest,
        scope: Scope,
        texts_for: searching.TextsFor | None = None,
    ) -> SearchResults:
        """One page of what ``scope`` may see; ``texts_for(ids)`` supplies texts for snippets."""
        from search import searching

        with self._searcher() as searcher:
            return searching.run(searcher, req, scope, texts_for)

    def more_like_this(self, work_id: str, scope: Scope, limit: int = 5) -> list[Hit]:
        """Works like ``work_id`` by title, abstract and keywords, visible to ``scope``."""
        from search import searching

        with self._searcher() as searcher:
            return searching.more_like(searcher, work_id, scope, limit)

    def healthy(self) -> bool:
        """True when the current generation opens and answers (for /healthz)."""
        try:
            with self._searcher() as searcher:
                searcher.doc_count()
        except (OSError, EmptyIndexError, IndexMissingError):
            return False
        return True

    def _open(self, generation: Path) -> Index:
        """The Whoosh index of ``generation``, opened once per generation."""
        if self._opened is None or self._opened[0] != generation:
            check_format(generation)
            self._opened = (generation, open_dir(str(generation)))
        return self._opened[1]

    @contextmanager
    def _searcher(self) -> Iterator[Searcher]:
        """A searcher on the current generation, which stays on disk until it closes."""
        with reading_current(self.root) as generation:
            try:
                opened = self._open(generation).searcher()
            except UNREADABLE as error:
                # Damaged files: the same answer as a missing index (a notice; check; reindex).
                self._opened = None
                raise IndexMissingError(f"{generation} is unreadable: {error!r}") from error
            with opened as searcher:
                yield searcher
