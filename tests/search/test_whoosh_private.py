"""Whoosh's private names and the fast paths built on them, checked on a real index.

After an upgrade of Whoosh, a private name that moved fails here by name,
and a fast path that quietly fell back to Whoosh's slower way fails here
too: ``search.whoosh_private.taken`` counts which way each one went.
"""

from __future__ import annotations

import inspect
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import (
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PostingsWriter,
    W3TermInfo,
    W3TermsReader,
)
from whoosh.filedb.filestore import RamStorage
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.index import open_dir
from whoosh.matching import FilterMatcher, ListMatcher
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import SegmentReader
from whoosh.scoring import BM25F
from whoosh.writing import PostingPool, SegmentWriter

from search import Scope, SearchIndex, SearchRequest, WorkDocument
from search.codec import SplitCodec
from search.rebuild import current_generation, fill, new_generation, swap_in
from search.whoosh_private import PRIVATE_NAMES, IdsMatcher, bulk_writer, pickled_bytes_1, taken

COMMON = "của"
# Set by the sub-writer's run(), in the child process: checked in the source instead.
SET_WHEN_RUNNING = {(SubWriterTask, "writer")}


def _documents(articles: list[dict[str, str]]) -> list[WorkDocument]:
    return [
        WorkDocument(id=f"a{n}", title=a["title"], url=f"/works/a{n}", fulltext=a["text"],
                     faculty="Khoa Sử", year=2000 + n)
        for n, a in enumerate(articles)
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, viwiki_articles) -> SearchIndex:
    """Eight long articles rebuilt with spilled runs, one more written, one deleted."""
    docs = _documents(viwiki_articles(9))
    index = SearchIndex(tmp_path_factory.mktemp("private") / "index")
    index.root.mkdir()
    generation, ix = new_generation(index.root)
    fill(ix, docs[:8], procs=1, limitmb=1)
    swap_in(index.root, generation)
    index.write(docs[8:], delete_ids=["a2"])
    return index


@pytest.fixture
def counted() -> Iterator[None]:
    """``taken`` from zero, for what the test does."""
    taken.clear()
    yield


def _live_objects(index: SearchIndex) -> dict[object, object]:
    """For each owner in PRIVATE_NAMES, a real object of it (or the class or module itself)."""
    ix = open_dir(str(current_generation(index.root)))
    reader = next(leaf for leaf, _ in ix.reader().leaf_readers() if leaf.has_deletions())
    filtered = reader.postings("fulltext", COMMON.encode())
    writer = ix.writer(codec=SplitCodec())
    pool, field_writer = writer.pool, writer.fieldwriter
    writer.cancel()
    parallel = bulk_writer(ix, procs=2)
    parallel.cancel()
    postings = SplitCodec().postings_writer(RamStorage().create_file("postings"))
    postings.start_postings(ix.schema["fulltext"].format, W3TermInfo())
    return {
        whoosh3: whoosh3,
        W3Codec: SplitCodec(),
        W3PostingsWriter: postings,
        W3FieldWriter: field_writer,
        OrderedHashWriter: field_writer._tindex,
        W3TermInfo: W3TermInfo,
        W3TermsReader: reader._terms,
        FilterMatcher: filtered,
        W3LeafMatcher: filtered.child,
        ListMatcher: IdsMatcher([1, 3]),
        SegmentReader: reader,
        SegmentWriter: writer,
        BM25F: BM25F(),
        PostingPool: pool,
        SubWriterTask: SubWriterTask,
        MpWriter: parallel,
    }


def test_every_private_name_still_exists(built: SearchIndex) -> None:
    live = _live_objects(built)
    assert set(live) == set(PRIVATE_NAMES)
    for owner, names in PRIVATE_NAMES.items():
        assert live[owner] is owner or isinstance(live[owner], owner), owner
        for name in names:
            if (owner, name) in SET_WHEN_RUNNING:
                assert f"self.{name} =" in inspect.getsource(owner.run), (owner, name)
            else:
                assert hasattr(live[owner], name), f"{owner}.{name} is gone"


def test_a_rebuild_spills_its_runs_in_blocks(tmp_path: Path, viwiki_articles, counted) -> None:
    (tmp_path / "index").mkdir()
    _, ix = new_generation(tmp_path / "index")
    fill(ix, _documents(viwiki_articles(8)), procs=1, limitmb=1)
    assert taken["bulk.block_pool"] == 1
    assert taken["bulk.block_run"] >= 2
    assert taken["analysis.fast_positions"] > 0 and taken["analysis.generic_positions"] == 0
    assert taken["analysis.folded_from_exact"] == taken["analysis.fast_positions"]
    assert taken["codec.term_at_once"] == 1


def test_a_write_analyses_each_text_once_and_writes_terms_at_once(
    tmp_path: Path, viwiki_articles, counted
) -> None:
    index = SearchIndex(tmp_path / "index")
    index.create_or_open()
    index.write(_documents(viwiki_articles(2)))
    # Three texts a work here (title, meta, fulltext), each analysed once for two fields.
    assert taken["analysis.fast_positions"] == taken["analysis.folded_from_exact"] == 6
    assert taken["analysis.generic_positions"] == 0
    assert taken["writer.text_postings"] == 12
    assert taken["bulk.block_pool"] == 1 and taken["codec.term_at_once"] == 1


def test_a_merge_reads_our_segments_block_by_block(tmp_path: Path, viwiki_articles, counted) -> None:
    index = SearchIndex(tmp_path / "index")
    index.create_or_open()
    for doc in _documents(viwiki_articles(9)):  # the ninth commit merges eight segments
        index.write([doc])
    assert taken["merge.blocks"] == 8 and taken["merge.stepped"] == 0
    assert taken["codec.term_at_once"] == 9


@pytest.mark.parametrize("size", [1, 2, 255, 256, 70_000])
def test_one_value_is_pickled_as_pickle_does(size: int) -> None:
    for value in (bytes(range(256)) * (size // 256 + 1))[:size], b"\xff" * size, b"a" * size:
        assert pickled_bytes_1(value) == pickle.dumps((value,), 2)


def test_a_term_is_ranked_from_whole_blocks_without_positions(
    built: SearchIndex, anyone: Scope, counted
) -> None:
    assert built.search(SearchRequest(q=COMMON), anyone).total == 8
    assert taken["vectors.term"] > 0 and taken["vectors.term_by_matcher"] == 0
    assert taken["postings.blocks"] > 0 and taken["postings.stepped"] == 0
    assert taken["codec.ids_without_positions"] > 0
    assert taken["codec.positions_on_demand"] == 0
    assert taken["lengths.column"] > 0


def test_a_phrase_reads_positions_on_demand(built: SearchIndex, anyone: Scope, counted) -> None:
    built.search(SearchRequest(q=f'"{COMMON} các"'), anyone)
    assert taken["codec.positions_on_demand"] > 0
