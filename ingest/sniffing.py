"""What kind of file an upload is, from its first bytes: light enough for any web process
(no PDF library), so checking an upload never loads the extraction machinery."""

from __future__ import annotations

PDF_MEDIA_TYPE = "application/pdf"
PDF_MAGIC = b"%PDF-"
SNIFF_BYTES = 1024


def sniff_media_type(head: bytes) -> str | None:
    """``application/pdf`` if ``%PDF-`` occurs in the first 1024 bytes (as readers allow)."""
    return PDF_MEDIA_TYPE if PDF_MAGIC in head[:SNIFF_BYTES] else None
