"""Accent folding for matching and ASCII codes outside the search index.

"Đại học Cần Thơ" → "dai hoc can tho". The letters are folded by the one
rule the index folds them by (``search.spelling``: Word's ``ƣ`` repaired,
``đ`` mapped, marks dropped), word by word, lowercased, spaces collapsed.
"""

from __future__ import annotations

import re

from search.spelling import fold as fold_word
from search.spelling import nfc


def fold(text: str) -> str:
    """Lowercase ASCII-ish form of ``text`` for accent-insensitive comparison."""
    return " ".join(fold_word(word) for word in nfc(text).lower().split())


def slug(text: str, max_length: int = 60) -> str:
    """An ASCII code such as an OAI-PMH setSpec: "Khoa Công nghệ thông tin" → "khoa-cong-nghe-thong-tin"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:max_length] or "x"
