"""Our way of writing the index writes what Whoosh's own way writes, byte for byte.

``SearchIndex.write`` analyses each text once (a folded field's postings
derived from its exact twin's), writes each term's blocks at once and reads
merged segments block by block; ``search.baseline.stock_writes`` writes the
same schema with Whoosh's own tokenizer chain, postings format, posting pool,
postings writer and merge reading. The same real Vietnamese documents,
written in the same commits by both, must give the same segment files and
the same terms and postings (positions included) in every field.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from whoosh.index import Index, open_dir

from repo_app.demo.collection import WORKS
from search import SearchIndex, WorkDocument
from search.baseline import stock_writes
from search.rebuild import current_generation

# Segment files are named <segment id>.<what>: compared by <what>.
SEGMENT_FILE = re.compile(r"^(?P<segment>MAIN_[a-z0-9]+)\.(?P<what>.+)$")


def _demo_documents() -> list[WorkDocument]:
    return [
        WorkDocument(
            id=f"demo{n}", title=w["title"], url=f"/works/demo{n}", alt_title=w.get("alt_title", ""),
            creators=tuple(w["creators"]), advisors=tuple(w.get("advisors", ())),
            abstract=w["abstract"], keywords=tuple(w["keywords"]), fulltext="\n".join(w["body"]),
            discipline=w.get("discipline", ""), faculty=w["faculty"], type=w["type"], year=w["year"],
            version="1",
        )
        for n, w in enumerate(WORKS)
    ]


def _wiki_documents(articles: list[dict[str, str]]) -> list[WorkDocument]:
    # A text repeated in part: words far apart, in several blocks' worth of documents.
    return [
        WorkDocument(
            id=f"wiki{n}", title=a["title"], url=f"/works/wiki{n}", creators=("Nguyễn Văn Thuỷ",),
            abstract=a["text"][:400], keywords=(a["title"].split()[0],),
            fulltext=a["text"] + "\n" + a["text"][: 1000 * (n % 5)], faculty="su", year=2000 + n % 20,
        )
        for n, a in enumerate(articles)
    ]


@pytest.fixture(scope="module")
def documents(viwiki_articles) -> list[WorkDocument]:
    """Every demo work and 150 Wikipedia articles: words in more documents than a block holds."""
    return _demo_documents() + _wiki_documents(viwiki_articles(150))


def _batches(docs: list[WorkDocument], size: int) -> list[list[WorkDocument]]:
    return [docs[i : i + size] for i in range(0, len(docs), size)]


def _ours(folder: Path, batches: list[list[WorkDocument]]) -> Index:
    index = SearchIndex(folder)
    index.create_or_open()
    for batch in batches:
        index.write(batch)
    return open_dir(str(current_generation(folder)))


def _segment_files(ix: Index) -> list[dict[str, bytes]]:
    """Each segment's files (what each holds → its bytes), in the order of the segments."""
    files: dict[str, dict[str, bytes]] = {}
    for name in ix.storage.list():
        match = SEGMENT_FILE.match(name)
        if match:
            files.setdefault(match["segment"], {})[match["what"]] = ix.storage.open_file(name).read()
    return [files[segment.segment_id()] for segment in ix._segments()]


def _postings(ix: Index) -> list[tuple[str, bytes, int, float, bytes]]:
    """Every (field, term, document, weight, encoded positions) of the index."""
    with ix.reader() as reader:
        return list(reader.iter_postings())


@pytest.mark.parametrize(
    ("count", "batch"), [(None, 1000), (60, 7)], ids=["one commit", "commits of 7, merged"]
)
def test_our_writing_equals_whoosh_writing(
    tmp_path: Path, documents: list[WorkDocument], count: int | None, batch: int
) -> None:
    batches = _batches(documents[:count], batch)
    ours = _ours(tmp_path / "ours", batches)
    (tmp_path / "stock").mkdir()
    stock = stock_writes(tmp_path / "stock", batches)
    assert len(ours._segments()) == len(stock._segments()) >= 1
    postings = _postings(ours)
    assert {field for field, *_ in postings} >= {"fulltext", "fulltext_f", "meta_f", "title"}
    assert postings == _postings(stock)
    assert _segment_files(ours) == _segment_files(stock)


def test_a_word_spelled_two_ways_has_both_spellings_positions_when_folded(tmp_path: Path) -> None:
    doc = WorkDocument(id="w", title="Hòa", url="/w", fulltext="hoà bình, hòa bình, hoa hồng, Hoá học")
    ours = _ours(tmp_path / "ours", [[doc]])
    (tmp_path / "stock").mkdir()
    assert _postings(ours) == _postings(stock_writes(tmp_path / "stock", [[doc]]))
    with ours.searcher() as searcher:
        assert list(searcher.postings("fulltext_f", "hoa").items_as("positions")) == [(0, [0, 2, 4, 6])]
        assert list(searcher.postings("fulltext", "hoà").items_as("positions")) == [(0, [0, 2])]
