"""CPU time of our text extraction (``read_pdf``) against raw pdfminer, measured in the same run.

Generates the corpora of bench/pipeline_bench.py (mixed: 10 PDFs of 10
texts and 2 of 100, about 12 and 120 pages; many small files: 60 theses of
14 texts) and measures, in this one process, the CPU time
(``time.process_time``, so other work on the machine weighs little) of:
  * raw: pdfminer.six ``extract_text`` on each file (the issues' baseline);
  * before: ``read_pdf`` with pdfminer's own ``PDFPageAggregator`` layout, as it was
    before ``ingest.fast_layout``;
  * after: ``read_pdf`` as it is (``ingest.fast_layout.TextAggregator``).
Each corpus is measured in ``--repeat`` rounds (raw, before, after one after
another) and the medians compared. Usage, from the project root:
``flock /tmp/bench.lock .venv/bin/python bench/extract_bench.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ingest.extract import raw_extract_text
from ingest.pdftext import STOCK_LAYOUT, read_pdf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline_bench import make_corpus  # noqa: E402 - a sibling script, not a package

RUNS: dict[str, Callable[[Path], object]] = {
    "raw": raw_extract_text,
    "before": lambda path: read_pdf(path, layout=STOCK_LAYOUT),
    "after": read_pdf,
}


def cpu_seconds(run: Callable[[Path], object], corpus: list[Path]) -> float:
    started = time.process_time()
    for path in corpus:
        run(path)
    return time.process_time() - started


def measure(label: str, corpus: list[Path], repeat: int) -> dict[str, float]:
    rounds: dict[str, list[float]] = {name: [] for name in RUNS}
    for _ in range(repeat):
        for name, run in RUNS.items():
            rounds[name].append(cpu_seconds(run, corpus))
    pages = sum(len(read_pdf(path).pages) for path in corpus)
    raw, before, after = (statistics.median(rounds[name]) for name in RUNS)
    print(f"{label}: {len(corpus)} files, {pages} pages, CPU seconds (median of {repeat})")
    for name, seconds in (("raw pdfminer extract_text", raw), ("read_pdf before", before),
                          ("read_pdf after", after)):
        print(f"  {name:<28}{seconds:>8.2f} s{1000 * seconds / pages:>8.2f} ms/page")
    print(f"  after/before {after / before:.2f} ({100 * (1 - after / before):.0f}% less CPU); "
          f"before/raw {before / raw:.2f}; after/raw {after / raw:.2f}")
    return {"raw": raw, "before": before, "after": after}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians (default 3)")
    args = parser.parse_args()
    logging.getLogger("fpdf").setLevel(logging.ERROR)  # missing CJK glyphs in the sample text
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # as in the extraction processes
    with tempfile.TemporaryDirectory() as tmp:
        mixed, many = Path(tmp) / "mixed", Path(tmp) / "many"
        mixed.mkdir()
        many.mkdir()
        measure("mixed", make_corpus(mixed, 10, 2), args.repeat)
        measure("many small files", make_corpus(many, 0, 0, 60), args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
