"""Is this a Vietnamese syllable? A measure of OCR quality.

Tesseract rarely fails silently on Vietnamese: it slips tone marks, reads
"rn" for "m", or, on a page in a legacy font, returns strings that no
Vietnamese could write. Every Vietnamese word is made of syllables of one
shape, (onset) + rhyme + tone, where the rhyme is (medial) + nucleus +
(coda), so the share of a page's words that fit that shape says how far
its text can be trusted.

The rules are tables, not code: :data:`ONSETS`, :data:`RHYMES` and the
spelling rules that pair them (``k``/``gh``/``ngh`` before front vowels,
``c``/``g``/``ng`` elsewhere, ``qu`` and ``gi`` absorbing a vowel letter),
plus one tone rule: a rhyme closed by a stop (``p``, ``t``, ``c``, ``ch``)
takes only the sắc or nặng tone. Tone marks may sit on any vowel of the
rhyme, so both the old (``hoà``, ``thuỷ``) and new (``hòa``, ``thủy``)
placements pass. Words of other languages count as not valid: the measure
is "how Vietnamese is this text", which is what a Vietnamese scan needs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The initial consonants as written (``q`` appears only as ``qu``, below;
# ``p`` only in loans such as "pin", which are common enough in theses).
ONSETS = frozenset(
    "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split())

# Every rhyme as written after an ordinary onset (or none), without tone.
# Grouped by nucleus; each group lists the nucleus alone and with codas.
RHYMES = frozenset("""
    a ac ach ai am an ang anh ao ap at au ay
    ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et
    ê êch êm ên êng ênh êp êt êu
    i ia ich im in inh ip it iu
    iêc iêm iên iêng iêp iêt iêu
    yêm yên yêng yêt yêu
    y
    o oc oi om on ong op ot oo ooc oong
    ô ôc ôi ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt
    u ua uc ui um un ung up ut
    uôc uôi uôm uôn uông uôt
    ư ưa ưc ưi ưm ưn ưng ưt ưu
    ươc ươi ươm ươn ương ươp ươt ươu
    oa oac oach oai oam oan oang oanh oao oap oat oay
    oăc oăm oăn oăng oăt
    oe oem oen oeo oet
    uâ uân uâng uât uây
    uê uêch uênh uêt
    uơ uy uya uych uyn uynh uyp uyt uyu uyên uyêt
""".split())

# Rhymes that start with "y" + "ê" stand alone ("yên") or follow the
# medial u ("uyên"); after a consonant the same sound is written "iê".
STANDALONE_ONLY = frozenset(r for r in RHYMES if r.startswith("yê"))
FRONT_VOWELS = frozenset("ieêy")
# k, gh and ngh are written before front vowels, c, g and ng elsewhere.
FRONT_ONSETS = {"k": True, "gh": True, "ngh": True, "c": False, "g": False, "ng": False}
STOP_CODAS = ("p", "t", "c", "ch")
TONE_MARKS = {"\u0300": "huyền", "\u0301": "sắc", "\u0303": "ngã", "\u0309": "hỏi",
              "\u0323": "nặng"}
STOP_TONES = frozenset({"sắc", "nặng"})
VOWELS = frozenset("aăâeêioôơuưy")
WORD = re.compile(r"[^\W\d_]+")


def is_valid(word: str) -> bool:
    """Whether ``word`` is one well-formed Vietnamese syllable (any letter case)."""
    parsed = _split_tone(unicodedata.normalize("NFC", word).lower())
    if parsed is None:
        return False
    bare, tone = parsed
    closed = _rhyme_closed_by_stop(bare)
    if closed is None:
        return False
    return not closed or tone in STOP_TONES


def valid_ratio(text: str) -> float:
    """Share of the words in ``text`` (runs of letters) that are valid syllables; 0 if none."""
    words = WORD.findall(unicodedata.normalize("NFC", text))
    if not words:
        return 0.0
    return sum(1 for word in words if is_valid(word)) / len(words)


@lru_cache(maxsize=65536)
def _split_tone(word: str) -> tuple[str, str | None] | None:
    """(the word without its tone mark, the tone), or None for two tones or a misplaced one."""
    tone = None
    letter = ""  # the last letter seen: a tone mark must sit on a vowel
    out: list[str] = []
    for char in unicodedata.normalize("NFD", word):
        if char in TONE_MARKS:
            if tone is not None or letter not in VOWELS:
                return None
            tone = TONE_MARKS[char]
            continue
        if not unicodedata.combining(char):
            letter = char
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out)), tone


@lru_cache(maxsize=65536)
def _rhyme_closed_by_stop(bare: str) -> bool | None:
    """None if ``bare`` (no tone) is no syllable; else whether its rhyme ends in a stop."""
    for onset, rhyme in _readings(bare):
        if rhyme in RHYMES and _spelling_allows(onset, rhyme):
            return rhyme.endswith(STOP_CODAS)
    return None


def _readings(bare: str) -> list[tuple[str, str]]:
    """Every (onset, rhyme as in :data:`RHYMES`) the letters could be read as."""
    readings = [("", bare)]
    for size in (1, 2, 3):
        onset, rest = bare[:size], bare[size:]
        if onset not in ONSETS:
            continue
        if onset == "qu":
            # "qua", "quân", "quyết": the u is the medial o/u of "hoa", "tuân", "uyết".
            readings += [(onset, medial + rest) for medial in ("o", "u") if rest]
        elif onset == "gi":
            # "gì", "gìn", "giết": gi before i or iê writes one i for two.
            readings += [(onset, rest), (onset, "i" + rest)]
        else:
            readings.append((onset, rest))
    return readings


def _spelling_allows(onset: str, rhyme: str) -> bool:
    if onset == "":
        return True
    if rhyme in STANDALONE_ONLY:
        return False
    if onset in FRONT_ONSETS:
        return (rhyme[0] in FRONT_VOWELS) == FRONT_ONSETS[onset]
    if onset == "gi":
        return not rhyme.startswith("y")
    return True
