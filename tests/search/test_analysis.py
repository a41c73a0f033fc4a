"""The Vietnamese analysis pipeline: one spelling per syllable, two forms per text."""

from __future__ import annotations

import unicodedata

import pytest

from search.analysis import canonical, exact_analyzer, fold, folded_analyzer, syllables


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
