"""Upload progress on the deposit form (issue 15, item 6): a large PDF on a slow line shows a
progress bar that moves, and the depositor still lands on the work's page with its message.

The line is slowed with Chromium's own network emulation (DevTools protocol), so the upload
takes seconds whatever the machine."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.sample_pdf import write_pdf

# Bytes a second the browser may send: a PDF of some 100 KB then takes several seconds.
SLOW_UPLOAD = 16 * 1024


def test_a_slow_upload_shows_a_moving_progress_bar_then_the_work(open_page, tmp_path: Path):
    page = open_page("desktop", "depositor")
    pdf = write_pdf(tmp_path / "tep-lon.pdf",
                    [f"Trang {n}. " + f"Số liệu quan trắc mực nước giếng {n}. " * 120
                     for n in range(1, 41)], title="Tệp lớn")
    assert pdf.stat().st_size > 3 * SLOW_UPLOAD, "too small to see the bar move"
    page.goto("/deposit")
    form = page.locator("main form.deposit-form")
    form.locator("[name=title]").fill("Quan trắc mực nước giếng ở Trà Vinh")
    form.locator("[name=creators]").fill("Phạm Văn Tâm")
    form.locator("[name=year]").fill("2023")
    form.locator("[name=files]").set_input_files(str(pdf))
    devtools = page.context.new_cdp_session(page)
    devtools.send("Network.enable")
    devtools.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1,
        "uploadThroughput": SLOW_UPLOAD})
    try:
        form.get_by_role("button", name=re.compile("save|lưu", re.I)).click()
        page.locator(".upload-progress").wait_for(state="visible")
        page.wait_for_function("() => document.getElementById('upload-progress').value > 0")
        assert page.locator(".upload-status").inner_text().endswith("%")
    finally:
        devtools.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        devtools.detach()
    page.wait_for_url(re.compile(r"/works/\d+$"), timeout=60_000)
    assert page.locator("main .flash").count(), "the saved draft's message is shown"
