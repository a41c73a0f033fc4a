"""Long real Vietnamese texts from the shared Wikipedia sample."""

from __future__ import annotations

import re
import unicodedata

from search import SearchIndex, SearchRequest, WorkDocument
from search.spelling import fold


def index_articles(index: SearchIndex, articles, *, decompose: bool = False) -> dict[str, str]:
    texts = {}
    docs = []
    for n, article in enumerate(articles):
        text = unicodedata.normalize("NFD", article["text"]) if decompose else article["text"]
        texts[f"a{n}"] = text
        docs.append(
            WorkDocument(
                id=f"a{n}",
                title=article["title"],
                url=f"/works/a{n}",
                abstract=article["text"][:300],
                fulltext=text,
            )
        )
    index.write(docs)
    return texts


def phrase_from(text: str, words: int = 3) -> str:
    """A run of syllables from the middle of a text, found back by a phrase query."""
    tokens = re.findall(r"\w+", unicodedata.normalize("NFC", text))
    middle = len(tokens) // 2
    return " ".join(tokens[middle : middle + words])


def test_phrase_from_deep_inside_a_long_text(index: SearchIndex, anyone, viwiki_articles) -> None:
    texts = index_articles(index, viwiki_articles(4))
    phrase = phrase_from(texts["a2"])
    for query in (f'"{phrase}"', f'"{fold(phrase.lower())}"'):
        results = index.search(SearchRequest(q=query), anyone, lambda ids: texts)
        assert "a2" in [hit.id for hit in results.hits], query
        hit = next(hit for hit in results.hits if hit.id == "a2")
        assert hit.text_matched
        assert "<mark>" in hit.snippet


def test_decomposed_long_text_is_found_by_composed_query(
    index: SearchIndex, anyone, viwiki_articles
) -> None:
    texts = index_articles(index, viwiki_articles(3), decompose=True)
    phrase = phrase_from(texts["a1"])
    results = index.search(SearchRequest(q=f'"{phrase}"'), anyone, lambda ids: texts)
    assert "a1" in [hit.id for hit in results.hits]
    snippet = next(hit.snippet for hit in results.hits if hit.id == "a1")
    assert unicodedata.is_normalized("NFC", snippet)


def test_common_syllable_over_long_texts_pages_and_counts(
    index: SearchIndex, anyone, viwiki_articles
) -> None:
    texts = index_articles(index, viwiki_articles(12))
    results = index.search(SearchRequest(q="của", per_page=5, page=2), anyone, lambda ids: texts)
    assert results.total >= 10
    assert len(results.hits) == 5
    assert all("<mark>" in hit.snippet for hit in results.hits)
