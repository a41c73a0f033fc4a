"""Ingest pipeline throughput against raw pdfminer.six, measured in the same run.

Generates Vietnamese PDFs of 10 and 100 texts of about a page each (some
texts run onto a second page; pages per second count the pages the import
counted), then measures:
  * raw: ``pdfminer.six`` ``extract_text`` on each file, one after another (the baseline);
  * ``repo-app import --workers 1`` and ``2`` end to end, as a command (start-up,
    checksummed storage, works and audit, the job queue and its worker with
    extraction in limited processes, normalisation, search index).
Two corpora: a mixed one (10-text and 100-text PDFs) and many small files
(60 theses of 14 texts). Prints pages/s, the import's speed against raw
extraction, the 2-worker speed-up and the cost per file beyond extraction.
Each corpus is measured in ``--repeat`` rounds (raw, 1 worker, 2 workers
one after another) and the medians compared. Usage:
``python bench/pipeline_bench.py [--small N] [--large N] [--many N] [--repeat N]``,
under ``flock /tmp/bench.lock``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VI = ROOT.parent / "shared" / "vi" / "viwiki_sample.jsonl"
PAGE_CHARS = 2400
BIN = Path(sys.executable).parent


def vietnamese_sentences() -> list[str]:
    """Real Vietnamese text: the shared Wikipedia sample, or the demo collection without it."""
    path = Path(os.environ.get("REPO_BENCH_VI", DEFAULT_VI))
    if path.exists():
        text = " ".join(json.loads(line)["text"] for line in path.open(encoding="utf-8"))
    else:
        from repo_app.demo.collection import WORKS
        text = " ".join(p for w in WORKS for p in w["body"])
    return [s.strip() + "." for s in text.split(".") if len(s.strip()) > 20]


def make_corpus(folder: Path, small: int, large: int, theses: int = 0) -> list[Path]:
    """PDFs of 10, 100 and 14 texts of about 2,400 characters; a text may run onto a further
    page (the 14-text ones are the issue's "many small files")."""
    from ingest.sample_pdf import write_pdf

    sentences = vietnamese_sentences()
    rng = random.Random(42)
    specs = [(f"small-{i}.pdf", 10) for i in range(small)] + \
            [(f"large-{i}.pdf", 100) for i in range(large)] + \
            [(f"thesis-{i}.pdf", 14) for i in range(theses)]
    return [write_pdf(folder / name, page_texts(rng, sentences, pages), title=name)
            for name, pages in specs]


def page_texts(rng: random.Random, sentences: list[str], count: int) -> list[str]:
    """``count`` texts of about ``PAGE_CHARS`` characters of sentences drawn by ``rng``."""
    texts = []
    for _ in range(count):
        page = ""
        while len(page) < PAGE_CHARS:
            page += rng.choice(sentences) + " "
        texts.append(page)
    return texts


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
    """``repo-app import`` end to end into a fresh data directory, as a librarian runs it
    (command start-up, storing, works, the queue, worker, index); wall-clock seconds and the
    pages the import counted."""
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "REPO_DATA_DIR": data, "REPO_JOBS_EAGER": "0",
               "REPO_DEFAULT_LOCALE": "en"}  # the summary this parses, in English
        subprocess.run([str(BIN / "repo-app"), "init"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        started = time.perf_counter()
        done = subprocess.run([str(BIN / "repo-app"), "import", str(folder), "--manifest",
                               str(manifest), "--workers", str(workers)], env=env,
                              capture_output=True, text=True)
        elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    pages = int(re.search(r"(\d+) pages", done.stdout).group(1))
    return elapsed, pages


def measure(label: str, corpus: list[Path], folder: Path, repeat: int = 1) -> dict[str, float]:
    """Raw pdfminer against the import with 1 and 2 workers, on one corpus: ``repeat``
    rounds, each running the three one after another, and the median of each (so a burst
    of other work on the machine weighs on one round, not on one side of the ratio)."""
    manifest = write_manifest(folder, corpus)
    rounds: dict[str, list[float]] = {"raw": [], "pipeline_1": [], "pipeline_2": []}
    for _ in range(repeat):
        rounds["raw"].append(raw_baseline(corpus))
        one, pages = pipeline(folder, manifest, 1)
        rounds["pipeline_1"].append(one)
        rounds["pipeline_2"].append(pipeline(folder, manifest, 2)[0])
    raw, one, two = (statistics.median(rounds[k]) for k in ("raw", "pipeline_1", "pipeline_2"))
    figures = {
        "files": len(corpus), "pages": pages, "rounds": repeat,
        "raw_s": round(raw, 2), "pipeline_1_s": round(one, 2), "pipeline_2_s": round(two, 2),
        "per_file_beyond_raw_ms_1": round(1000 * (one - raw) / len(corpus), 1),
        "speedup_2_vs_raw": round(raw / two, 2),
        "speedup_2_vs_1": round(one / two, 2),
        "speedup_2_vs_raw_each_round": [round(r / t, 2) for r, t in
                                        zip(rounds["raw"], rounds["pipeline_2"], strict=True)],
    }
    print(f"{label}: {len(corpus)} files, {pages} pages as the import counted them"
          f" (median of {repeat} rounds)")
    print(f"  {'run':<28}{'seconds':>10}{'pages/s':>10}")
    for name, key in (("raw pdfminer extract_text", "raw"), ("import, 1 worker", "pipeline_1"),
                      ("import, 2 workers", "pipeline_2")):
        print(f"  {name:<28}{figures[key + '_s']:>10}{pages / figures[key + '_s']:>10.1f}")
    print(f"  import with 2 workers vs raw: {figures['speedup_2_vs_raw']}x "
          f"(rounds: {figures['speedup_2_vs_raw_each_round']}); "
          f"2 workers vs 1: {figures['speedup_2_vs_1']}x; beyond raw per file (1 worker): "
          f"{figures['per_file_beyond_raw_ms_1']} ms")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10, help="PDFs of 10 texts (default 10)")
    parser.add_argument("--large", type=int, default=2, help="PDFs of 100 texts (default 2)")
    parser.add_argument("--many", type=int, default=60,
                        help="the many-small-files case: PDFs of 14 texts (default 60; 0 skips)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of raw, 1 worker and 2 workers; medians (default 3)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.small or args.large:
            mixed = Path(tmp) / "mixed"
            mixed.mkdir()
            results["mixed"] = measure("mixed", make_corpus(mixed, args.small, args.large), mixed,
                                       args.repeat)
        if args.many:
            many = Path(tmp) / "many"
            many.mkdir()
            results["many_small"] = measure("many small files",
                                            make_corpus(many, 0, 0, theses=args.many), many,
                                            args.repeat)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
