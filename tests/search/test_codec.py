"""Split postings blocks: the same search results, older W3 segments still readable."""

from __future__ import annotations

from pathlib import Path

from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import open_dir

from search import SearchIndex, SearchRequest, WorkDocument, whoosh_private
from search.codec import SplitCodec
from search.rebuild import current_generation
from search.schema import to_fields
from search.whoosh_private import SplitBlockMatcher

from .test_viwiki import phrase_from


def _documents(articles: list[dict[str, str]]) -> list[WorkDocument]:
    return [
        WorkDocument(id=f"a{n}", title=a["title"], url=f"/works/a{n}", fulltext=a["text"])
        for n, a in enumerate(articles)
    ]


def _codecs(index: SearchIndex) -> set[type]:
    reader = open_dir(str(current_generation(index.root))).reader()
    return {type(leaf.segment().codec()) for leaf, _ in reader.leaf_readers()}


def test_index_written_before_the_split_stays_searchable_and_merges(
    tmp_path: Path, anyone, viwiki_articles
) -> None:
    docs = _documents(viwiki_articles(6))
    texts = {doc.id: doc.fulltext for doc in docs}
    index = SearchIndex(tmp_path / "index")
    index.create_or_open()
    # Three works as an earlier release wrote them: Whoosh's own W3 blocks.
    old = open_dir(str(current_generation(index.root))).writer(compound=False)
    for doc in docs[:3]:
        old.add_document(**to_fields(doc))
    old.commit()
    index.write(docs[3:])
    assert _codecs(index) == {W3Codec, SplitCodec}

    def phrase_finds(work_id: str) -> bool:
        q = f'"{phrase_from(texts[work_id])}"'
        found = index.search(SearchRequest(q=q), anyone, lambda ids: texts).hits
        return work_id in [hit.id for hit in found]

    assert phrase_finds("a1") and phrase_finds("a4")
    merged = open_dir(str(current_generation(index.root))).writer(codec=SplitCodec())
    merged.commit(optimize=True)
    assert _codecs(index) == {SplitCodec}
    assert phrase_finds("a1") and phrase_finds("a4")
    assert index.search(SearchRequest(q="của"), anyone).total == 6


def test_ranking_reads_no_positions(tmp_path: Path, viwiki_articles) -> None:
    index = SearchIndex(tmp_path / "index")
    index.rebuild(_documents(viwiki_articles(4)))
    with index._searcher() as searcher:
        matcher = searcher.reader().postings("fulltext", "của")
        assert isinstance(matcher, SplitBlockMatcher)
        assert matcher.weight() > 0
        assert matcher._data[2] is whoosh_private._NOT_READ
        assert matcher.value()  # the positions, read when asked for
        assert matcher._data[2] is not whoosh_private._NOT_READ


def test_small_blocks_are_stored_uncompressed_and_large_ones_compressed(
    tmp_path: Path, anyone
) -> None:
    """A term in one work is a block of a few bytes: zlib is skipped for it (its block info
    says so), and both kinds read back as the same positions."""
    common = " ".join(["sông"] * 400)
    docs = [WorkDocument(id=f"w{n}", title=f"Luận văn {n}", url=f"/works/w{n}",
                         fulltext=f"{common} riêng{n}") for n in range(3)]
    index = SearchIndex(tmp_path / "index")
    index.rebuild(docs)
    with index._searcher() as searcher:
        rare = searcher.reader().postings("fulltext", "riêng1")
        frequent = searcher.reader().postings("fulltext", "sông")
        assert (rare._compression, frequent._compression) == (0, SplitCodec()._compression)
        assert len(rare.value_as("positions")) == 1
        assert len(frequent.value_as("positions")) == 400
    assert index.search(SearchRequest(q='"sông sông riêng2"'), anyone).total == 1
