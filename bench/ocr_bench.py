"""OCR throughput of the page engine against a plain single-threaded loop, in the same run.

Builds a realistic scanned Vietnamese thesis: pages of Vietnamese text
(the shared Wikipedia sample) drawn at 300 dpi, with a little skew and
speckle, half of them bitonal (CCITT G4 TIFF, as book scanners write) and
half grey (JPEG), joined into an image-only PDF by ``ingest.images``. Then:
  * baseline: one page after another, ``pdftoppm -r 300`` then ``tesseract``
    (text only, ``OMP_THREAD_LIMIT=1``), as a simple script would;
  * engine: ``ingest.ocr.recognise_page`` in a pool of N processes (default
    2, one per core), each page giving text, word confidences and a text-only
    PDF page;
  * jobs: the scan imported with ``--no-wait`` and recognised by one ``repo-app
    worker --concurrency N``: the product's own path (queue, database, store);
  * one page with tesseract's default threading against ``OMP_THREAD_LIMIT=1``.
Prints pages per minute, the engine's ratio to the baseline, and the quality
figures (mean word confidence, share of valid Vietnamese syllables). Figures
are noisy on a shared 2-core machine: run it under ``flock /tmp/bench.lock``.
Usage: ``python bench/ocr_bench.py [--pages 24] [--processes 2] [--jobs-only]``
(``--pages 300`` for a whole thesis: about 25 minutes; with ``--jobs-only``, the
product path alone, about 6).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from multiprocessing import get_context
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_VI = ROOT.parent / "shared" / "vi" / "viwiki_sample.jsonl"
DPI = 300
A4 = (2480, 3508)
MARGIN = 250
FONT_PX = 50  # 12 pt at 300 dpi
LINE_PX = 72
COLUMNS = 68


def vietnamese_paragraphs() -> list[str]:
    path = Path(os.environ.get("REPO_BENCH_VI", DEFAULT_VI))
    if not path.exists():
        sys.exit(f"Vietnamese sample not found at {path} (set REPO_BENCH_VI)")
    with path.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines]
    return [p.strip() for text in texts for p in text.split("\n")
            if len(p.strip()) > 200 and "==" not in p]


def page_image(paragraphs: list[str], number: int, rng: random.Random) -> Image.Image:
    """One A4 page at 300 dpi: a header, wrapped paragraphs, a page number, skew and speckle."""
    from ingest.sample_pdf import find_font

    font = ImageFont.truetype(str(find_font()), FONT_PX)
    image = Image.new("L", A4, 255)
    draw = ImageDraw.Draw(image)
    y = MARGIN
    draw.text((MARGIN, y), f"Chương {number // 10 + 1}. Kết quả nghiên cứu", font=font, fill=0)
    y += 2 * LINE_PX
    while y < A4[1] - MARGIN - LINE_PX:
        for line in textwrap.wrap(rng.choice(paragraphs), COLUMNS):
            if y >= A4[1] - MARGIN - LINE_PX:
                break
            draw.text((MARGIN, y), line, font=font, fill=rng.randint(0, 60))
            y += LINE_PX
        y += LINE_PX // 2
    draw.text((A4[0] // 2, A4[1] - MARGIN // 2), str(number), font=font, fill=0)
    for _ in range(4000):  # dust and paper grain
        x, y = rng.randrange(A4[0]), rng.randrange(A4[1])
        draw.point((x, y), fill=rng.randint(0, 160))
    return image.rotate(rng.uniform(-0.8, 0.8), resample=Image.BICUBIC, fillcolor=255)


def make_scan(folder: Path, pages: int) -> Path:
    """Page images as a scanning station leaves them, joined by ``ingest.images.assemble``."""
    from ingest.images import ImageLimits, assemble

    rng = random.Random(11)
    paragraphs = vietnamese_paragraphs()
    images = folder / "scans"
    images.mkdir()
    for number in range(1, pages + 1):
        image = page_image(paragraphs, number, rng)
        if number % 2:
            image.point(lambda v: 255 if v > 150 else 0).convert("1").save(
                images / f"trang-{number}.tif", compression="group4", dpi=(DPI, DPI))
        else:
            image.save(images / f"trang-{number}.jpg", quality=85, dpi=(DPI, DPI))
    return assemble([images], folder / "thesis.pdf", limits=ImageLimits(max_pages=pages)).path


def baseline(pdf: Path, pages: int, work: Path) -> float:
    """One page after another: pdftoppm, then a single-threaded tesseract (text only)."""
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    started = time.perf_counter()
    for number in range(1, pages + 1):
        image = work / f"base-{number}"
        subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(number), "-l", str(number),
                        "-singlefile", str(pdf), str(image)], check=True)
        subprocess.run(["tesseract", f"{image}.ppm", str(image), "-l", "vie+eng"], check=True,
                       capture_output=True, env=environment)
    return time.perf_counter() - started


def _recognise(job: tuple[Path, int, Path]):
    from ingest.ocr import recognise_page

    pdf, index, work = job
    return recognise_page(pdf, index, work, timeout=600)


def engine(pdf: Path, pages: int, work: Path, processes: int) -> tuple[float, list]:
    """recognise_page over every page in a pool of ``processes`` worker processes."""
    started = time.perf_counter()
    with get_context("forkserver").Pool(processes) as pool:
        results = pool.map(_recognise, [(pdf, i, work) for i in range(pages)], chunksize=1)
    return time.perf_counter() - started, results


def jobs(pdf: Path, pages: int, work: Path, concurrency: int) -> tuple[float, float]:
    """The whole product path: the scan imported with ``--no-wait``, then one ``repo-app
    worker --concurrency N`` started; seconds from its start until every page is recognised,
    and until the file is done (text spliced, searchable PDF/A copy built, work indexed)."""
    data = work / "data"
    env = {**os.environ, "REPO_DATA_DIR": str(data), "REPO_JOBS_EAGER": "0"}
    app = [str(Path(sys.executable).parent / "repo-app")]
    (work / "lot").mkdir()
    shutil.copy(pdf, work / "lot" / "scan.pdf")
    (work / "lot" / "m.csv").write_text("file,title,creators,year,type,access\n"
                                        "scan.pdf,Luận văn quét,Lê H,1998,master_thesis,open\n",
                                        encoding="utf-8")
    subprocess.run(app + ["init"], env=env, check=True, capture_output=True)
    subprocess.run(app + ["import", str(work / "lot"), "--manifest", str(work / "lot" / "m.csv"),
                          "--no-wait"], env=env, check=True, capture_output=True)
    started = time.perf_counter()
    worker = subprocess.Popen(app + ["worker", "--concurrency", str(concurrency)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    recognised = None
    try:
        while True:
            with sqlite3.connect(data / "repo.sqlite3") as db:
                status, done = db.execute("SELECT extraction_status, pages_done FROM files").fetchone()
            if recognised is None and done == pages:
                recognised = time.perf_counter() - started
            if status not in ("queued", "running"):
                return recognised or time.perf_counter() - started, time.perf_counter() - started
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait()


def one_page_threading(pdf: Path, work: Path) -> tuple[float, float]:
    """Seconds for one page with tesseract's own threads, then with OMP_THREAD_LIMIT=1."""
    image = work / "threads"
    subprocess.run(["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", "-gray",
                    str(pdf), str(image)], check=True)
    timings = []
    for limit in (None, "1"):
        environment = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
        if limit:
            environment["OMP_THREAD_LIMIT"] = limit
        started = time.perf_counter()
        subprocess.run(["tesseract", f"{image}.pgm", str(image), "-l", "vie+eng"], check=True,
                       capture_output=True, env=environment)
        timings.append(time.perf_counter() - started)
    return timings[0], timings[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--jobs-only", action="store_true",
                        help="only the product path (a 300-page thesis end to end, no baseline)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ocr-bench-") as scratch:
        work = Path(scratch)
        started = time.perf_counter()
        pdf = make_scan(work, args.pages)
        size = pdf.stat().st_size / 1e6
        print(f"scanned thesis: {args.pages} pages, {size:.1f} MB, "
              f"made in {time.perf_counter() - started:.0f} s")
        if args.jobs_only:
            through_jobs, finished = jobs(pdf, args.pages, work, args.processes)
            print(f"jobs: repo-app worker --concurrency {args.processes}: every page recognised "
                  f"after {through_jobs:.1f} s ({args.pages / through_jobs * 60:.1f} pages/min); "
                  f"file done (text, searchable PDF/A copy, index) after {finished:.1f} s")
            return
        base = baseline(pdf, args.pages, work)
        spent, results = engine(pdf, args.pages, work, args.processes)
        through_jobs, finished = jobs(pdf, args.pages, work, args.processes)
        threaded, single = one_page_threading(pdf, work)
    base_rate, engine_rate = args.pages / base * 60, args.pages / spent * 60
    confidences = [r.mean_confidence for r in results if r.mean_confidence is not None]
    print(f"{'run':<44}{'seconds':>9}{'pages/min':>11}")
    print(f"{'baseline: pdftoppm + tesseract, 1 at a time':<44}{base:>9.1f}{base_rate:>11.1f}")
    print(f"{f'engine: recognise_page, {args.processes} processes':<44}"
          f"{spent:>9.1f}{engine_rate:>11.1f}")
    jobs_rate = args.pages / through_jobs * 60
    print(f"{f'jobs: repo-app worker --concurrency {args.processes}':<44}"
          f"{through_jobs:>9.1f}{jobs_rate:>11.1f}")
    print(f"ratio engine / baseline: {engine_rate / base_rate:.2f}x; jobs / baseline: "
          f"{jobs_rate / base_rate:.2f}x (aim >= 1.8x on 2 cores)")
    print(f"jobs: file done (text, searchable PDF/A copy, index) after {finished:.1f} s")
    print(f"one page, tesseract default threads: {threaded:.1f} s; "
          f"OMP_THREAD_LIMIT=1: {single:.1f} s ({threaded / single:.1f}x)")
    print(f"quality: mean word confidence {statistics.mean(confidences):.1f}, "
          f"valid syllables {statistics.mean(r.valid_syllable_ratio for r in results):.3f}, "
          f"pages for review {sum(r.needs_review for r in results)} of {len(results)}")


if __name__ == "__main__":
    main()
