"""Indexes written by earlier releases (``fixtures/index-<release>``, made by their code).

Their fields mean something else (0.1.0: audience tokens decided when it was
written; 0.2.0: no author facet; 0.3.0: only the first creator in it), so this
release refuses to search them and says to rebuild, instead of giving wrong
results; what they hold still opens, and a rebuild replaces them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from search import IndexOutdatedError, Scope, SearchIndex, SearchRequest, WorkDocument

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(params=["index-0.1.0", "index-0.2.0", "index-0.3.0"])
def previous(tmp_path: Path, request: pytest.FixtureRequest) -> SearchIndex:
    """A copy of an earlier release's index (the fixture itself is never written to)."""
    root = tmp_path / "index"
    shutil.copytree(FIXTURES / request.param, root, symlinks=True)
    return SearchIndex(root)


def test_its_files_still_open_with_this_release(previous: SearchIndex) -> None:
    """The classes its table of contents names (``search.stored_names``) still resolve."""
    from whoosh.index import open_dir

    from search.codec import SplitCodec
    from search.rebuild import current_generation

    ix = open_dir(str(current_generation(previous.root)))
    assert ix.doc_count() == 3
    assert {type(leaf.segment().codec()) for leaf, _ in ix.reader().leaf_readers()} == {SplitCodec}
    assert type(ix.schema["title"].analyzer).__name__ == "SyllableTokenizer"


def test_searching_it_asks_for_a_rebuild(previous: SearchIndex, anyone: Scope) -> None:
    assert "repo-app reindex" in (previous.outdated() or "")
    with pytest.raises(IndexOutdatedError, match="rebuild"):
        previous.search(SearchRequest(q="cá tra"), anyone)
    with pytest.raises(IndexOutdatedError):
        previous.more_like_this("1", anyone)
    assert not previous.healthy()


def test_writing_to_it_asks_for_a_rebuild(previous: SearchIndex) -> None:
    with pytest.raises(IndexOutdatedError):
        previous.write([WorkDocument(id="9", title="Luận văn mới", url="/works/9")])


def test_a_rebuild_replaces_it(previous: SearchIndex, anyone: Scope) -> None:
    assert previous.rebuild([WorkDocument(id="2", title="Nuôi cá tra", url="/works/2")]) == 1
    assert previous.outdated() is None
    assert [hit.id for hit in previous.search(SearchRequest(q="ca tra"), anyone).hits] == ["2"]
