"""PDFs made to hurt a renderer, written byte by byte (streamed, so the test stays small).

- ``inflating_content``: one page whose Flate content stream expands about a
  thousand times (a million small filled rectangles per few megabytes).
- ``huge_image``: one page that paints one enormous image several times.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from pathlib import Path

CHUNK = 1 << 20


def _write_pdf(path: Path, objects: list[tuple[bytes, Iterable[bytes] | None]]) -> Path:
    """Objects 1..n: (dictionary, stream chunks already encoded or None); a page tree at 1-3."""
    offsets = []
    with path.open("wb") as out:
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        for number, (head, chunks) in enumerate(objects, start=1):
            offsets.append(out.tell())
            if chunks is None:
                out.write(b"%d 0 obj\n%s\nendobj\n" % (number, head))
                continue
            data = b"".join(chunks)
            out.write(b"%d 0 obj\n%s /Length %d >>\nstream\n" % (number, head, len(data)))
            out.write(data)
            out.write(b"\nendstream\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                  % (len(objects) + 1, xref))
    return path


def _deflate(pieces: Iterable[bytes]) -> Iterable[bytes]:
    packer = zlib.compressobj(9)
    for piece in pieces:
        yield packer.compress(piece)
    yield packer.flush()


def _repeat(unit: bytes, total: int) -> Iterable[bytes]:
    block = unit * max(1, CHUNK // len(unit))
    for _ in range(max(1, total // len(block))):
        yield block


def _page(resources: bytes) -> list[tuple[bytes, None]]:
    return [(b"<< /Type /Catalog /Pages 2 0 R >>", None),
            (b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", None),
            (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
             b"/Resources " + resources + b" >>", None)]


def inflating_content(path: Path, expanded_mb: int) -> Path:
    """A page whose content stream inflates to ``expanded_mb`` MB of tiny filled rectangles."""
    content = _deflate(_repeat(b"1 1 1 1 re f\n", expanded_mb * CHUNK))
    return _write_pdf(path, [*_page(b"<< >>"), (b"<< /Filter /FlateDecode", content)])


def huge_image(path: Path, side: int, draws: int) -> Path:
    """A page painting a ``side`` x ``side`` one-bit image ``draws`` times."""
    content = b"".join(b"q 595 0 0 842 0 0 cm /Im0 Do Q\n" for _ in range(draws))
    pixels = _deflate(_repeat(b"\x00", side * side // 8))
    return _write_pdf(path, [
        *_page(b"<< /XObject << /Im0 5 0 R >> >>"),
        (b"<< ", [content]),
        (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 1 "
         b"/ColorSpace /DeviceGray /Filter /FlateDecode" % (side, side), pixels)])
