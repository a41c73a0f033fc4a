"""A rebuild whose postings spill to disk indexes exactly what an ordinary write does."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.index import Index, open_dir

from search import SearchIndex, WorkDocument
from search.rebuild import current_generation, fill, new_generation

Postings = dict[tuple[str, bytes], set[tuple[str, float, bytes | None]]]


def _postings(ix: Index) -> Postings:
    """Every posting of the index, keyed by term and named by work id (not docnum)."""
    found: Postings = {}
    with ix.searcher() as searcher:
        for sub, _ in searcher.leaf_searchers():
            reader = sub.reader()
            ids = [fields["id"] for fields in reader.all_stored_fields()]
            for fieldname, text in reader.all_terms():
                matcher = reader.postings(fieldname, text)
                while matcher.is_active():
                    posting = (ids[matcher.id()], matcher.weight(), matcher.value())
                    found.setdefault((fieldname, text), set()).add(posting)
                    matcher.next()
    return found


@pytest.mark.parametrize("procs", [1, 2])
def test_spilled_runs_give_the_same_postings(tmp_path: Path, viwiki_articles, procs: int) -> None:
    docs = [
        WorkDocument(id=f"a{n}", title=a["title"], url=f"/works/a{n}", fulltext=a["text"])
        for n, a in enumerate(viwiki_articles(8))
    ]
    reference = SearchIndex(tmp_path / "reference")
    reference.create_or_open()
    reference.write(docs)
    # A 1 MB pool: the postings of eight long articles spill into several runs.
    (tmp_path / "spilled").mkdir()
    _, spilled = new_generation(tmp_path / "spilled")
    assert fill(spilled, docs, procs, limitmb=1) == len(docs)
    assert _postings(spilled) == _postings(open_dir(str(current_generation(reference.root))))
