"""Writing: one writer at a time, no lost update, atomic rebuilds, and the package's edges."""

from __future__ import annotations

import multiprocessing
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from search import Scope, SearchIndex, SearchRequest, WorkDocument, journal
from search.errors import RebuildRunningError

PROJECT = Path(__file__).resolve().parents[2]


def work(work_id: str, version: str = "v1", title: str = "Luận văn thạc sĩ") -> WorkDocument:
    return WorkDocument(id=work_id, title=title, url=f"/works/{work_id}", version=version)


def test_create_or_open_is_idempotent(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    index.create_or_open()
    index.write([work("a")])
    index.create_or_open()
    assert len(index.versions()) == 1
    assert index.healthy()


def test_missing_index_is_unhealthy(tmp_path: Path) -> None:
    assert not SearchIndex(tmp_path / "nothing").healthy()


def test_update_replaces_by_id_and_versions_report_it(index: SearchIndex) -> None:
    index.write([work("a"), work("b")])
    index.write([work("a", "v2")])
    assert len(index.versions()) == 2
    assert index.versions() == {"a": "v2", "b": "v1"}


def test_delete(index: SearchIndex) -> None:
    index.write([work("a"), work("b")])
    index.write([], delete_ids=["a"])
    assert index.versions() == {"b": "v1"}
    index.write([work("c")], delete_ids=["b"])
    assert index.versions() == {"c": "v1"}


def test_segments_are_not_compound(index: SearchIndex) -> None:
    index.write([work("a")])
    assert not list(index.root.rglob("*.seg"))


def _write_many(root: str, prefix: str, count: int) -> None:
    index = SearchIndex(Path(root))
    for n in range(count):
        index.write([work(f"{prefix}-{n}")])


def test_concurrent_threads_lose_no_update(index: SearchIndex) -> None:
    threads = [
        threading.Thread(target=_write_many, args=(str(index.root), f"t{t}", 8)) for t in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(index.versions()) == 48


def test_concurrent_processes_lose_no_update(index: SearchIndex) -> None:
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_write_many, args=(str(index.root), f"p{p}", 6)) for p in range(4)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    assert len(index.versions()) == 24


def test_rebuild_replaces_everything_and_removes_the_old_generation(index: SearchIndex) -> None:
    index.write([work("old")])
    assert index.rebuild([work("a"), work("b")]) == 2
    assert index.versions() == {"a": "v1", "b": "v1"}
    assert len(list(index.root.glob("gen-*"))) == 1


def test_rebuild_with_several_processes(index: SearchIndex, anyone) -> None:
    docs = [work(f"w{n}", title=f"Luận văn số {n}") for n in range(250)]
    assert index.rebuild(docs, procs=2) == 250
    assert len(index.versions()) == 250
    assert not list(index.root.rglob("*.seg"))
    assert index.search(SearchRequest(q="luan van"), anyone).total == 250


def test_failed_rebuild_keeps_the_old_index(index: SearchIndex) -> None:
    index.write([work("kept")])

    def broken() -> Iterator[WorkDocument]:
        yield work("new")
        raise RuntimeError("database went away")

    try:
        index.rebuild(broken())
    except RuntimeError:
        pass
    assert index.versions() == {"kept": "v1"}
    assert len(list(index.root.glob("gen-*"))) == 1


def test_searches_keep_answering_during_rebuilds(index: SearchIndex, anyone) -> None:
    old = [work(f"old{n}", title="Đề tài cũ") for n in range(30)]
    new = [work(f"new{n}", title="Đề tài mới") for n in range(40)]
    index.write(old)
    totals: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def search_until_done() -> None:
        while not done.is_set():
            try:
                totals.append(index.search(SearchRequest(q="đề tài"), anyone).total)
            except BaseException as error:  # the test reports any failure below
                errors.append(error)

    reader = threading.Thread(target=search_until_done)
    reader.start()
    for docs in (new, old, new):
        time.sleep(0.05)
        index.rebuild(docs)
    time.sleep(0.05)
    done.set()
    reader.join()
    assert errors == []
    assert set(totals) <= {30, 40} and len(totals) > 3
    assert index.search(SearchRequest(q="mới"), anyone).total == 40


class PausedRebuild:
    """A rebuild in a thread that stops after its first document until told to go on."""

    def __init__(self, index: SearchIndex, docs: list[WorkDocument]) -> None:
        self.reached = threading.Event()
        self.go_on = threading.Event()
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, args=(index, docs))

    def _docs(self, docs: list[WorkDocument]) -> Iterator[WorkDocument]:
        yield docs[0]
        self.reached.set()
        assert self.go_on.wait(60), "the test never let the rebuild go on"
        yield from docs[1:]

    def _run(self, index: SearchIndex, docs: list[WorkDocument]) -> None:
        try:
            index.rebuild(self._docs(docs))
        except BaseException as error:  # reported by finish()
            self.errors.append(error)

    def __enter__(self) -> PausedRebuild:
        self.thread.start()
        assert self.reached.wait(60)
        return self

    def __exit__(self, *exc: object) -> None:
        self.go_on.set()
        self.thread.join(60)
        assert not self.thread.is_alive() and self.errors == []


def _writes_without_waiting(index: SearchIndex, docs=(), delete_ids=()) -> None:
    """Write from another thread and require it done while the rebuild is still paused."""
    writer = threading.Thread(target=index.write, args=(list(docs), list(delete_ids)))
    writer.start()
    writer.join(30)
    assert not writer.is_alive(), "the write waited for the rebuild"


def test_a_write_during_a_rebuild_waits_for_nothing_and_lands_in_the_new_index(
    index: SearchIndex,
) -> None:
    index.write([work("old")])
    with PausedRebuild(index, [work(f"r{n}") for n in range(5)]) as rebuild:
        _writes_without_waiting(index, [work("deposited-meanwhile")])
        assert set(index.versions()) == {"old", "deposited-meanwhile"}  # the old generation
        assert rebuild.thread.is_alive()
    assert set(index.versions()) == {"deposited-meanwhile", *(f"r{n}" for n in range(5))}


def test_the_last_change_made_during_a_rebuild_wins(index: SearchIndex) -> None:
    rebuilt = [work("kept"), work("updated"), work("deleted"), work("twice")]
    with PausedRebuild(index, rebuilt):
        _writes_without_waiting(index, [work("updated", "v2"), work("twice", "v2")])
        _writes_without_waiting(index, delete_ids=["deleted", "twice"])
        _writes_without_waiting(index, [work("twice", "v3")])
    assert index.versions() == {"kept": "v1", "updated": "v2", "twice": "v3"}


def test_one_rebuild_at_a_time(index: SearchIndex) -> None:
    with PausedRebuild(index, [work("a"), work("b")]):
        with pytest.raises(RebuildRunningError):
            index.rebuild([work("c")])
    assert set(index.versions()) == {"a", "b"}


def test_a_failed_rebuild_stops_journaling(index: SearchIndex) -> None:
    def broken() -> Iterator[WorkDocument]:
        yield work("new")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        index.rebuild(broken())
    index.write([work("after")])
    assert not (index.root / journal.JOURNAL).exists()
    assert set(index.versions()) == {"after"}


def test_the_journal_of_a_dead_rebuild_is_discarded(index: SearchIndex) -> None:
    (index.root / journal.JOURNAL).write_bytes(b"")  # as a killed rebuild leaves it
    index.write([work("a")])
    assert not (index.root / journal.JOURNAL).exists()
    assert set(index.versions()) == {"a"}


def test_search_package_imports_nothing_from_the_app() -> None:
    forbidden = re.compile(r"^\s*(from|import)\s+(flask|sqlalchemy|repo_app)\b", re.M)
    offenders = [
        path.name
        for path in (PROJECT / "search").glob("*.py")
        if forbidden.search(path.read_text())
    ]
    assert offenders == []


def test_only_the_search_package_imports_whoosh() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+whoosh\b", re.M)
    offenders = [
        str(path.relative_to(PROJECT))
        for folder in ("repo_app", "ingest")
        if (PROJECT / folder).exists()
        for path in (PROJECT / folder).rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_cached_filters_and_facets_follow_writes_and_deletions(
    index: SearchIndex, anyone: Scope, staff: Scope
) -> None:
    def found(scope: Scope) -> tuple[set[str], dict[str, int]]:
        results = index.search(SearchRequest(q="luận văn"), scope)
        faculties = {v.value: v.count for v in results.facets["faculty"]}
        return {hit.id for hit in results.hits}, faculties

    def faculty_work(work_id: str, faculty: str, level: str) -> WorkDocument:
        return WorkDocument(
            id=work_id,
            title="Luận văn thạc sĩ",
            url=f"/works/{work_id}",
            faculty=faculty,
            access=level,
        )

    index.write([faculty_work("a", "law", "open"), faculty_work("b", "law", "open")])
    assert found(anyone) == ({"a", "b"}, {"law": 2})
    index.write([], delete_ids=["a"])
    assert found(anyone) == ({"b"}, {"law": 1})
    index.write([faculty_work("b", "economics", "confidential"), faculty_work("c", "law", "open")])
    assert found(anyone) == ({"c"}, {"law": 1})
    assert found(staff) == ({"b", "c"}, {"law": 1, "economics": 1})


def test_the_access_module_imports_without_the_engine() -> None:
    """``search`` gives its plain dataclasses without loading Whoosh (nor numpy)."""
    import subprocess
    import sys

    probe = (
        "import sys, repo_app.access, search\n"
        "assert search.Scope is repo_app.access.Scope\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('whoosh', 'numpy')]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_caches_take_their_budget_from_the_index(tmp_path: Path) -> None:
    from search import caching

    try:
        SearchIndex(tmp_path / "small", cache_mb=16)
        assert sum(cache.limit for cache in caching._caches) == int(16 * 1.625 * 2**20)
    finally:
        caching.set_budget(caching.DEFAULT_CACHE_MB)
