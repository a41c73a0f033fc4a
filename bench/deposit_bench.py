"""How long a web deposit of a long scan takes to answer, against copying its bytes.

Generates a scanned thesis (``--pages`` page images, no text layer), then in
one run: copying the file (the floor any upload pays: its bytes written
once), and the deposit form posted through the app's WSGI stack as a
logged-in depositor (CSRF, staging, checksum, work and audit rows, the text
queued as background jobs, no worker running). The deposit must answer in
seconds whatever the file's size: the OCR (minutes) is a job.

Usage: ``python bench/deposit_bench.py [--pages 200] [--runs 3]``, under
``flock /tmp/bench.lock``.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "bench password 123"


def scan(path: Path, pages: int) -> Path:
    """A scan as a scanner gives it: A4 grey JPEG pages at 300 dpi with paper noise, about a
    0.8 MB each (ten distinct images, repeated; img2pdf keeps each page's bytes)."""
    import img2pdf
    import numpy
    from PIL import Image, ImageDraw

    rng = numpy.random.default_rng(7)
    images = []
    for n in range(10):
        noise = rng.normal(235, 6, size=(3508, 2480)).clip(0, 255).astype("uint8")
        page = Image.fromarray(noise, mode="L")
        ImageDraw.Draw(page).text((300, 300), f"Chuong {n}. Nuoi trong thuy san", fill=0)
        buffer = io.BytesIO()
        page.save(buffer, format="JPEG", quality=60, dpi=(300, 300))
        images.append(buffer.getvalue())
    path.write_bytes(img2pdf.convert([images[i % 10] for i in range(pages)]))
    return path


def token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def deposit_seconds(client, pdf: bytes, n: int) -> float:
    data = {"title": f"Luận văn quét {n}", "type": "master_thesis", "year": "1999",
            "language": "vi", "creators": "Đặng G", "advisors": "", "collection_id": "0",
            "degree_name": "", "degree_level": "master", "discipline": "", "grantor": "",
            "abstract": "", "keywords": "", "csrf_token": token(client, "/deposit"),
            "files": [(io.BytesIO(pdf), f"scan-{n}.pdf")], "submit_work": "1"}
    started = time.perf_counter()
    answer = client.post("/deposit", data=data, content_type="multipart/form-data")
    elapsed = time.perf_counter() - started
    if answer.status_code != 302:
        raise SystemExit(f"deposit answered {answer.status_code}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(REPO_DATA_DIR=str(Path(tmp) / "data"), REPO_JOBS_EAGER="0")
        from repo_app import create_app
        from repo_app.db import standalone_session
        from repo_app.resources import initialize
        from repo_app.services import users

        pdf_path = scan(Path(tmp) / "scan.pdf", args.pages)
        app = create_app({"WTF_CSRF_ENABLED": True, "MAX_UPLOAD_MB": 2048})
        with app.app_context():
            initialize(app)
            with standalone_session(app) as db:
                users.create_user(db, "bench@thuvien.vn", PASSWORD, "depositor", "Bench")
        client = app.test_client()
        client.post("/login", data={"email": "bench@thuvien.vn", "password": PASSWORD,
                                    "csrf_token": token(client, "/login")})
        copies, deposits = [], []
        for n in range(args.runs):
            started = time.perf_counter()
            shutil.copyfile(pdf_path, Path(tmp) / f"copy-{n}.pdf")
            copies.append(time.perf_counter() - started)
            pdf = pdf_path.read_bytes()[:-1] + bytes([n % 10 + 48])  # distinct bytes each run
            deposits.append(deposit_seconds(client, pdf, n))
        size_mb = pdf_path.stat().st_size / 1e6
    copy, post = statistics.median(copies), statistics.median(deposits)
    print(f"a {args.pages}-page scan of {size_mb:.0f} MB, median of {args.runs} runs")
    print(f"copying the file:   {copy:.2f} s")
    print(f"web deposit answer: {post:.2f} s ({post / copy:.1f}x the copy; runs "
          f"{', '.join(f'{d:.2f}' for d in deposits)} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
