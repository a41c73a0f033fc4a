"""Issue 14, item 2: the reader draws pages in a limited worker process, once, and refuses
what cannot be drawn within the limits — the web process stays small and other readers go on.

The hostile files are made here: a content stream that inflates a thousand
times, and a page painting a huge image many times. What is measured is the
worker's fate (refused, killed) and the web process's own peak memory, never
wall time.
"""

from __future__ import annotations

import resource
import threading
import time

import pytest
from access.world import OFF_CAMPUS, client_from, file_ids
from security.hostile_pdfs import huge_image, inflating_content

from repo_app import resources

LIMIT_MB = 256


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    return inflating_content(tmp_path_factory.mktemp("hostile") / "bomb.pdf", LIMIT_MB + 200)


@pytest.fixture(scope="module")
def huge(tmp_path_factory):
    return huge_image(tmp_path_factory.mktemp("hostile") / "huge.pdf", 40_000, 8)


@pytest.fixture
def limited(app):
    app.config.update(READER_RENDER_MEMORY_MB=LIMIT_MB, READER_RENDER_TIMEOUT=10,
                      EXTRACT_TIMEOUT=5, EXTRACT_MEMORY_MB=LIMIT_MB)
    return app


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _page_url(app, work_id: int, page: int = 1) -> str:
    return f"/works/{work_id}/files/{file_ids(app, work_id)[0]}/pages/{page}.png"


def test_a_content_stream_that_inflates_past_the_limit_is_refused_and_the_server_stays_small(
        limited, bomb, publish_file):
    work_id = publish_file(bomb, level=None)
    depositor = client_from(limited, OFF_CAMPUS, "depositor@test.vn")
    depositor.set_cookie("lang", "en", domain="repo.test")
    before = _peak_mb()
    refused = depositor.get(_page_url(limited, work_id))
    assert refused.status_code == 422
    assert "cannot be drawn within the reader" in refused.text
    assert not refused.data.startswith(b"\x89PNG")
    assert _peak_mb() - before < 100  # the bomb needs more than LIMIT_MB + 200 MB to draw


def test_a_page_painting_a_huge_image_many_times_is_refused_before_drawing(
        limited, huge, publish_file):
    work_id = publish_file(huge)
    reader = client_from(limited, OFF_CAMPUS, "reader@test.vn")
    reader.set_cookie("lang", "en", domain="repo.test")
    before = _peak_mb()
    refused = reader.get(_page_url(limited, work_id))
    assert refused.status_code == 422
    assert "150 million image pixels" in refused.text
    assert _peak_mb() - before < 100


def test_without_the_pixel_check_the_memory_or_time_ceiling_still_stops_the_worker(
        limited, huge, publish_file):
    limited.config.update(READER_MAX_IMAGE_MEGAPIXELS=10**9, READER_RENDER_TIMEOUT=3)
    work_id = publish_file(huge)
    before = _peak_mb()
    refused = client_from(limited, OFF_CAMPUS, "reader@test.vn").get(_page_url(limited, work_id))
    assert refused.status_code == 422
    assert _peak_mb() - before < 100


def test_a_refused_page_is_remembered_and_not_drawn_again(limited, huge, publish_file):
    work_id = publish_file(huge)
    reader = client_from(limited, OFF_CAMPUS, "reader@test.vn")
    assert reader.get(_page_url(limited, work_id)).status_code == 422
    with limited.app_context():
        refusals = list(resources.page_cache().root.rglob("*.refused"))
        store = resources.store()
    assert len(refusals) == 1
    _hide_store(store)
    assert reader.get(_page_url(limited, work_id)).status_code == 422


def test_a_page_is_drawn_once_then_served_from_the_cache(app, make_pdf, publish_file):
    work_id = publish_file(make_pdf("Trang một.", "Trang hai."))
    reader = client_from(app, OFF_CAMPUS, "reader@test.vn")
    assert reader.get(_page_url(app, work_id)).status_code == 200
    with app.app_context():
        _hide_store(resources.store())
    again = reader.get(_page_url(app, work_id))
    assert again.status_code == 200 and again.data.startswith(b"\x89PNG")
    assert reader.get(_page_url(app, work_id, 2)).status_code == 422  # not drawn yet: unreadable


def test_another_readers_page_does_not_wait_behind_a_heavy_one(limited, huge, make_pdf,
                                                               publish_file):
    limited.config.update(READER_MAX_IMAGE_MEGAPIXELS=10**9, READER_RENDER_MEMORY_MB=4096,
                          READER_RENDER_TIMEOUT=15)
    heavy = publish_file(huge, title="Nặng")
    light = publish_file(make_pdf("Trang nhẹ."), title="Nhẹ")
    answers: dict[str, int] = {}

    def read_heavy() -> None:
        client = client_from(limited, OFF_CAMPUS, "other@test.vn")
        answers["heavy"] = client.get(_page_url(limited, heavy)).status_code

    worker = threading.Thread(target=read_heavy)
    worker.start()
    time.sleep(1)  # let the heavy render begin (no assertion on time is made)
    light_answer = client_from(limited, OFF_CAMPUS, "reader@test.vn").get(_page_url(limited, light))
    heavy_still_drawing = worker.is_alive()
    worker.join()
    assert light_answer.status_code == 200
    assert heavy_still_drawing, "the heavy page finished first: the test proved nothing"
    assert answers["heavy"] in (200, 422)


def _hide_store(store) -> None:
    """Make every stored object unreadable by name: only a cached page can still be served."""
    for path in list(store.objects.rglob("*")):
        if path.is_file():
            path.rename(path.with_name(path.name + ".hidden"))
