"""Real PDFs for demo data, tests and benchmarks, written with fpdf2.

Tests should exercise extraction on files with real fonts, real
encryption and real images rather than mocks; these helpers make such
files on demand so the repository ships none.
"""

from __future__ import annotations

import io
import secrets
import textwrap
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from ingest.fonts import find_font

FAMILY = "Body"
FONT_SIZE = 12
LINE_HEIGHT = 7
IMAGE_DPI = 150


def write_pdf(
    path: Path,
    pages: Sequence[str],
    *,
    title: str = "",
    font_path: Path | None = None,
    font_name: str | None = None,
    encrypt_user_password: str | None = None,
) -> Path:
    """Write one PDF page per text (long texts flow onto further pages); return ``path``.

    ``font_name`` embeds the font under another name (for example
    ``".VnTime"``), so a test can produce what an old TCVN3 document looks
    like to a PDF reader. ``encrypt_user_password`` encrypts the file; an
    empty string gives a file that opens without asking.
    """
    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_font(FAMILY, fname=str(font_path or find_font()))
    if font_name:
        pdf.fonts[FAMILY.lower()].name = font_name
    pdf.set_font(FAMILY, size=FONT_SIZE)
    for text in pages:
        pdf.add_page()
        for line in _wrap(pdf, text):
            pdf.cell(0, LINE_HEIGHT, line, new_x="LMARGIN", new_y="NEXT")
    if encrypt_user_password is not None:
        pdf.set_encryption(owner_password=secrets.token_hex(8),
                           user_password=encrypt_user_password)
    pdf.output(str(path))
    return Path(path)


def _wrap(pdf: FPDF, text: str) -> list[str]:
    """Break text into lines that fit the page.

    fpdf2's ``multi_cell`` treats U+00AD as a hyphenation hint and drops
    it, but in TCVN3 that byte is the letter "ư", so lines are laid out here.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and pdf.get_string_width(candidate) > pdf.epw:
                lines.append(line)
                candidate = word
            line = candidate
        lines.append(line)
    return lines


def write_image_pdf(path: Path, pages: Sequence[str], *, font_path: Path | None = None) -> Path:
    """Write a PDF whose pages are pictures of the texts: a scan without a text layer."""
    pdf = FPDF()
    for text in pages:
        pdf.add_page()
        pdf.image(_render_page(text, font_path or find_font()), x=0, y=0, w=pdf.w, h=pdf.h)
    pdf.output(str(path))
    return Path(path)


def _render_page(text: str, font_path: Path) -> io.BytesIO:
    """An A4 page image with the text drawn in black, as a scanner would give it."""
    width, height = int(210 / 25.4 * IMAGE_DPI), int(297 / 25.4 * IMAGE_DPI)
    image = Image.new("L", (width, height), color=255)
    font = ImageFont.truetype(str(font_path), size=IMAGE_DPI // 4)
    ImageDraw.Draw(image).multiline_text((IMAGE_DPI, IMAGE_DPI), text, fill=0, font=font,
                                         spacing=IMAGE_DPI // 10)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def write_long_pdf(path: Path, page_count: int, *, lines: int = 60) -> Path:
    """Write a PDF of ``page_count`` full pages of ASCII text in a standard font, in milliseconds.

    Every page shares one content stream, so the file stays small and is
    written at once whatever its length, while pdfminer still lays out each
    page anew (about 0.02-0.03 s a page): a file that certainly takes many
    seconds to read, for time limits.
    """
    line = "Nghien cuu khoa hoc ve phat trien kinh te nong thon vung dong bang song Cuu Long."
    content = ("BT /F1 9 Tf 11 TL 40 800 Td\n" + f"({line}) Tj T*\n" * lines + "ET\n").encode()
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    return _write_raw(path, font, [content] * page_count)


def write_unmapped_pdf(path: Path, pages: Sequence[str], *, chars_per_line: int = 80) -> Path:
    """Write a PDF whose text pdfminer reads as ``(cid:N)`` placeholders and poppler reads right.

    The font is named (DejaVuSans) but not embedded, has no ``ToUnicode``
    map, and its two-byte codes (``Identity-H``) are the characters'
    Unicode values, as some converters write them. pdfminer has nothing to
    map a code with; poppler takes the code of an ``Identity`` font for the
    character itself. ``pages`` are wrapped at ``chars_per_line``.
    """
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H "
            b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            b"/DW 600 /FontDescriptor << /Type /FontDescriptor /FontName /DejaVuSans /Flags 32 "
            b"/FontBBox [-1021 -463 1793 1232] /ItalicAngle 0 /Ascent 928 /Descent -236 "
            b"/CapHeight 729 /StemV 80 >> >>] >>")
    contents = []
    for text in pages:
        lines = [line for paragraph in text.split("\n")
                 for line in textwrap.wrap(paragraph, chars_per_line) or [""]]
        shown = "".join(f"<{line.encode('utf-16-be').hex()}> Tj T*\n" for line in lines)
        contents.append(f"BT /F1 11 Tf 14 TL 40 800 Td\n{shown}ET\n".encode())
    return _write_raw(path, font, contents)


def _write_raw(path: Path, font: bytes, contents: Sequence[bytes]) -> Path:
    """A PDF written object by object: one font (object 3), one page per content stream.

    Pages with the same content stream share one object.
    """
    streams = list(dict.fromkeys(contents))
    first_page = 4 + len(streams)
    kids = " ".join(f"{first_page + i} 0 R" for i in range(len(contents)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(contents)} >>".encode(),
        font,
    ]
    objects += [b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream"
                for stream in streams]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
                % (4 + streams.index(content)) for content in contents]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    Path(path).write_bytes(bytes(out))
    return Path(path)
