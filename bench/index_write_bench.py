"""CPU of writing documents to the search index: ours against Whoosh's own way, same run.

During an import the command's own process writes the index while the
extraction processes fill the cores, so every CPU-second of writing is taken
from extraction. This writes the same N generated theses (14 texts of about
2,400 characters of real Vietnamese each, as ``pipeline_bench``'s "many
small files") into a fresh index in one commit and in commits of 5 (the
ninth of which merges eight segments), each way:

  * ``ours``: ``SearchIndex.write`` (``search.writer.apply_changes``);
  * ``stock``: ``search.baseline.stock_writes``, the same schema written by
    Whoosh's own analysis chain, postings format, pool, postings writer and
    merge reading (the index contents are the same:
    ``tests/search/test_writing_paths.py``);
  * with ``--code DIR``, also ``SearchIndex.write`` of another checkout
    (e.g. ``/work/main`` before a change), in a child process.

CPU time (``time.process_time``, user + system, this process only) per
document, median of ``--repeat`` rounds taken one after another. Usage,
under ``flock /tmp/bench.lock``:

    .venv/bin/python bench/index_write_bench.py [--works 60] [--repeat 3] [--code DIR]

``DIR`` holds a ``search`` package, e.g. ``git archive <commit> search | tar -x -C DIR``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXTS = 14
BATCHES = {"one commit": 0, "commits of 5": 5}


def theses(works: int) -> list[dict[str, object]]:
    """``works`` theses as plain fields, a pure function of their number."""
    sys.path.insert(0, str(ROOT / "bench"))
    from pipeline_bench import page_texts, vietnamese_sentences

    sentences = vietnamese_sentences()
    rng = random.Random(42)
    docs = []
    for n in range(works):
        pages = page_texts(rng, sentences, TEXTS)
        docs.append({
            "id": f"thesis-{n}", "title": rng.choice(sentences)[:120], "url": f"/works/thesis-{n}",
            "creators": ("Nguyễn Thị Hoà",), "advisors": ("PGS.TS. Trần Văn Đường",),
            "abstract": " ".join(rng.choice(sentences) for _ in range(4)),
            "keywords": tuple(rng.choice(sentences).split()[:2]),
            "labels": ("Luận văn thạc sĩ", "Master thesis", "Khoa Kinh tế", "Faculty of Economics"),
            "fulltext": "\n".join(pages), "faculty": "kt", "type": "master_thesis", "year": 2020 + n % 5,
            "language": "vi", "version": "1",
        })
    return docs


def cpu_per_document(write: Callable[[Path, list[list[object]]], object], docs: list, size: int) -> float:
    """Milliseconds of CPU per document to write ``docs`` into a fresh index, ``size`` a commit."""
    batches = [docs[i : i + size] for i in range(0, len(docs), size)] if size else [docs]
    with tempfile.TemporaryDirectory() as folder:
        started = time.process_time()
        write(Path(folder) / "index", batches)
        return (time.process_time() - started) * 1000 / len(docs)


def writers() -> dict[str, Callable[[Path, list[list[object]]], object]]:
    from search import SearchIndex

    def ours(folder: Path, batches: list[list[object]]) -> None:
        index = SearchIndex(folder)
        index.create_or_open()
        for batch in batches:
            index.write(batch)

    def stock(folder: Path, batches: list[list[object]]) -> None:
        from search.baseline import stock_writes  # not in a checkout from before it

        folder.mkdir()
        stock_writes(folder, batches)

    return {"stock": stock, "ours": ours}


def one_round(works: int, names: list[str]) -> dict[str, dict[str, float]]:
    from search import WorkDocument

    docs = [WorkDocument(**fields) for fields in theses(works)]
    found: dict[str, dict[str, float]] = {}
    for name in names:
        write = writers()[name]
        found[name] = {label: cpu_per_document(write, docs, size) for label, size in BATCHES.items()}
    return found


def other_checkout(code: Path, works: int) -> dict[str, float]:
    """``ours`` measured in a child process that imports ``search`` from ``code``."""
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(1, sys.argv[2]);"
        "import index_write_bench as b; print(json.dumps(b.one_round(int(sys.argv[3]), ['ours'])['ours']))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(code), str(ROOT / "bench"), str(works)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--code", type=Path, help="another checkout whose SearchIndex.write to measure too")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    rounds: dict[str, list[dict[str, float]]] = {}
    for _ in range(args.repeat):
        for name, row in one_round(args.works, ["stock", "ours"]).items():
            rounds.setdefault(name, []).append(row)
        if args.code:
            rounds.setdefault(str(args.code), []).append(other_checkout(args.code, args.works))
    medians = {
        name: {label: statistics.median(r[label] for r in rows) for label in BATCHES}
        for name, rows in rounds.items()
    }
    print(f"{args.works} theses of {TEXTS} texts, CPU ms per document, median of {args.repeat}")
    print(f"{'writer':<24}" + "".join(f"{label:>16}" for label in BATCHES))
    for name, row in medians.items():
        print(f"{name:<24}" + "".join(f"{row[label]:>16.1f}" for label in BATCHES))
    for name in medians:
        if name != "ours":
            saved = [1 - medians["ours"][label] / medians[name][label] for label in BATCHES]
            print(f"{'ours against ' + name:<24}" + "".join(f"{s:>11.0%} less" for s in saved))


if __name__ == "__main__":
    main()
