"""Turn text as a PDF gives it into text a search index can use.

PDF text arrives decomposed or composed, with typographic ligatures,
``(cid:N)`` placeholders for glyphs pdfminer could not map, words broken
across lines, page headers repeated on every page, and, from Word, the
look-alike letters ``ƣ``/``Ƣ`` (U+01A3/U+01A2) instead of ``ư``/``Ư``. The
search analyzer expects NFC Vietnamese, so every extracted text passes
through :func:`normalize_text` once, here.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ingest import syllables

PAGE_BREAK = "\f"
CID_PLACEHOLDER = re.compile(r"\(cid:\d+\)")
LOOKALIKES = str.maketrans({"\u01a3": "\u01b0", "\u01a2": "\u01af"})
# Soft hyphens and zero-width characters are invisible in the document;
# left in, they split words in the index.
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A letter, a hyphen at the end of a line, a lowercase letter on the next:
# a word the typesetter broke. A dash after a space or before a capital or
# a digit is a real dash and stays.
BROKEN_WORD = re.compile(r"(?<=[^\W\d_])[-\u2010]\n[ \t]*(?=([^\W\d_]))")
# Chinese and Japanese are written without spaces; pdfminer often puts
# each character of horizontal CJK text on its own line.
_CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK_LINE_BREAK = re.compile(f"(?<=[{_CJK}])\n(?=[{_CJK}])")
# U+FFFD and the private-use areas (exactly Unicode category Co): what a
# glyph without a usable character map becomes.
UNDECODABLE = re.compile("[\ufffd\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
# Control characters other than tab, newlines and the form feed between
# pages: what poppler writes for a glyph without a character map, whose
# code (a small glyph number in a subset font) it passes through as a
# character. No text holds them, so they count as undecodable too.
UNMAPPED_CODES = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# What is neither a letter, a digit nor a space: punctuation, symbols, and
# combining marks (told apart by their category). A run of one such
# character (dot leaders in a table of contents, a rule of underscores or
# dashes) counts once.
SYMBOL = re.compile(r"[^\w\s]")
SYMBOL_RUN = re.compile(r"([^\w\s])\1+")
# Letters only Vietnamese writes (ă, đ, ơ, ư and the tone-marked vowels):
# a word with one is judged as a Vietnamese syllable.
VIETNAMESE_LETTER = re.compile("[\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0"
                               "\u1ea0-\u1ef9]")
TOKEN_EDGES = "\"'()[]{}.,;:!?/*-–—…“”‘’«»"
MIN_JUDGED_CHARS = 20
MAX_WORD_LENGTH = 30
# Vowel letters, plain or marked (Latin-1, Latin Extended-A, ơ/ư, Vietnamese ạ…ỹ).
LATIN_VOWEL = re.compile("[aeiouyAEIOUY\u00c0-\u00c6\u00c8-\u00cf\u00d2-\u00d6\u00d8-\u00dd"
                         "\u00e0-\u00e6\u00e8-\u00ef\u00f2-\u00f6\u00f8-\u00fd\u0100-\u0105"
                         "\u0112-\u011b\u0128-\u0131\u014c-\u0153\u0168-\u0177\u01a0\u01a1"
                         "\u01af\u01b0\u1ea0-\u1ef9]")
ORDINAL = re.compile(r"\d+(st|nd|rd|th|er|e|ème)", re.IGNORECASE)
# Latin letters as NFC writes them (Vietnamese included) and digits: the script judged.
LATIN_TOKEN = re.compile("[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+")
CASE_BOUNDARY = re.compile(r"(?<=[^\W\d_])(?=[A-Z][a-z])")
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
BLANK_LINES = re.compile(r"\n{3,}")
DIGITS = re.compile(r"\d+")
EDGE_LINES = 2
MIN_PAGES_FOR_REPEATS = 3
REPEAT_SHARE = 0.6


def normalize_text(text: str, *, drop_repeated_lines: bool = False,
                   keep_pages: bool = False) -> str:
    """Clean extracted text; pages may be separated by form feeds (``\\f``).

    With ``drop_repeated_lines`` a line that starts or ends most pages (a
    running header, a footer with the page number) is removed, so it does
    not dominate search results and snippets. With ``keep_pages`` the pages
    stay separated by form feeds, empty ones included, so page ``i`` of the
    result is page ``i`` of the input; otherwise they are joined as paragraphs.
    """
    text = CID_PLACEHOLDER.sub("", text)
    text = unicodedata.normalize("NFKC", text).translate(LOOKALIKES)
    text = unicodedata.normalize("NFC", text)
    text = CONTROL.sub("", INVISIBLE.sub("", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = [_tidy_page(page) for page in text.split(PAGE_BREAK)]
    if drop_repeated_lines:
        pages = _drop_repeated_lines(pages)
    if keep_pages:
        return PAGE_BREAK.join(pages)
    return "\n\n".join(page for page in pages if page)


def splice_pages(text: str, replacements: dict[int, str]) -> str:
    """``text`` (pages separated by form feeds) with page ``i`` replaced by ``replacements[i]``.

    An extraction without any text is an empty string: it grows the empty
    pages it needs.
    """
    pages = text.split(PAGE_BREAK)
    pages += [""] * (max(replacements, default=-1) + 1 - len(pages))
    for index, page in replacements.items():
        pages[index] = page.replace(PAGE_BREAK, "\n")
    return PAGE_BREAK.join(pages)


def garbled_ratio(raw: str) -> float:
    """Share of visible characters that are undecodable: placeholders, U+FFFD, private use,
    control characters.

    A font without a usable character map yields such characters by the
    thousand; a high share means the text cannot be trusted for search.
    """
    placeholders = len(CID_PLACEHOLDER.findall(raw))
    # Counted before splitting: str.isspace() takes U+001C-U+001F for spaces.
    codes = len(UNMAPPED_CODES.findall(raw))
    # str.split() drops exactly the characters str.isspace() names, in C.
    visible = "".join(UNMAPPED_CODES.sub("", CID_PLACEHOLDER.sub("", raw)).split())
    total = placeholders + codes + len(visible)
    if total == 0:
        return 0.0
    return (placeholders + codes + len(UNDECODABLE.findall(visible))) / total


def noise_ratio(raw: str) -> float:
    """Share of visible characters that are not letters, marks or digits.

    Undecodable characters (as :func:`garbled_ratio` counts them) and
    punctuation or symbols, a run of one repeated symbol counting once. Real
    pages stay well below half (a tax form of dotted lines and boxes: 0.35);
    what poppler makes of a font without a character map, a scatter of
    control characters and punctuation with a few letters, is 0.6 to 0.8.
    A text with fewer than :data:`MIN_JUDGED_CHARS` visible characters is
    not judged (0.0).
    """
    placeholders = len(CID_PLACEHOLDER.findall(raw))
    rest = CID_PLACEHOLDER.sub("", raw)
    codes = len(UNMAPPED_CODES.findall(rest))
    visible = "".join(SYMBOL_RUN.sub(r"\1", UNMAPPED_CODES.sub("", rest)).split())
    total = placeholders + codes + len(visible)
    if total < MIN_JUDGED_CHARS:
        return 0.0
    symbols = sum(1 for c in SYMBOL.findall(visible) if unicodedata.category(c)[0] != "M")
    undecodable = len(UNDECODABLE.findall(visible))
    return (placeholders + codes + symbols + undecodable) / total


def gibberish_ratio(text: str) -> float:
    """Share of the letters in words that no language writes: ``mnopDetrst``, ``2nu2tDen4vD``.

    A font whose character codes map to the wrong letters gives text that
    decodes without a single undecodable character and still means
    nothing: letters and digits mixed inside a word, capitals in the middle
    of lowercase, long runs without a vowel, a letter only Vietnamese writes
    (``ơ``, ``ư``, ``ạ``…) in a word that is no Vietnamese syllable
    (:mod:`ingest.syllables`). Tokens with other characters
    (addresses, formulas with symbols) are not judged, nor is a text with
    fewer than :data:`MIN_JUDGED_CHARS` characters in judged tokens (0.0).
    Tokens count by length: a wrong map often turns spaces into
    placeholders too, leaving a page of a few very long "words".
    """
    judged = implausible = 0
    for raw, count in Counter(CID_PLACEHOLDER.sub(" ", text).split()).items():
        token = raw.strip(TOKEN_EDGES)
        if LATIN_TOKEN.fullmatch(token):
            judged += count * len(token)
            implausible += 0 if _plausible(token) else count * len(token)
    return implausible / judged if judged >= MIN_JUDGED_CHARS else 0.0


def _plausible(token: str) -> bool:
    """Digits, an ordinal, or words in one case each (``worldHello`` is two run together)."""
    if token.isdigit() or ORDINAL.fullmatch(token):
        return True
    if not token.isalpha() or len(token) > MAX_WORD_LENGTH:
        return False
    return all(_plausible_word(part) for part in CASE_BOUNDARY.split(token))


def _plausible_word(word: str) -> bool:
    if not (word.islower() or word.isupper() or word.istitle()):
        return False
    if VIETNAMESE_LETTER.search(word):
        return syllables.is_valid(word)
    return len(word) <= 3 or LATIN_VOWEL.search(word) is not None


def _tidy_page(page: str) -> str:
    page = CJK_LINE_BREAK.sub("", BROKEN_WORD.sub(_join_broken_word, page))
    lines = [SPACES.sub(" ", line).strip() for line in page.split("\n")]
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _join_broken_word(match: re.Match[str]) -> str:
    return "" if match.group(1).islower() else match.group(0)


def _drop_repeated_lines(pages: list[str]) -> list[str]:
    """Remove lines found at the top or bottom of most pages (digits ignored)."""
    if len(pages) < MIN_PAGES_FOR_REPEATS:
        return pages
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_line_key(line) for line in _edge_lines(page)})
    threshold = max(MIN_PAGES_FOR_REPEATS, REPEAT_SHARE * len(pages))
    repeated = {key for key, n in counts.items() if key and n >= threshold}
    return [_without(page, repeated) for page in pages] if repeated else pages


def _edge_lines(page: str) -> list[str]:
    lines = [line for line in page.split("\n") if line]
    return [lines[i] for i in _edge_indexes(len(lines))]


def _edge_indexes(count: int) -> set[int]:
    """Positions that may hold a header or footer: one line each end, two on long pages."""
    depth = EDGE_LINES if count >= 3 * EDGE_LINES else 1
    return set(range(min(depth, count))) | set(range(max(count - depth, 0), count))


def _line_key(line: str) -> str:
    return DIGITS.sub("#", line.casefold())


def _without(page: str, repeated: set[str]) -> str:
    lines = page.split("\n")
    content = [i for i, line in enumerate(lines) if line]
    edges = {content[i] for i in _edge_indexes(len(content))}
    kept = [line for i, line in enumerate(lines)
            if i not in edges or _line_key(line) not in repeated]
    return BLANK_LINES.sub("\n\n", "\n".join(kept)).strip()
