"""Accent folding for matching and ASCII codes outside the search index.

"Đại học Cần Thơ" → "dai hoc can tho". NFD-then-drop-marks alone would
delete đ/Đ (they do not decompose), so they are mapped first.
"""

from __future__ import annotations

import re
import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Lowercase ASCII-ish form of ``text`` for accent-insensitive comparison."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def slug(text: str, max_length: int = 60) -> str:
    """An ASCII code such as an OAI-PMH setSpec: "Khoa Công nghệ thông tin" → "khoa-cong-nghe-thong-tin"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:max_length] or "x"
