"""Search benchmark: Whoosh (default writer vs. ours) and SQLite FTS5, same works, same run.

Builds N synthetic theses (about 50 KB of Vietnamese each) deterministically
from the Wikipedia sample's sentences, indexes them three ways, then runs 200
fixed one-to-three-syllable queries (a quarter typed without diacritics)
with facets and first-page snippets, and prints a table with ratios.

    .venv/bin/python bench/search_bench.py --works 1000 --out bench/out/search-1000.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search import Scope, SearchIndex, SearchRequest, WorkDocument  # noqa: E402
from search.baseline import index_with_defaults  # noqa: E402
from search.spelling import fold, nfc  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEXT_BYTES = 50_000
QUERIES = 200
# Faculty and type names in both languages, as the app indexes them (labels in meta).
FACULTIES = {
    "Khoa Luật": "Faculty of Law",
    "Khoa Kinh tế": "Faculty of Economics",
    "Khoa Sư phạm": "Faculty of Education",
    "Khoa Y dược": "Faculty of Medicine and Pharmacy",
    "Khoa Kỹ thuật": "Faculty of Engineering",
    "Khoa Nông nghiệp": "Faculty of Agriculture",
}
TYPES = {
    "bachelor_thesis": ("Khóa luận tốt nghiệp", "Bachelor's thesis", "Đại học", "Bachelor"),
    "master_thesis": ("Luận văn thạc sĩ", "Master's thesis", "Thạc sĩ", "Master"),
    "doctoral_dissertation": ("Luận án tiến sĩ", "Doctoral dissertation", "Tiến sĩ", "Doctoral"),
    "research_report": ("Báo cáo nghiên cứu", "Research report"),
}
# An anonymous visitor under the default policy: public records, open texts.
ANYONE = Scope(
    metadata_levels=frozenset({"", "open", "campus", "restricted", "embargoed"}),
    text_levels=frozenset({"open"}),
    today=date(2025, 1, 1),
)


def sample_sentences() -> list[str]:
    """Sentences of the shared Wikipedia sample (REPO_TEST_VI, default ../shared/vi)."""
    folder = Path(os.environ.get("REPO_TEST_VI", ROOT.parent / "shared" / "vi"))
    sentences = []
    with open(folder / "viwiki_sample.jsonl", encoding="utf-8") as lines:
        for line in lines:
            for sentence in re.split(r"(?<=[.!?])\s+", nfc(json.loads(line)["text"])):
                if 30 <= len(sentence) <= 400:
                    sentences.append(sentence)
    return sentences


class Corpus:
    """Work ``i`` is a pure function of ``i``: every engine indexes identical documents."""

    def __init__(self, sentences: list[str], works: int) -> None:
        self.sentences = sentences
        self.works = works
        self.text = lru_cache(maxsize=256)(self._text)

    def _text(self, i: int) -> str:
        rng = random.Random(i)
        parts, size = [], 0
        while size < TEXT_BYTES:
            sentence = rng.choice(self.sentences)
            parts.append(sentence)
            size += len(sentence.encode()) + 1
        return " ".join(parts)

    def document(self, i: int) -> WorkDocument:
        rng = random.Random(-1 - i)
        title = " ".join(rng.choice(self.sentences).split()[:10])
        abstract = " ".join(rng.choice(self.sentences) for _ in range(3))
        keywords = tuple(rng.choice(self.sentences).split()[:2])
        faculty = rng.choice(list(FACULTIES))
        work_type = rng.choice(list(TYPES))
        return WorkDocument(
            id=f"w{i}",
            title=title,
            url=f"/works/w{i}",
            creators=(f"Tác giả {i % 97}",),
            abstract=abstract,
            keywords=keywords,
            fulltext=self.text(i),
            labels=(*TYPES[work_type], faculty, FACULTIES[faculty]),
            grantor="Trường Đại học Mẫu",
            identifier=f"vnir/{i}",
            faculty=faculty,
            type=work_type,
            year=rng.randint(2000, 2024),
            language="vi",
        )

    def documents(self) -> Iterator[WorkDocument]:
        return (self.document(i) for i in range(self.works))

    def megabytes(self) -> float:
        return sum(len(self.text(i).encode()) for i in range(self.works)) / 1e6


def fixed_queries(sentences: list[str]) -> list[str]:
    """200 queries: runs of 1–3 consecutive syllables, common and rarer, every 4th unaccented."""
    rng = random.Random(42)
    counts = Counter(w.lower() for s in sentences for w in re.findall(r"\w+", s))
    queries = []
    while len(queries) < QUERIES:
        words = re.findall(r"\w+", rng.choice(sentences))
        length = rng.randint(1, 3)
        if len(words) < length:
            continue
        start = rng.randrange(len(words) - length + 1)
        run = [w.lower() for w in words[start : start + length]]
        if any(w.isdigit() or counts[w] < 3 for w in run):
            continue
        query = " ".join(run)
        queries.append(fold(query) if len(queries) % 4 == 3 else query)
    return queries


def timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def disk_megabytes(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def index_default(corpus: Corpus, folder: Path, works: int) -> None:
    """Baseline: the writer Whoosh gives by default (compound segments, one process)."""
    index_with_defaults(folder, (corpus.document(i) for i in range(works)))


def index_fts(corpus: Corpus, path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, title, abstract, keywords, meta,"
        " fulltext, tokenize='unicode61 remove_diacritics 2')"
    )
    db.execute("CREATE TABLE works (rowid INTEGER PRIMARY KEY, faculty TEXT, type TEXT, year INT)")
    for n, doc in enumerate(corpus.documents(), start=1):
        meta = " ".join([*doc.creators, *doc.labels, doc.grantor, doc.identifier])
        db.execute(
            "INSERT INTO fts (rowid, id, title, abstract, keywords, meta, fulltext)"
            " VALUES (?,?,?,?,?,?,?)",
            (n, doc.id, doc.title, doc.abstract, " ".join(doc.keywords), meta, doc.fulltext),
        )
        db.execute("INSERT INTO works VALUES (?,?,?,?)", (n, doc.faculty, doc.type, doc.year))
    db.commit()
    return db


def fts_search(db: sqlite3.Connection, query: str) -> None:
    """Top 20 with snippets, the total, and three facets: what one results page needs."""
    match = " ".join(f'"{w}"' for w in query.split())
    db.execute(
        "SELECT id, snippet(fts, 5, '<mark>', '</mark>', '…', 24) FROM fts WHERE fts MATCH ?"
        " ORDER BY rank LIMIT 20",
        (match,),
    ).fetchall()
    for facet in ("faculty", "type", "year"):
        db.execute(
            f"SELECT {facet}, count(*) FROM works WHERE rowid IN"
            " (SELECT rowid FROM fts WHERE fts MATCH ?) GROUP BY 1",
            (match,),
        ).fetchall()


def latencies(run: Callable[[str], object], queries: list[str]) -> dict[str, float]:
    times = sorted(timed(lambda q=q: run(q)) * 1000 for q in queries)
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
    }


def indexing(seconds: float, works: int, megabytes: float, size: float) -> dict[str, float]:
    return {
        "seconds": round(seconds, 1),
        "docs_per_s": round(works / seconds, 1),
        "mb_per_s": round(megabytes / seconds, 2),
        "index_mb": round(size, 1),
    }


def run(works: int, procs: int, baseline_works: int) -> dict[str, object]:
    sentences = sample_sentences()
    corpus = Corpus(sentences, works)
    megabytes = corpus.megabytes()
    queries = fixed_queries(sentences)
    report: dict[str, object] = {"works": works, "text_mb": round(megabytes, 1), "procs": procs}
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        base = Path(tmp)
        (base / "default").mkdir()
        seconds = timed(lambda: index_default(corpus, base / "default", baseline_works))
        report["whoosh_default"] = indexing(
            seconds,
            baseline_works,
            megabytes * baseline_works / works,
            disk_megabytes(base / "default"),
        )
        report["whoosh_default"]["works"] = baseline_works
        index = SearchIndex(base / "tuned")
        seconds = timed(lambda: index.rebuild(corpus.documents(), procs=procs))
        report["whoosh_tuned"] = indexing(seconds, works, megabytes, disk_megabytes(base / "tuned"))
        fts_path = base / "fts.sqlite"
        db: list[sqlite3.Connection] = []
        seconds = timed(lambda: db.append(index_fts(corpus, fts_path)))
        report["fts5"] = indexing(seconds, works, megabytes, fts_path.stat().st_size / 1e6)

        def texts_for(work_ids: list[str]) -> dict[str, str]:
            """The stored texts, read back as the app reads a page's extracted texts."""
            texts = {}
            for work_id in work_ids:
                rowid = int(work_id[1:]) + 1
                row = db[0].execute("SELECT fulltext FROM fts WHERE rowid = ?", (rowid,)).fetchone()
                texts[work_id] = row[0]
            return texts

        def whoosh_search(q: str) -> object:
            return index.search(SearchRequest(q=q), ANYONE, texts_for=texts_for)

        whoosh_search(queries[0])
        report["whoosh_queries"] = latencies(whoosh_search, queries)
        report["fts5_queries"] = latencies(lambda q: fts_search(db[0], q), queries)
        db[0].close()
    return report


def print_table(report: dict[str, object]) -> None:
    print(f"{report['works']} works, {report['text_mb']} MB of text, procs={report['procs']}")
    print(f"{'indexing':<16}{'seconds':>9}{'docs/s':>9}{'MB/s':>8}{'index MB':>10}")
    for name in ("whoosh_default", "whoosh_tuned", "fts5"):
        row = report[name]
        print(
            f"{name:<16}{row['seconds']:>9}{row['docs_per_s']:>9}"
            f"{row['mb_per_s']:>8}{row['index_mb']:>10}"
        )
    if report["whoosh_default"]["works"] != report["works"]:
        print(f"(whoosh_default indexed the first {report['whoosh_default']['works']} works only)")
    default, tuned, fts = report["whoosh_default"], report["whoosh_tuned"], report["fts5"]
    print(f"tuned/default MB/s: {tuned['mb_per_s'] / default['mb_per_s']:.2f}x; "
          f"fts5/tuned MB/s: {fts['mb_per_s'] / tuned['mb_per_s']:.2f}x")
    wq, fq = report["whoosh_queries"], report["fts5_queries"]
    print("queries (200, page 1 + facets + snippets)   p50 ms   p95 ms")
    print(f"{'whoosh':<44}{wq['p50_ms']:>7}{wq['p95_ms']:>9}")
    print(f"{'fts5':<44}{fq['p50_ms']:>7}{fq['p95_ms']:>9}")
    p50, p95 = wq["p50_ms"] / fq["p50_ms"], wq["p95_ms"] / fq["p95_ms"]
    print(f"whoosh/fts5: p50 {p50:.1f}x, p95 {p95:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1000)
    parser.add_argument("--procs", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument(
        "--baseline-works",
        type=int,
        help="index only this many works with the default writer (its rate is per work)",
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    report = run(args.works, args.procs, min(args.baseline_works or args.works, args.works))
    print_table(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
