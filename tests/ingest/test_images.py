"""Scanning-station uploads: page images joined losslessly, bad uploads refused clearly."""

from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw

from ingest import images
from ingest.images import Assembly, ImageLimits, ImageRejected, assemble, natural_key


def picture(width: int = 120, height: int = 160, mode: str = "L") -> Image.Image:
    image = Image.new(mode, (width, height), "white")
    ImageDraw.Draw(image).rectangle((10, 10, width // 2, height // 3), fill="black")
    return image


def save(image: Image.Image, path: Path, **options) -> Path:
    image.save(path, dpi=(300, 300), **options)
    return path


def page_widths(pdf: Path) -> list[int]:
    """Each page's width in points: the tests give every page image its own width."""
    with pikepdf.open(pdf) as opened:
        return [round(float(page.mediabox[2]) * 300 / 72) for page in opened.pages]


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def png_bytes(width: int) -> bytes:
    buffer = io.BytesIO()
    picture(width).save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


def rejected(sources, tmp_path, **limits) -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        assemble(sources, tmp_path / "out.pdf", limits=ImageLimits(**limits))
    assert not (tmp_path / "out.pdf").exists()
    return caught.value


@pytest.mark.parametrize(("names", "ordered"), [
    (["p10.tif", "p2.tif", "p1.tif"], ["p1.tif", "p2.tif", "p10.tif"]),
    (["Trang 10.png", "trang 9.png"], ["trang 9.png", "Trang 10.png"]),
])
def test_natural_order(names, ordered):
    assert sorted(names, key=natural_key) == ordered


def test_a_jpeg_is_embedded_byte_for_byte(tmp_path):
    jpeg = save(picture(mode="RGB"), tmp_path / "page.jpg", quality=80)
    result = assemble([jpeg], tmp_path / "out.pdf")
    assert result == Assembly(pages=1, path=tmp_path / "out.pdf")
    with pikepdf.open(result.path) as pdf:
        [image] = pdf.pages[0].get_images().values()
        assert image.read_raw_bytes() == jpeg.read_bytes()


def test_a_png_keeps_every_pixel(tmp_path):
    png = save(picture(), tmp_path / "page.png")
    result = assemble([png], tmp_path / "out.pdf")
    with pikepdf.open(result.path) as pdf:
        [image] = pdf.pages[0].get_images().values()
        assert pikepdf.PdfImage(image).as_pil_image().tobytes() == Image.open(png).tobytes()


def test_a_bitonal_group4_tiff_keeps_its_compressed_data(tmp_path):
    tiff = save(picture(mode="1"), tmp_path / "page.tif", compression="group4")
    result = assemble([tiff], tmp_path / "out.pdf")
    with pikepdf.open(result.path) as pdf:
        [image] = pdf.pages[0].get_images().values()
        assert "/CCITTFaxDecode" in str(image.Filter)


def test_every_page_of_a_multipage_tiff_becomes_a_page(tmp_path):
    tiff = tmp_path / "book.tif"
    first, *rest = [picture(width) for width in (100, 110, 120)]
    first.save(tiff, save_all=True, append_images=rest, dpi=(300, 300), compression="tiff_lzw")
    result = assemble([tiff], tmp_path / "out.pdf")
    assert result.pages == 3
    assert page_widths(result.path) == [100, 110, 120]


def test_a_folder_is_read_in_natural_order_without_clutter(tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    for number, width in ((10, 130), (2, 110), (1, 100)):
        save(picture(width), folder / f"p{number}.png")
    (folder / ".DS_Store").write_bytes(b"\0\0")
    (folder / "checksums.md5").write_text("abc  p1.png\n")
    result = assemble([folder], tmp_path / "out.pdf")
    assert page_widths(result.path) == [100, 110, 130]
    assert result.skipped == ("checksums.md5",)


def test_a_zip_is_read_in_natural_order(tmp_path):
    archive = zip_of(tmp_path / "scans.zip", {
        "book/p10.png": png_bytes(130), "book/p2.png": png_bytes(110),
        "book/p1.png": png_bytes(100), "__MACOSX/book/._p1.png": b"junk",
        "book/readme.txt": b"scanned 2024"})
    result = assemble([archive], tmp_path / "out.pdf")
    assert page_widths(result.path) == [100, 110, 130]
    assert result.skipped == ("book/readme.txt",)


def test_sources_keep_the_order_they_are_given_in(tmp_path):
    second = save(picture(110), tmp_path / "b.png")
    first = save(picture(100), tmp_path / "z.png")
    assert page_widths(assemble([first, second], tmp_path / "out.pdf").path) == [100, 110]


def test_many_pages_are_joined_in_batches_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(images, "MERGE_BATCH", 2)
    pages = [save(picture(100 + n), tmp_path / f"p{n}.png") for n in range(5)]
    assert page_widths(assemble(pages, tmp_path / "out.pdf").path) == [100, 101, 102, 103, 104]


def test_a_tif_that_is_not_an_image_is_refused_by_name(tmp_path):
    fake = tmp_path / "trang-01.tif"
    fake.write_bytes(b"%PDF-1.4 this is no image")
    error = rejected([fake], tmp_path)
    assert error.code == "not_an_image"
    assert error.message == "“trang-01.tif” is not a TIFF, JPEG or PNG image."
    assert error.template == "“{name}” is not a TIFF, JPEG or PNG image."
    assert error.params == {"name": "trang-01.tif"}


def test_a_gif_is_not_accepted(tmp_path):
    gif = save(picture(), tmp_path / "page.png.gif")
    assert rejected([gif], tmp_path).code == "not_an_image"


def decompression_bomb(path: Path, width: int, height: int) -> Path:
    """A small PNG whose header claims ``width`` x ``height`` pixels."""
    data = bytearray(png_bytes(100))
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(("width", "height"), [(20_000, 20_000), (100_000, 100_000)])
def test_an_absurd_image_is_refused_before_decoding(tmp_path, width, height):
    bomb = decompression_bomb(tmp_path / "bomb.png", width, height)
    error = rejected([bomb], tmp_path)
    assert error.code == "image_too_large"
    assert error.params["megapixels"] == round(width * height / 1e6)
    assert "bomb.png" in error.message


def test_the_pixel_limit_can_be_lowered(tmp_path):
    page = save(picture(200, 300), tmp_path / "page.png")
    assert rejected([page], tmp_path, max_pixels=50_000).code == "image_too_large"


def test_too_many_pages_are_refused(tmp_path):
    tiff = tmp_path / "book.tif"
    picture().save(tiff, save_all=True, append_images=[picture(), picture()])
    error = rejected([tiff], tmp_path, max_pages=2)
    assert error.code == "too_many_pages" and "2" in error.message


def test_an_image_with_transparency_keeps_it_as_a_soft_mask(tmp_path):
    png = save(picture(mode="RGBA"), tmp_path / "page.png")
    with pikepdf.open(assemble([png], tmp_path / "out.pdf").path) as pdf:
        [image] = pdf.pages[0].get_images().values()
        assert "/SMask" in image


def test_nothing_to_assemble_is_an_error(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "notes.txt").write_text("no pictures")
    assert rejected([folder], tmp_path).code == "no_images"


@pytest.mark.parametrize("name", ["../escape.png", "book/../../escape.png", "/tmp/escape.png",
                                  "C:/escape.png", "..\\escape.png"])
def test_a_zip_whose_paths_leave_its_folder_is_refused(tmp_path, name):
    work = tmp_path / "work"
    work.mkdir()
    archive = zip_of(work / "scans.zip", {"p1.png": png_bytes(100), name: png_bytes(100)})
    with pytest.raises(ImageRejected) as caught:
        assemble([archive], work / "out.pdf", workdir=work)
    assert caught.value.code == "unsafe_archive"
    assert caught.value.params["name"] == name
    assert not list(tmp_path.rglob("escape.png"))
    assert sorted(p.name for p in work.iterdir()) == ["scans.zip"]


def test_a_zip_with_a_symlink_is_refused(tmp_path):
    archive = tmp_path / "scans.zip"
    with zipfile.ZipFile(archive, "w") as opened:
        link = zipfile.ZipInfo("p1.png")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        opened.writestr(link, "/etc/passwd")
    assert rejected([archive], tmp_path).code == "unsafe_archive"


def test_a_zip_declaring_too_much_is_refused_before_extracting(tmp_path):
    archive = zip_of(tmp_path / "scans.zip", {"p1.png": png_bytes(100), "p2.png": png_bytes(110)})
    error = rejected([archive], tmp_path, max_archive_bytes=len(png_bytes(100)) + 10)
    assert error.code == "archive_too_large"


def test_a_zip_that_lies_about_its_sizes_is_stopped_while_extracting(tmp_path):
    archive = zip_of(tmp_path / "bomb.zip", {"p1.png": png_bytes(100) + b"\0" * 5_000_000})
    data = bytearray(archive.read_bytes())
    # Claim 1,000 bytes in the local header and the central directory.
    for offset in (22, data.rindex(b"PK\x01\x02") + 24):
        data[offset:offset + 4] = struct.pack("<I", 1000)
    archive.write_bytes(bytes(data))
    error = rejected([archive], tmp_path)
    assert error.code in {"archive_too_large", "bad_archive"}
    assert sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file()) < 200_000


def test_a_zip_with_too_many_files_is_refused(tmp_path):
    archive = zip_of(tmp_path / "scans.zip", {f"p{n}.png": png_bytes(100) for n in range(5)})
    assert rejected([archive], tmp_path, max_archive_files=4).code == "archive_too_many_files"


def test_a_damaged_zip_is_refused(tmp_path):
    archive = zip_of(tmp_path / "scans.zip", {"p1.png": png_bytes(100) * 20})
    data = bytearray(archive.read_bytes())
    data[40:200] = b"\xff" * 160
    archive.write_bytes(bytes(data))
    assert rejected([archive], tmp_path).code in {"bad_archive", "not_an_image"}


def test_only_the_output_is_written_in_the_work_directory(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    archive = zip_of(tmp_path / "scans.zip", {"p1.png": png_bytes(100)})
    before = sorted(p.name for p in tmp_path.iterdir())
    assemble([archive], work / "out.pdf", workdir=work)
    assert [p.name for p in work.iterdir()] == ["out.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before
