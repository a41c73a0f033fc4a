"""``repo-app reindex`` while the library works: a publish during the rebuild waits for
nothing, and the work it published is in the index that the rebuild swaps in."""

from __future__ import annotations

import threading

from repo_app.db import standalone_session
from repo_app.services import indexing
from search import journal
from search.rebuild import current_generation


def test_a_work_published_during_a_rebuild_is_in_the_new_index(app, client, publish):
    before = publish("Luận văn có trước", "open")
    reached, go_on, errors = threading.Event(), threading.Event(), []

    def pause_after_the_first(count: int) -> None:
        if not reached.is_set():
            reached.set()
            assert go_on.wait(60), "the test never let the rebuild go on"

    def rebuild() -> None:
        try:
            with app.app_context(), standalone_session(app) as db:
                indexing.reindex(db, progress=pause_after_the_first)
        except BaseException as error:  # reported below
            errors.append(error)

    old_generation = current_generation(app.config["DATA_DIR"] / "index")
    rebuilding = threading.Thread(target=rebuild)
    rebuilding.start()
    try:
        assert reached.wait(60)
        meanwhile = publish("Luận văn công bố giữa chừng", "open")  # drains into the old index
        assert rebuilding.is_alive()
        hits = client.get("/api/v1/search?q=giua+chung").get_json()["hits"]
        assert [hit["id"] for hit in hits] == [meanwhile]
    finally:
        go_on.set()
        rebuilding.join(60)
    assert errors == [] and not rebuilding.is_alive()
    assert current_generation(app.config["DATA_DIR"] / "index") != old_generation
    for q, work_id in (("giua chung", meanwhile), ("co truoc", before)):
        hits = client.get("/api/v1/search", query_string={"q": q}).get_json()["hits"]
        assert [hit["id"] for hit in hits] == [work_id]


def test_a_second_reindex_is_refused_while_one_runs(app, runner, publish):
    publish("Luận văn", "open")
    root = app.config["DATA_DIR"] / "index"
    with journal.rebuilding(root):
        result = runner.invoke(args=["reindex"])
    assert result.exit_code == 1
    assert "Another `repo-app reindex` is running" in result.output
    assert runner.invoke(args=["reindex"]).exit_code == 0
