"""Where DejaVu Sans lives: a font with every Vietnamese letter, for text we draw ourselves
(generated PDFs, the reader's watermark). ``REPO_PDF_FONT`` names it where it is elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

FONT_ENV = "REPO_PDF_FONT"
FONT_FILE = "DejaVuSans.ttf"
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)


def find_font() -> Path:
    """DejaVu Sans, which covers Vietnamese: from ``REPO_PDF_FONT`` or the usual places."""
    if os.environ.get(FONT_ENV):
        return Path(os.environ[FONT_ENV])
    for folder in FONT_DIRS:
        if (folder / FONT_FILE).is_file():
            return folder / FONT_FILE
    found = next(Path("/usr/share/fonts").rglob(FONT_FILE), None) \
        if Path("/usr/share/fonts").is_dir() else None
    if found is None:
        raise FileNotFoundError(f"{FONT_FILE} not found; install fonts-dejavu or set {FONT_ENV}")
    return found
