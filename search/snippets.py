"""Snippets: a short window of text around the query's matches, as safe HTML.

Highlighting runs on text handed in by the caller (the full text is never
stored in the index), with the same tokenizer and normalisation as the
index, so a snippet marks exactly what matched, whatever its spelling.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape

from search.analysis import canonical, fold, nfc
from search.query import Highlight

SNIPPET_CHARS = 240
# Characters of context kept before the first match of the chosen window.
LEAD_CHARS = 60
# Matches considered when choosing the window: bounds the work on huge texts.
MAX_ANCHORS = 40


# Combining marks, which follow their letter in decomposed (NFD) text.
_MARKS = "[\u0300-\u036f]*"


def _letter(folded_letter: str) -> str:
    """A pattern for one letter of a folded term in NFD text: "d" also matches "đ"."""
    letter = "[dđ]" if folded_letter == "d" else re.escape(folded_letter)
    return letter + _MARKS


def _matches(text: str, highlight: Highlight) -> list[tuple[int, int]]:
    """Spans of query terms in the NFD ``text``, in order.

    Scanning 50 KB per hit token by token in Python costs more than the
    search itself, so candidates are found by a C-level regex that lets
    marks follow any letter, then checked with the index's own normalisation.
    """
    skeletons = sorted({fold(t) for t in highlight.exact} | highlight.folded, key=len)
    if not skeletons:
        return []
    words = ("".join(_letter(c) for c in s) for s in reversed(skeletons))
    pattern = re.compile("(?:" + "|".join(words) + r")(?!\w)")
    lowered = text.lower()
    if len(lowered) != len(text):
        pattern, lowered = re.compile(pattern.pattern, re.IGNORECASE), text
    spans = []
    for match in pattern.finditer(lowered):
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


def _safe(decomposed: str) -> str:
    """Recompose and escape a piece of the NFD text for output."""
    return escape(unicodedata.normalize("NFC", decomposed))


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
    text = unicodedata.normalize("NFD", nfc(text))
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
