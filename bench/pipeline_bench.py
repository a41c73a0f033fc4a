"""Ingest pipeline throughput against raw pdfminer.six, measured in the same run.

Generates Vietnamese PDFs of 10 and 100 texts of about a page each (some
texts run onto a second page; pages per second count the pages the import
counted), then measures:
  * raw: ``pdfminer.six`` ``extract_text`` on each file, one after another (the baseline);
  * pipeline with 1 and 2 extraction workers: ``repo-app import`` end to end
    (checksummed storage, extraction in worker processes with limits,
    normalisation, database rows, audit, search index).
Prints pages/s, the pipeline's overhead over raw extraction, and the
2-worker speed-up. Usage: ``python bench/pipeline_bench.py [--small N] [--large N]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VI = ROOT.parent / "shared" / "vi" / "viwiki_sample.jsonl"
PAGE_CHARS = 2400


def vietnamese_sentences() -> list[str]:
    """Real Vietnamese text: the shared Wikipedia sample, or the demo collection without it."""
    path = Path(os.environ.get("REPO_BENCH_VI", DEFAULT_VI))
    if path.exists():
        text = " ".join(json.loads(line)["text"] for line in path.open(encoding="utf-8"))
    else:
        from repo_app.demo.collection import WORKS
        text = " ".join(p for w in WORKS for p in w["body"])
    return [s.strip() + "." for s in text.split(".") if len(s.strip()) > 20]


def make_corpus(folder: Path, small: int, large: int) -> list[Path]:
    """PDFs of 10 and 100 texts of about 2,400 characters; a text may run onto a further page."""
    from ingest.sample_pdf import write_pdf

    sentences = vietnamese_sentences()
    rng = random.Random(42)
    specs = [(f"small-{i}.pdf", 10) for i in range(small)] + \
            [(f"large-{i}.pdf", 100) for i in range(large)]
    corpus = []
    for name, pages in specs:
        texts = []
        for _ in range(pages):
            page = ""
            while len(page) < PAGE_CHARS:
                page += rng.choice(sentences) + " "
            texts.append(page)
        corpus.append(write_pdf(folder / name, texts, title=name))
    return corpus


def raw_baseline(corpus: list[Path]) -> float:
    from ingest.extract import raw_extract_text

    started = time.perf_counter()
    for path in corpus:
        raw_extract_text(path)
    return time.perf_counter() - started


def write_manifest(folder: Path, corpus: list[Path]) -> Path:
    manifest = folder / "manifest.csv"
    columns = ["file", "title", "creators", "advisors", "year", "type", "faculty", "degree",
               "discipline", "language", "abstract", "keywords", "access", "embargo_until",
               "holding_id"]
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        for i, path in enumerate(corpus):
            writer.writerow({"file": path.name, "title": f"Luận văn số {i}", "creators": "Nguyễn Văn A",
                             "year": "2020", "type": "master_thesis", "faculty": "Khoa Kinh tế",
                             "language": "vi", "access": "open"})
    return manifest


def pipeline(folder: Path, manifest: Path, workers: int) -> tuple[float, int]:
    """One full import into a fresh data directory; returns wall-clock seconds and the
    pages the import counted."""
    from repo_app import create_app
    from repo_app.access import SYSTEM
    from repo_app.db import session
    from repo_app.resources import initialize
    from repo_app.services import importing

    with tempfile.TemporaryDirectory() as data:
        os.environ["REPO_DATA_DIR"] = data
        app = create_app()
        with app.app_context():
            initialize(app)
            started = time.perf_counter()
            report = importing.run(session(), SYSTEM, folder, manifest, workers=workers)
            elapsed = time.perf_counter() - started
        assert report.imported == len(list(csv.DictReader(manifest.open()))), report.failures
        return elapsed, report.pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10, help="PDFs of 10 texts (default 10)")
    parser.add_argument("--large", type=int, default=2, help="PDFs of 100 texts (default 2)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = make_corpus(folder, args.small, args.large)
        manifest = write_manifest(folder, corpus)
        raw = raw_baseline(corpus)
        one, pages = pipeline(folder, manifest, 1)
        two, _ = pipeline(folder, manifest, 2)
    figures = {
        "files": len(corpus), "pages": pages,
        "raw_s": round(raw, 2), "raw_pages_per_s": round(pages / raw, 1),
        "pipeline_1_s": round(one, 2), "pipeline_1_pages_per_s": round(pages / one, 1),
        "pipeline_2_s": round(two, 2), "pipeline_2_pages_per_s": round(pages / two, 1),
        "overhead_1_vs_raw_pct": round(100 * (one - raw) / raw, 1),
        "speedup_2_vs_1": round(one / two, 2),
    }
    print(f"{len(corpus)} files of 10 and 100 texts, {pages} pages as the import counted them")
    print(f"{'run':<28}{'seconds':>10}{'pages/s':>10}")
    for label, key in (("raw pdfminer extract_text", "raw"), ("pipeline, 1 worker", "pipeline_1"),
                       ("pipeline, 2 workers", "pipeline_2")):
        print(f"{label:<28}{figures[key + '_s']:>10}{figures[key + '_pages_per_s']:>10}")
    print(f"pipeline overhead over raw extraction (1 worker): {figures['overhead_1_vs_raw_pct']}%")
    print(f"2 workers vs 1: {figures['speedup_2_vs_1']}x")
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
