"""Writers for filling a whole index at once (``SearchIndex.rebuild``).

A Whoosh writer sorts a segment's postings in memory up to ``limitmb`` and
beyond that spills sorted runs to temporary files, then merges them. It
writes and reads those runs one pickled posting at a time: a 50 KB thesis
has about 3,400 postings, and at 50,000 works that traffic took a third of
the rebuild. Here runs are written and read in blocks of postings, one
pickle call each; the sort and the merge are Whoosh's.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from itertools import islice

from whoosh.index import Index
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import IndexWriter, PostingPool

# Postings a spilled run holds per pickle call.
RUN_BLOCK = 8192


class BlockPostingPool(PostingPool):
    """Whoosh's posting pool, spilling and reading back its runs in blocks."""

    @classmethod
    def replacing(cls, pool: PostingPool) -> BlockPostingPool:
        """A block pool configured as ``pool`` (which must still be empty)."""
        assert not pool.current and not pool.runs
        return cls(pool.tempstore, pool.segment, limitmb=pool.limit // 2**20)

    def _write_run(self, f: object, items: Iterable[tuple]) -> None:
        items = iter(items)
        while block := list(islice(items, RUN_BLOCK)):
            pickle.dump(block, f, pickle.HIGHEST_PROTOCOL)
        f.close()  # type: ignore[attr-defined]

    def _read_run(self, path: str) -> Iterator[tuple]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    block = pickle.load(f)
                except EOFError:
                    return
                yield from block
        finally:
            f.close()
            self._remove_run(path)


class _SubWriter(SubWriterTask):
    """Whoosh's writer process, with a block pool (swapped in before its first document)."""

    def _process_file(self, filename: str, doc_count: int) -> None:
        if type(self.writer.pool) is PostingPool:
            self.writer.pool = BlockPostingPool.replacing(self.writer.pool)
        super()._process_file(filename, doc_count)


class _ParallelWriter(MpWriter):
    """Whoosh's multiprocess writer whose processes use block pools."""

    def _new_task(self) -> SubWriterTask:
        task = _SubWriter(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        task.start()
        return task


def bulk_writer(ix: Index, procs: int, **options: object) -> IndexWriter:
    """A writer for many documents; ``procs > 1`` writes one segment per process.

    No final merge of the processes' segments: it would cost as much as the indexing.
    """
    if procs > 1:
        return _ParallelWriter(ix, procs=procs, multisegment=True, **options)
    writer = ix.writer(**options)
    writer.pool = BlockPostingPool.replacing(writer.pool)
    return writer
