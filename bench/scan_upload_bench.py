"""How long a librarian waits for the scanning station to answer, against assembling alone.

Makes N A4 pages at 300 dpi as a book scanner writes them (bitonal CCITT G4
TIFF, some text on each), then, in the same run:
  * baseline: ``ingest.images.assemble`` on the files on disk (the PDF alone);
  * web: ``POST /scans/new`` with the N files through Flask's test client, as
    a browser sends them (copy to scratch, assemble, stage, create, link and
    publish the work, queue its OCR: jobs are queued, not run);
  * web, one ZIP: the same pages in one ZIP file.
Prints seconds and the web answer's ratio to the baseline. Run it under
``flock /tmp/bench.lock``. Usage: ``python bench/scan_upload_bench.py [--pages 200]``.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
A4 = (2480, 3508)


def scanner_page(number: int) -> bytes:
    from ingest.fonts import find_font

    image = Image.new("L", A4, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(find_font()), 50)
    for line in range(40):
        draw.text((250, 250 + line * 72), f"Trang {number}, dòng {line}: nghiên cứu nuôi tôm sú "
                  "ở đồng bằng sông Cửu Long", font=font, fill=0)
    buffer = io.BytesIO()
    image.convert("1").save(buffer, format="TIFF", compression="group4", dpi=(300, 300))
    return buffer.getvalue()


def make_app(data: Path):
    os.environ["REPO_DATA_DIR"] = str(data)
    os.environ["REPO_JOBS_EAGER"] = "0"
    from repo_app import create_app
    from repo_app.access import Actor
    from repo_app.db import standalone_session
    from repo_app.resources import initialize
    from repo_app.services import holdings, users
    from repo_app.vocab import Role

    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SERVER_NAME": "repo.test",
                      "MAX_UPLOAD_MB": 2000, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        initialize(app)
    register = ("holding_id,title,creators,year,type,faculty,shelf_mark,format,category\n"
                + "".join(f"LV-{n},Luận văn {n},Võ E,2001,master_thesis,Khoa Thủy sản,LV.{n},"
                          "print,endogenous\n" for n in (1, 2)))
    with app.test_request_context(), standalone_session(app) as db:
        users.create_user(db, "librarian@bench.vn", "bench password 1", "librarian", "Bench")
        holdings.import_csv(db, Actor(role=Role.LIBRARIAN, name="bench"), register.encode())
    return app


def post(client, holding: str, images: list[tuple[bytes, str]]) -> float:
    started = time.perf_counter()
    response = client.post("/scans/new", content_type="multipart/form-data", data={
        "holding": holding, "type": "master_thesis", "language": "vi", "access_level": "open",
        "images": [(io.BytesIO(data), name) for data, name in images]})
    seconds = time.perf_counter() - started
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    pages = [(scanner_page(n), f"trang{n}.tif") for n in range(1, args.pages + 1)]
    megabytes = sum(len(data) for data, _ in pages) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        folder = tmp_path / "pages"
        folder.mkdir()
        for data, name in pages:
            (folder / name).write_bytes(data)
        from ingest.images import assemble

        started = time.perf_counter()
        assemble([folder], tmp_path / "baseline.pdf", workdir=tmp_path)
        baseline = time.perf_counter() - started

        app = make_app(tmp_path / "data")
        client = app.test_client()
        client.post("/login", data={"email": "librarian@bench.vn",
                                    "password": "bench password 1"})
        web = post(client, "LV-1", pages)
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as opened:
            # Pages named in reverse: another PDF (the same bytes are refused twice).
            for n, (data, _name) in enumerate(pages):
                opened.writestr(f"scan/trang{args.pages - n}.tif", data)
        zipped = [(archive.getvalue(), "lv-2.zip")]
        web_zip = post(client, "LV-2", zipped)
    print(f"{args.pages} A4 pages at 300 dpi, CCITT G4 TIFF, {megabytes:.1f} MB")
    print(f"{'':34}{'seconds':>9}{'× baseline':>12}")
    print(f"{'assemble() on disk (baseline)':34}{baseline:9.2f}{1:12.2f}")
    print(f"{'POST /scans/new, one file a page':34}{web:9.2f}{web / baseline:12.2f}")
    print(f"{'POST /scans/new, one ZIP':34}{web_zip:9.2f}{web_zip / baseline:12.2f}")


if __name__ == "__main__":
    main()
