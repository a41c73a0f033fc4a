"""Snippets: a short window of text around the query's matches, as safe HTML.

Highlighting runs on text handed in by the caller (the full text is never
stored in the index), with the same tokenizer and normalisation as the
index, so a snippet marks exactly what matched, whatever its spelling.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html import escape

from search.query import Highlight
from search.spelling import canonical, fold, nfc

SNIPPET_CHARS = 240
# Characters of context kept before the first match of the chosen window.
LEAD_CHARS = 60
# Matches considered when choosing the window: bounds the work on huge texts.
MAX_ANCHORS = 40


# Combining marks left after NFC (a letter with no precomposed form keeps its mark).
_MARKS = "[\u0300-\u036f]*"
# Precomposed Latin letters, in both cases, grouped by what they fold to: "a" → "aáàảãạăắ…Á…".
_LATIN = [chr(c) for c in (*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x250),
                           *range(0x1E00, 0x1F00))]


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    by_skeleton: dict[str, list[str]] = {}
    for ch in _LATIN:
        skeleton = fold(unicodedata.normalize("NFD", ch.lower()))
        if len(skeleton) == 1:
            by_skeleton.setdefault(skeleton, []).append(ch)
    return {k: "".join(v) for k, v in by_skeleton.items()}


def _letter(folded_letter: str) -> str:
    """A pattern for one letter of a folded term in NFC text: "d" also matches "đ", "Đ", "D"."""
    variants = _variants().get(folded_letter)
    if variants is None:
        variants = "".join(sorted({folded_letter, folded_letter.upper(), folded_letter.title()}))
    return "[" + re.escape(variants) + "]" + _MARKS


@lru_cache(maxsize=1024)
def _pattern(skeletons: tuple[str, ...]) -> re.Pattern[str]:
    words = ("".join(_letter(c) for c in s) for s in reversed(skeletons))
    return re.compile("(?:" + "|".join(words) + r")(?!\w)")


def _matches(text: str, highlight: Highlight) -> list[tuple[int, int]]:
    """Spans of query terms in the NFC ``text``, in order.

    Scanning 50 KB per hit token by token in Python costs more than the
    search itself, so candidates are found by a C-level regex whose letters
    are classes of every accented and cased form, then checked with the
    index's own normalisation. Working on NFC text (not NFD) spares
    decomposing every 50 KB text and keeps positions in visible characters.
    """
    skeletons = sorted({fold(t) for t in highlight.exact} | highlight.folded, key=len)
    if not skeletons:
        return []
    spans = []
    for match in _pattern(tuple(skeletons)).finditer(text):
        start, end = match.span()
        if start > 0 and (text[start - 1].isalnum() or unicodedata.combining(text[start - 1])):
            continue
        token = canonical(unicodedata.normalize("NFC", text[start:end]))
        if token in highlight.exact or fold(token) in highlight.folded:
            spans.append((start, end))
            if len(spans) == MAX_ANCHORS:
                break
    return spans


def _best_window(spans: list[tuple[int, int]]) -> int:
    """Start of the window that holds the most matches."""
    best_start, best_count = spans[0][0], 0
    for i, (start, _) in enumerate(spans):
        count = sum(1 for s, e in spans[i:] if e <= start + SNIPPET_CHARS - LEAD_CHARS)
        if count > best_count:
            best_start, best_count = start, count
    return best_start


def _safe(piece: str) -> str:
    """Escape a piece of the NFC text for output."""
    return escape(piece)


def _render(text: str, begin: int, end: int, spans: list[tuple[int, int]]) -> str:
    parts = ["…" if begin > 0 else ""]
    cursor = begin
    for start, stop in spans:
        if start < begin or stop > end:
            continue
        parts += [_safe(text[cursor:start]), "<mark>", _safe(text[start:stop]), "</mark>"]
        cursor = stop
    parts += [_safe(text[cursor:end]), "…" if end < len(text) else ""]
    return "".join(parts)


def highlighted(text: str, highlight: Highlight) -> str | None:
    """A marked window of ``text`` around its matches, or None when nothing matches."""
    text = nfc(text)
    spans = _matches(text, highlight)
    if not spans:
        return None
    anchor = _best_window(spans)
    begin = max(0, anchor - LEAD_CHARS)
    space = text.rfind(" ", 0, begin) if begin else -1
    begin = space + 1 if space >= anchor - 2 * LEAD_CHARS else begin
    end = min(len(text), begin + SNIPPET_CHARS)
    space = text.find(" ", end)
    end = space if 0 <= space < end + 30 else end
    return _render(text, begin, end, spans)


def opening(text: str) -> str:
    """The escaped start of ``text``, for a hit with no match to show."""
    text = nfc(text)
    if len(text) <= SNIPPET_CHARS:
        return escape(text)
    cut = text.rfind(" ", 0, SNIPPET_CHARS)
    return escape(text[: cut if cut > 0 else SNIPPET_CHARS]) + "…"
