"""Page benchmark: server time of a search results page and a work page at N works.

Builds a data directory with N published works (the synthetic theses of
``search_bench``: about 50 KB of Vietnamese text each, kept in the file
store as extracted text, six faculties, four types, a tenth restricted),
rebuilds the index as ``repo-app reindex`` does, then answers through the
whole app in this process (Flask test client: routing, session, access
scope, index, database, templates) and prints p50/p95 per page kind and the
largest page, in two passes: cold (the process's postings cache starts
empty, so each query decodes its words for the first time) and warm. The
baseline, measured in the same run and interleaved query by query, is the
same search through the service alone (``searching.search``: scope, index,
snippets from the stored texts): page ÷ service says what routing, the
session and the templates add.

    flock /tmp/bench.lock .venv/bin/python bench/page_bench.py --works 10000 [--data DIR]

``--data DIR`` keeps the built data directory there and reuses it when it
already holds the works (building 10,000 takes minutes; the index most).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import FACULTIES, Corpus, fixed_queries, sample_sentences  # noqa: E402

ROUNDS = 200
# Degree levels of the synthetic types, as the deposit form would set them.
DEGREES = {"bachelor_thesis": "bachelor", "master_thesis": "master",
           "doctoral_dissertation": "doctoral", "research_report": ""}


def build_app(data_dir: Path):  # noqa: ANN201 - Flask is imported late, after REPO_DATA_DIR
    os.environ["REPO_DATA_DIR"] = str(data_dir)
    from repo_app import create_app
    from repo_app.resources import initialize

    app = create_app({"SERVER_NAME": "repo.bench", "BASE_URL": "http://repo.bench"})
    with app.app_context():
        initialize(app)
    return app


def load_works(app, corpus: Corpus) -> None:  # noqa: ANN001
    """N published works with one file each, whose extracted text is in the file store."""
    from repo_app import resources
    from repo_app.db import standalone_session
    from repo_app.models import Collection, File, Work

    now = datetime.now(UTC)
    with app.app_context(), standalone_session(app) as db:
        faculties = {}
        for n, (name, name_en) in enumerate(FACULTIES.items()):
            faculties[name] = Collection(code=f"f{n}", name=name, name_en=name_en)
            db.add(faculties[name])
        store = resources.store()
        for i in range(corpus.works):
            doc = corpus.document(i)
            text = corpus.text(i)
            sha = hashlib.sha256(text.encode()).hexdigest()
            store.put_text(sha, text)
            level = "restricted" if i % 10 == 9 else "open"
            db.add(Work(
                title=doc.title, creators=list(doc.creators), abstract=doc.abstract,
                keywords=list(doc.keywords), year=doc.year, language="vi", type=doc.type,
                degree_level=DEGREES[doc.type], collection=faculties[doc.faculty],
                grantor=doc.grantor, identifier=doc.identifier, access_level=level,
                status="published", published_at=now, was_public=True,
                files=[File(original_name=f"{doc.id}.pdf", size=len(text), sha256=sha,
                            extraction_status="ok", pages=40, chars=len(text))],
            ))
            if i % 500 == 499:
                db.commit()
        db.commit()


def reindex(app, procs: int) -> float:  # noqa: ANN001
    from repo_app.db import standalone_session
    from repo_app.services import indexing

    began = time.perf_counter()
    with app.app_context(), standalone_session(app) as db:
        indexing.reindex(db, procs=procs)
    return time.perf_counter() - began


def timed_ms(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return (time.perf_counter() - began) * 1000


def summary(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {"p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            "max_ms": round(times[-1], 1)}


def measure(app, works: int, queries: list[str]) -> dict[str, object]:  # noqa: ANN001
    """Each page kind ROUNDS times as a guest, the service's search before each search page;
    sizes of the largest page of each kind."""
    from repo_app import db
    from repo_app.access import ANONYMOUS
    from repo_app.services import searching
    from search import SearchRequest

    client = app.test_client()
    rng = random.Random(7)
    faculties = list(FACULTIES)
    requests = {
        "search page (q)": [("/search", {"q": q}) for q in queries],
        "search page (q + facet)": [("/search", {"q": q, "faculty": faculties[n % 6]})
                                    for n, q in enumerate(queries)],
        "browse page (no q)": [("/search", {"page": 1 + n % 50}) for n in range(ROUNDS)],
        "work page": [(f"/works/{rng.randint(1, works)}", {}) for _ in range(ROUNDS)],
    }
    def service(q: str) -> float:
        with app.test_request_context():
            return timed_ms(lambda: searching.search(db.session(), ANONYMOUS, SearchRequest(q=q)))

    report: dict[str, object] = {}
    for kind, pages in requests.items():
        times, baseline, largest = [], [], 0
        for path, args in pages:
            if kind == "search page (q)":
                baseline.append(service(args["q"]))
            began = time.perf_counter()
            response = client.get(path, query_string=args)
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (path, args, response.status_code)
            largest = max(largest, len(response.data))
        if baseline:
            report["service only (q)"] = summary(baseline)
        report[kind] = {**summary(times), "largest_kb": round(largest / 1024, 1)}
    return report


def print_table(report: dict[str, object]) -> None:
    print(f"{report['works']} works, index rebuilt in {report['reindex_s']} s (procs={report['procs']})")
    for run in ("cold", "warm"):
        rows = report[run]
        print(f"{run + ': server time, 200 requests each':<38}{'p50 ms':>8}{'p95 ms':>8}"
              f"{'max ms':>8}{'largest KB':>12}")
        for kind in ("service only (q)", "search page (q)", "search page (q + facet)",
                     "browse page (no q)", "work page"):
            row = rows[kind]
            print(f"{kind:<38}{row['p50_ms']:>8}{row['p95_ms']:>8}{row['max_ms']:>8}"
                  f"{row.get('largest_kb', ''):>12}")
        base, page = rows["service only (q)"], rows["search page (q)"]
        print(f"search page ÷ service only: p50 {page['p50_ms'] / base['p50_ms']:.2f}x, "
              f"p95 {page['p95_ms'] / base['p95_ms']:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1000)
    parser.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--data", type=Path, help="keep the data directory here, reuse it")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    sentences = sample_sentences()
    corpus = Corpus(sentences, args.works)
    queries = fixed_queries(sentences)[:ROUNDS]
    with tempfile.TemporaryDirectory(prefix="page-bench-") as tmp:
        data = args.data or Path(tmp) / "data"
        built = (data / "built").is_file() and (data / "built").read_text() == str(args.works)
        app = build_app(data)
        report: dict[str, object] = {"works": args.works, "procs": args.procs, "reindex_s": "-"}
        if not built:
            load_works(app, corpus)
            report["reindex_s"] = round(reindex(app, args.procs), 1)
            (data / "built").write_text(str(args.works))
        report["cold"] = measure(app, args.works, queries)
        report["warm"] = measure(app, args.works, queries)
    print_table(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
