"""The Vietnamese catalogue is hand-kept by several people at once: it must stay well formed.

Babel compiles a catalogue with a message defined twice without a word
(GNU msgfmt refuses it) and keeps whichever came last, so two engineers
translating one string differently would change the site silently.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

CATALOGUE = (Path(__file__).resolve().parents[2] / "repo_app" / "translations" / "vi"
             / "LC_MESSAGES" / "messages.po")


def test_no_message_is_defined_twice():
    text = CATALOGUE.read_text(encoding="utf-8")
    # One entry per blank-line-separated block: its context (if any) and its msgid.
    keys = [tuple(re.findall(r'^(msgctxt|msgid) ((?:"(?:[^"\\]|\\.)*"\s*)+)', block, re.M))
            for block in re.split(r"\n\s*\n", text)]
    twice = [key for key, count in Counter(k for k in keys if k).items() if count > 1]
    assert twice == []
