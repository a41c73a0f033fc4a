"""Vietnamese syllable validity: the measure of how far an OCR'd page can be trusted."""

from __future__ import annotations

import subprocess

import pytest

from ingest.syllables import is_valid, valid_ratio

# What tesseract 5.3 (vie) read from a blurred half-resolution picture of the
# first viwiki article: syllable-shaped debris, as real bad OCR is.
GARBLED_VIE_OCR = (
    "(99 hôn tr 48 mi tê cử Hệ ký Tôn bím trơn. C2 và tên củ ty ec ưa ưng to và den. "
    "-nàx khan tangca sợ án vở tán ưệnp Tông, tan say Tp Cn n Mã đi sượn Sỹ tưng lì "
    "“2y O2 tớ họ Ứ9 0g hộ tụ bu tràn eấtthêy TY Củ mien ti0yUy bọt tg ng Say Dư Sợ "
    "oàn l9 08 nộ 0 báu tran uất ơg cự vn tg C15 thự xâm l9 t 0y hộ 0 bác se ớn")
# The same picture read with English data only: the diacritics are gone.
GARBLED_ENG_OCR = (
    "18 vn a mt a a ttn Tg 1 ‘Son vont Con tan args Bang nse ‘Sm 1 un wage guy to aa "
    "to Trg ‘out ny Tap Cor it aus trba 1 ‘hy 2012 4 ho a lt 8 HO tab sts {ia _cht Tong "
    "Wms tan Masog om a 86 ‘1925 08 On uta se gC a nd ‘Geetha hm 168 tO nt a ut ae")


@pytest.mark.parametrize("word", [
    "trường", "Đại", "HỌC", "nghiêng", "khuya", "khuỷu", "quốc", "quyết", "quân", "qua",
    "gì", "gìn", "giết", "giữa", "kỹ", "yêu", "nguyên", "rượu", "thuở", "xoong", "ngư",
    "các", "học", "mạch", "ích", "tiếp", "oanh", "huỳnh",
])
def test_real_syllables_are_valid(word):
    assert is_valid(word)


@pytest.mark.parametrize(("old", "new"), [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe")])
def test_old_and_new_tone_placement_are_both_valid(old, new):
    assert is_valid(old) and is_valid(new)


@pytest.mark.parametrize(("word", "rule"), [
    ("cac", "a stop coda needs sắc or nặng"),
    ("hoc", "a stop coda needs sắc or nặng"),
    ("hòc", "a stop coda takes no huyền"),
    ("mãch", "a stop coda takes no ngã"),
    ("tiẻp", "a stop coda takes no hỏi"),
    ("ke" "o" "x", "x is no coda"),
    ("ci", "c is written k before i"),
    ("ghà", "gh only before i, e, ê"),
    ("nge", "ng is written ngh before e"),
    ("kan", "k only before i, e, ê, y"),
    ("hóà", "one tone mark only"),
    ("ộtộ", "one nucleus only"),
    ("fỹr", "f is no Vietnamese onset"),
    ("trốs", "s is no coda"),
    ("quu", "qu needs a vowel after it"),
    ("tyên", "yê follows no consonant"),
    ("l", "a consonant alone"),
    ("Giíi", "TCVN3 mojibake"),
    ("thiÖu", "TCVN3 mojibake"),
])
def test_malformed_words_are_not_valid(word, rule):
    assert not is_valid(word), rule


def test_decomposed_input_is_judged_like_composed():
    assert is_valid("Tru\u031bo\u031b\u0300ng")


def test_real_vietnamese_text_is_mostly_valid(viwiki_texts):
    # Wikipedia articles quote foreign names, so not all; a clean page of a thesis is higher.
    assert valid_ratio("\n".join(viwiki_texts)) > 0.88


def test_most_articles_score_high(viwiki_texts):
    # The exceptions are articles about foreign things ("Beowulf", a Japanese prize).
    scores = sorted(valid_ratio(text) for text in viwiki_texts)
    assert scores[len(scores) // 2] > 0.9
    assert sum(score > 0.85 for score in scores) > 0.75 * len(scores)


def test_garbled_ocr_output_scores_low():
    assert valid_ratio(GARBLED_ENG_OCR) < 0.5
    assert valid_ratio(GARBLED_VIE_OCR) < 0.8


def test_tcvn3_mojibake_scores_low(viwiki_texts):
    try:
        encoded = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1//TRANSLIT"],
                                 input=viwiki_texts[0].encode(), capture_output=True,
                                 check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("glibc iconv with TCVN5712-1 is not installed")
    assert valid_ratio(viwiki_texts[0]) > 0.9
    assert valid_ratio(encoded.decode("latin-1")) < 0.4


def test_text_without_words_scores_zero():
    assert valid_ratio("12, 34. — ?") == 0.0
