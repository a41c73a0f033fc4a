"""The Vietnamese analysis pipeline: one spelling per syllable, two forms per text."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest
from whoosh.analysis import Analyzer, Filter, RegexTokenizer, Token

from search.analysis import exact_analyzer, folded_analyzer
from search.spelling import TOKEN_PATTERN, canonical, fold, nfc, syllables


@pytest.mark.parametrize(
    ("old_style", "new_style"),
    [
        ("hòa", "hoà"),
        ("thủy", "thuỷ"),
        ("hóa", "hoá"),
        ("khỏe", "khoẻ"),
        ("lòe", "loè"),
        ("Hòa", "HOÀ"),
        ("qúy", "quý"),
        ("tùy", "tuỳ"),
    ],
)
def test_old_and_new_tone_placement_are_one_token(old_style: str, new_style: str) -> None:
    assert canonical(old_style) == canonical(new_style)


@pytest.mark.parametrize(
    "syllable",
    ["hoàn", "người", "quốc", "giữ", "khuya", "ngoài", "nguyễn", "huỳnh", "của", "mùa", "quả"],
)
def test_standard_syllables_keep_their_spelling(syllable: str) -> None:
    assert canonical(syllable) == syllable


def test_foreign_words_are_left_alone() -> None:
    assert canonical("café") == "café"
    assert canonical("résumé") == "résumé"


def test_decomposed_text_gives_the_same_tokens() -> None:
    text = "Đường Nguyễn Huệ, thành phố Hồ Chí Minh"
    assert syllables(unicodedata.normalize("NFD", text)) == syllables(text)
    assert syllables(unicodedata.normalize("NFD", text)) == [
        "đường",
        "nguyễn",
        "huệ",
        "thành",
        "phố",
        "hồ",
        "chí",
        "minh",
    ]


def test_words_ohook_from_word_is_repaired() -> None:
    assert syllables("Trƣờng đại học") == ["trường", "đại", "học"]


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Đại học", "dai hoc"), ("Nguyễn", "nguyen"), ("Đường", "duong"), ("sức khoẻ", "suc khoe")],
)
def test_folding_maps_d_stroke_to_d(text: str, folded: str) -> None:
    assert [t.text for t in folded_analyzer()(text)] == folded.split()
    assert fold(text.lower()) == folded


def test_no_stop_words_and_no_minimum_length() -> None:
    text = "An Giang, may mặc, y học, to và nhỏ"
    assert [t.text for t in exact_analyzer()(text)] == [
        "an",
        "giang",
        "may",
        "mặc",
        "y",
        "học",
        "to",
        "và",
        "nhỏ",
    ]


class _Canonical(Filter):
    """The reference: each token as ``canonical`` (and ``fold``) make it."""

    def __init__(self, folded: bool) -> None:
        self.folded = folded

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = canonical(t.text)
            t.text = fold(t.text) if self.folded else t.text
            yield t


class _NfcTokenizer(RegexTokenizer):
    def __call__(self, value: str, **kwargs: object) -> Iterator[Token]:
        return super().__call__(nfc(value), **kwargs)


def reference_chain(folded: bool) -> Analyzer:
    """Whoosh's stock tokenizer over NFC text, then a filter: what SyllableTokenizer must equal."""
    return _NfcTokenizer(TOKEN_PATTERN) | _Canonical(folded)


MIXED = "Hoà  THUỶ, trƣờng Đại học\u0301 \u0111u\u031bo\u031b\u0300ng x. Sức khỏe 2019 an toàn"


@pytest.mark.parametrize("folded", [False, True])
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"positions": True, "chars": True},
        {"positions": True, "start_pos": 5, "start_char": 3, "keeporiginal": True},
        {"tokenize": False},
        {"mode": "query"},
    ],
)
def test_one_generator_tokenizer_matches_the_filter_chain(folded: bool, options: dict) -> None:
    chain = reference_chain(folded)
    analyzer = folded_analyzer() if folded else exact_analyzer()

    def seen(tokens: object) -> list[tuple[object, ...]]:
        names = ("text", "pos", "startchar", "endchar", "original", "boost", "stopped")
        return [tuple(getattr(t, n, None) for n in names) for t in tokens]  # type: ignore[attr-defined]

    assert seen(analyzer(MIXED, **options)) == seen(chain(MIXED, **options))


@pytest.mark.parametrize("name", ["title", "fulltext", "fulltext_f", "meta_f"])
def test_fast_postings_equal_whoosh_positions(name: str) -> None:
    from whoosh.formats import Positions

    from search.schema import build_schema

    field = build_schema()[name]
    chain = reference_chain(name.endswith("_f"))
    generic = Positions(field_boost=field.format.field_boost)
    for text in (MIXED, MIXED * 3, "", "một"):
        fast = sorted(field.format.word_values(text, field.analyzer, mode="index"))
        assert fast == sorted(generic.word_values(text, chain, mode="index"))


@pytest.mark.parametrize("name", ["title", "fulltext", "meta"])
def test_a_folded_twin_derived_from_its_exact_field_equals_whoosh_positions(name: str) -> None:
    from whoosh.formats import Positions

    from search.schema import build_schema
    from search.whoosh_private import taken

    schema = build_schema()
    exact, twin = schema[name], schema[name + "_f"]
    generic = Positions(field_boost=twin.format.field_boost)
    for text in (MIXED, MIXED * 3, "", "một", "hoà hòa HOÀ hoa Hoá"):
        list(exact.format.word_values(text, exact.analyzer, mode="index"))
        derived = taken["analysis.folded_from_exact"]
        fast = sorted(twin.format.word_values(text, twin.analyzer, mode="index"))
        assert taken["analysis.folded_from_exact"] == derived + 1
        assert fast == sorted(generic.word_values(text, reference_chain(True), mode="index"))
