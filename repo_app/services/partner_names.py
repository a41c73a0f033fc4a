"""A partner's name as search shows it: never one that passes for this library.

Used when a partner is harvested (``harvest.display_name``) and again when
its records are indexed (``indexing.record_document``), so a name stored
before this rule existed is caught at the next rebuild.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from flask import current_app

from repo_app.textfold import fold

LOCAL_SOURCE = "local"  # the index's source value of our own works (search.documents)

# Letters of other scripts a reader takes for Latin ones (after lowercasing), from Unicode's
# confusables list: enough that "Trườпg" (Cyrillic п) or "lοcal" (Greek ο) is caught.
_LOOKALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "һ": "h", "ӏ": "l", "п": "n", "г": "r", "ү": "y", "ԛ": "q", "ԝ": "w", "ь": "b", "з": "3",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ϲ": "c", "ı": "i", "ɡ": "g",
    "ℓ": "l", "0": "o", "1": "l",
})


def visible(text: str) -> str:
    """``text`` without format and control characters (U+200B, U+00AD, U+202E …);
    tabs and line breaks become spaces."""
    return "".join(" " if ch in "\t\n\r" else ch for ch in text
                   if unicodedata.category(ch) not in ("Cf", "Cc") or ch in "\t\n\r")


def skeleton(text: str) -> str:
    """What a person reads in ``text``: compatibility forms and look-alike letters made
    Latin, accents and case dropped, only letters and digits kept ("Ｌ０ｃａｌ" → "local")."""
    text = unicodedata.normalize("NFKC", visible(text)).lower().translate(_LOOKALIKES)
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _ours() -> list[str]:
    config = current_app.config
    names = [LOCAL_SOURCE, config["INSTITUTION_NAME"], config.get("INSTITUTION_NAME_EN", ""),
             urlsplit(config["BASE_URL"]).hostname or ""]
    return [s for s in map(skeleton, names) if s]


def claims_ours(name: str) -> bool:
    """Whether ``name``, read as a person reads it, is or contains one of our names."""
    claimed = skeleton(name)
    return any(own in claimed for own in _ours())


def is_ours(name: str) -> bool:
    """Whether ``name``, read as a person reads it, is exactly one of our names."""
    return skeleton(name) in _ours()


def shown(name: str, where: str) -> str:
    """``name`` tidied (invisible characters dropped, spaces collapsed); when it claims to
    be this library, with ``where`` (the partner's host) added."""
    name = " ".join(visible(name).split())[:250] or where
    return f"{name} ({where})" if claims_ours(name) else name
