"""Writing: one writer at a time, no lost update, atomic rebuilds, and the package's edges."""

from __future__ import annotations

import multiprocessing
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from search import Scope, SearchIndex, SearchRequest, WorkDocument

PROJECT = Path(__file__).resolve().parents[2]


def work(work_id: str, version: str = "v1", title: str = "Luận văn thạc sĩ") -> WorkDocument:
    return WorkDocument(id=work_id, title=title, url=f"/works/{work_id}", version=version)


def test_create_or_open_is_idempotent(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    index.create_or_open()
    index.write([work("a")])
    index.create_or_open()
    assert index.doc_count() == 1
    assert index.healthy()


def test_missing_index_is_unhealthy(tmp_path: Path) -> None:
    assert not SearchIndex(tmp_path / "nothing").healthy()


def test_update_replaces_by_id_and_versions_report_it(index: SearchIndex) -> None:
    index.write([work("a"), work("b")])
    index.write([work("a", "v2")])
    assert index.doc_count() == 2
    assert index.versions() == {"a": "v2", "b": "v1"}


def test_delete(index: SearchIndex) -> None:
    index.write([work("a"), work("b")])
    index.delete(["a"])
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
    assert index.doc_count() == 48


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
    assert index.doc_count() == 24


def test_rebuild_replaces_everything_and_removes_the_old_generation(index: SearchIndex) -> None:
    index.write([work("old")])
    assert index.rebuild([work("a"), work("b")]) == 2
    assert index.versions() == {"a": "v1", "b": "v1"}
    assert len(list(index.root.glob("gen-*"))) == 1


def test_rebuild_with_several_processes(index: SearchIndex, anyone) -> None:
    docs = [work(f"w{n}", title=f"Luận văn số {n}") for n in range(250)]
    assert index.rebuild(docs, procs=2) == 250
    assert index.doc_count() == 250
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


def test_write_during_rebuild_lands_in_the_new_index(index: SearchIndex) -> None:
    started = threading.Event()

    def slow_docs() -> Iterator[WorkDocument]:
        started.set()
        for n in range(5):
            time.sleep(0.05)
            yield work(f"r{n}")

    rebuild = threading.Thread(target=index.rebuild, args=(slow_docs(),))
    rebuild.start()
    started.wait()
    index.write([work("deposited-meanwhile")])
    rebuild.join()
    assert "deposited-meanwhile" in index.versions()
    assert index.doc_count() == 6


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
    index.delete(["a"])
    assert found(anyone) == ({"b"}, {"law": 1})
    index.write([faculty_work("b", "economics", "confidential"), faculty_work("c", "law", "open")])
    assert found(anyone) == ({"c"}, {"law": 1})
    assert found(staff) == ({"b", "c"}, {"law": 1, "economics": 1})
