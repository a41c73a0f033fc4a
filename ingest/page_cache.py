"""Rendered pages, kept so each page of a file is drawn once (``ingest.page_images``).

Pages are named by the file's checksum, the width and the page number, so
an entry can never go stale: different bytes are a different name. A page
that could not be drawn within the limits is remembered too (its refusal),
so a hostile file costs one render per page, not one per view. The cache is
derived data: deleting it only costs renders. ``trim`` keeps it under a size
by removing the pages read longest ago.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ingest.fixity import is_sha256


@dataclass(frozen=True)
class Refusal:
    status: str
    message: str


class PageCache:
    """``root/<ab>/<sha256>/<width>-<page>.png`` and ``…-<page>.refused`` beside it."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def folder(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError("not a SHA-256 checksum")
        return self.root / sha256[:2] / sha256

    def image(self, sha256: str, width: int, page: int) -> Path:
        return self.folder(sha256) / f"{int(width)}-{int(page)}.png"

    def get(self, sha256: str, width: int, page: int) -> Path | Refusal | None:
        """The cached page, its remembered refusal, or None when it was never drawn."""
        image = self.image(sha256, width, page)
        if image.is_file():
            os.utime(image)  # read recently: trimmed last
            return image
        refused = image.with_suffix(".refused")
        if refused.is_file():
            data = json.loads(refused.read_text(encoding="utf-8"))
            return Refusal(data["status"], data["message"])
        return None

    def refuse(self, sha256: str, width: int, page: int, refusal: Refusal) -> None:
        target = self.image(sha256, width, page).with_suffix(".refused")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"status": refusal.status, "message": refusal.message}),
                          encoding="utf-8")

    def page_count(self, sha256: str) -> int | None:
        counted = self.folder(sha256) / "pages"
        return int(counted.read_text()) if counted.is_file() else None

    def remember_page_count(self, sha256: str, pages: int) -> None:
        folder = self.folder(sha256)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "pages").write_text(str(int(pages)))

    def trim(self, max_bytes: int) -> int:
        """Remove the least recently read pages until the cache holds ``max_bytes``; say how many."""
        images = [(p.stat().st_mtime, p.stat().st_size, p) for p in self.root.glob("*/*/*.png")]
        total = sum(size for _, size, _ in images)
        removed = 0
        for _, size, path in sorted(images):
            if total <= max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed
