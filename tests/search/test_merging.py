"""The tiered merge policy on a real index: few segments, each work rewritten a few times,
mostly deleted segments given back."""

from __future__ import annotations

from pathlib import Path

from whoosh.index import open_dir

from search import Scope, SearchIndex, SearchRequest, WorkDocument
from search.merging import FAN_IN, MAX_DELETED_SHARE
from search.rebuild import current_generation


def _work(n: int, version: str = "v1") -> WorkDocument:
    return WorkDocument(id=f"w{n}", title=f"Luận văn thạc sĩ số {n}", url=f"/works/w{n}",
                        fulltext=f"Chương một bàn về kinh tế nông nghiệp. mã{n}",
                        version=version)


def _segments(index: SearchIndex) -> list[tuple[int, int]]:
    """(documents, deleted) of each segment of the current generation."""
    with open_dir(str(current_generation(index.root))).reader() as reader:
        segments = [leaf.segment() for leaf, _ in reader.leaf_readers()]
    return [(s.doc_count_all(), s.deleted_count()) for s in segments]


def test_works_written_one_at_a_time_leave_few_segments_and_all_are_found(
    tmp_path: Path, anyone: Scope
) -> None:
    index = SearchIndex(tmp_path / "index")
    index.create_or_open()
    for n in range(30):
        index.write([_work(n)])
    segments = _segments(index)
    # At most FAN_IN - 1 segments in each of the two tiers 30 works can fill (1-9, 10-99).
    assert len(segments) <= 2 * (FAN_IN - 1)
    assert sum(count - deleted for count, deleted in segments) == 30
    assert len(segments) < 30  # merges happened
    assert index.search(SearchRequest(q="kinh te nong nghiep"), anyone).total == 30
    assert index.search(SearchRequest(q="mã17"), anyone).total == 1


def test_a_segment_whose_works_were_mostly_rewritten_is_merged_away(
    tmp_path: Path, anyone: Scope
) -> None:
    index = SearchIndex(tmp_path / "index")
    index.create_or_open()
    index.write([_work(n) for n in range(10)])
    for n in range(7):  # reindexed one by one, as a librarian edits them
        index.write([_work(n, version="v2")])
    for count, deleted in _segments(index):
        assert deleted <= MAX_DELETED_SHARE * count
    assert index.versions() == {f"w{n}": ("v2" if n < 7 else "v1") for n in range(10)}
    assert index.search(SearchRequest(q="luan van thac si"), anyone).total == 10
