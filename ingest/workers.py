"""Extraction worker processes: the scheduler that feeds them and their main loop.

A hostile or broken PDF can make a parser loop, eat memory or crash, so
the web process never parses one itself. Each file goes to a worker
process with a memory ceiling (``RLIMIT_AS``) and a time limit; a worker
that runs over is killed and a worker that dies is replaced, and the
caller always gets an :class:`~ingest.outcomes.Extraction` back. What a
worker does with a file is :func:`ingest.classify.extract_file`; this
module only decides who does it, when, and what happens when it goes wrong.
"""

from __future__ import annotations

import gc
import logging
import resource
import time
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, TypeVar

from ingest import fork_server
from ingest.classify import extract_file, precheck
from ingest.outcomes import (
    CORRUPT,
    MSG_CRASHED,
    MSG_NO_START,
    MSG_TIMEOUT,
    MSG_TOO_LARGE,
    TIMEOUT,
    TOO_LARGE,
    Extraction,
    Limits,
    outcome,
)

K = TypeVar("K")

STARTUP_TIMEOUT = 60.0
# pdfminer allocates millions of small layout objects per file, hardly any of
# them in reference cycles; at Python's default thresholds (700, 10, 10) the
# collector runs thousands of times a file and each older-generation pass
# re-scans every live layout object. Collecting less often saves about a
# tenth of a worker's time, for at most some megabytes of late garbage.
WORKER_GC_THRESHOLDS = (100_000, 20, 20)


def run(items: Iterable[tuple[K, Path]], *, workers: int,
         limits: Limits) -> Iterator[tuple[K, Extraction]]:
    """Feed files to worker processes, enforcing the limits; yield results as they come.

    An item is drawn from ``items`` only when a worker is free for it, so a
    caller that prepares files lazily (the importer stores each one first)
    does that work while the others are extracted. A worker that finishes
    gets its next file before its result is yielded, so it extracts while
    the caller handles the result.
    """
    source = iter(items)
    pool: list[_Worker] = []
    try:
        answered = _assign(pool, source, workers, limits)
        while answered or any(w.busy for w in pool):
            yield from answered
            answered = _collect(pool, limits) + _assign(pool, source, workers, limits)
    finally:
        for worker in pool:
            worker.stop()


def _assign(pool: list[_Worker], source: Iterator[tuple[Any, Path]], workers: int,
            limits: Limits) -> list[tuple[Any, Extraction]]:
    """Give every free worker slot a file; return the answers no worker was needed for."""
    pool[:] = [w for w in pool if w.busy or w.alive()]
    answered = []
    while _has_room(pool, workers) and (item := next(source, None)) is not None:
        key, path = item
        early = precheck(Path(path))
        if early is None:
            _idle_worker(pool, limits).submit(key, Path(path))
        else:
            answered.append((key, early))
    return answered


def _has_room(pool: list[_Worker], workers: int) -> bool:
    return len(pool) < max(workers, 1) or not all(w.busy for w in pool)


def _idle_worker(pool: list[_Worker], limits: Limits) -> _Worker:
    """A worker with nothing to do, started if every one in the pool is busy."""
    idle = next((w for w in pool if not w.busy), None)
    if idle is None:
        idle = _Worker(limits)
        pool.append(idle)
    return idle


def _collect(pool: list[_Worker], limits: Limits) -> list[tuple[Any, Extraction]]:
    """Wait for the next message or deadline of a busy worker; return what finished."""
    busy = [w for w in pool if w.busy]
    if not busy:
        return []
    now = time.monotonic()
    wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
         timeout=max(min(w.deadline for w in busy) - now, 0))
    return [done for done in (w.poll(limits) for w in busy) if done is not None]


class Extractor:
    """One long-lived worker process for files extracted one at a time (a background job's
    thread): the process is started once and reused, and replaced when it dies or is killed.

    Starting a worker costs more than extracting a small file, so a job
    worker that extracts thousands of theses keeps one per thread.
    """

    def __init__(self) -> None:
        self._worker: _Worker | None = None
        self._limits: Limits | None = None

    def extract(self, path: Path, limits: Limits) -> Extraction:
        early = precheck(Path(path))
        if early is not None:
            return early
        worker = self._ready(limits)
        worker.submit(None, Path(path))
        while True:
            wait([worker.conn, worker.process.sentinel],
                 timeout=max(worker.deadline - time.monotonic(), 0))
            done = worker.poll(limits)
            if done is not None:
                return done[1]

    def close(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def _ready(self, limits: Limits) -> _Worker:
        if self._worker is None or self._limits != limits or not self._worker.alive():
            self.close()
            self._worker, self._limits = _Worker(limits), limits
        return self._worker


class _Worker:
    """One worker process and the file it is working on."""

    def __init__(self, limits: Limits) -> None:
        context = fork_server.context()
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child_end, limits),
                                       daemon=True, name="ingest-extract")
        self.process.start()
        child_end.close()
        self.busy = False
        self.started = False
        self.key: Any = None
        self.deadline = 0.0

    def alive(self) -> bool:
        return self.process.is_alive()

    def submit(self, key: Any, path: Path) -> None:
        """Hand over a file; its clock starts when the worker says it has begun."""
        self.key, self.busy, self.started = key, True, False
        self.deadline = time.monotonic() + STARTUP_TIMEOUT
        try:
            self.conn.send(str(path))
        except OSError:
            pass  # the worker died while idle; poll() reports it for this file

    def poll(self, limits: Limits) -> tuple[Any, Extraction] | None:
        """The finished (key, result), if any: a result, a crash, or a missed deadline."""
        try:
            while self.conn.poll():
                kind, payload = self.conn.recv()
                if kind == "started":
                    self.started = True
                    self.deadline = time.monotonic() + limits.timeout
                else:
                    return self._finish(payload)
        except (EOFError, OSError):
            return self._fail(outcome(CORRUPT, MSG_CRASHED))
        if not self.process.is_alive():
            return self._fail(outcome(CORRUPT, MSG_CRASHED))
        if time.monotonic() < self.deadline:
            return None
        if not self.started:
            return self._fail(outcome(CORRUPT, MSG_NO_START))
        return self._fail(outcome(TIMEOUT, MSG_TIMEOUT.format(seconds=limits.timeout)))

    def stop(self) -> None:
        """Let an idle worker exit; kill a busy one."""
        if self.busy or not self.process.is_alive():
            self._kill()
            return
        try:
            self.conn.send(None)
        except OSError:
            self._kill()
            return
        self.process.join(timeout=5)
        self._kill()

    def _finish(self, extraction: Extraction) -> tuple[Any, Extraction]:
        self.busy = False
        if extraction.status == TOO_LARGE:
            self._kill()  # the worker exits after running out of memory; never reuse it
        return self.key, extraction

    def _fail(self, extraction: Extraction) -> tuple[Any, Extraction]:
        self._kill()
        return self._finish(extraction)

    def _kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


# --- the worker process ------------------------------------------------------------------


def _worker_main(conn: Connection, limits: Limits) -> None:
    """Extract the files sent down ``conn`` until told to stop (``None``), or until the
    parent is gone (a command ending without closing this thread's extractor)."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    gc.set_threshold(*WORKER_GC_THRESHOLDS)
    _limit_memory(limits.memory_mb)
    while (path := _next_path(conn)) is not None:
        conn.send(("started", None))
        try:
            extraction = extract_file(Path(path), limits)
        except MemoryError:
            extraction = outcome(TOO_LARGE, MSG_TOO_LARGE.format(memory_mb=limits.memory_mb))
        conn.send(("done", extraction))
        if extraction.status == TOO_LARGE:
            return  # a process that ran out of memory is not trusted with the next file


def _next_path(conn: Connection) -> str | None:
    try:
        return conn.recv()
    except EOFError:  # the other end closed: nothing more will come
        return None


def _limit_memory(memory_mb: int) -> None:
    size = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        size = min(size, hard)
    resource.setrlimit(resource.RLIMIT_AS, (size, hard))
