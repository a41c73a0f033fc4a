"""The scanning station: a librarian uploads a holding's page images on /scans/new.

Real images (Pillow), real HTTP with CSRF, real tesseract (jobs run eagerly
after the commit), real coverage report. Bad uploads are answered with
their message in the user's language, the form kept, and nothing stored.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import func, select

from helpers import csrf_token, login
from ingest.fonts import find_font
from repo_app import resources
from repo_app.db import standalone_session
from repo_app.models import AuditEvent, File, Holding, Work

REGISTER = (
    "holding_id,title,creators,year,type,faculty,shelf_mark,format,category\n"
    "LV-001,Nuôi tôm sú ở Sóc Trăng,Võ Thị E,2001,master_thesis,Khoa Thủy sản,LV.1,print,"
    "endogenous\n"
    "LV-002,Lúa mùa nổi,Trần Văn B,1999,master_thesis,Khoa Nông nghiệp,LV.2,print,endogenous\n")
PAGE_TEXTS = ["Chương một nuôi tôm", "Chương hai Sóc Trăng", "Chương ba mặn ngọt",
              "Chương bốn kết luận"]


def page(text: str = "", width: int = 1400, height: int = 500) -> Image.Image:
    """A page picture at 300 dpi with ``text`` drawn large; every test page has its own width."""
    image = Image.new("L", (width, height), "white")
    if text:
        font = ImageFont.truetype(str(find_font()), size=72)
        ImageDraw.Draw(image).text((60, 180), text, fill=0, font=font)
    return image


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, dpi=(300, 300), **options)
    return buffer.getvalue()


def multipage_tiff(*images: Image.Image) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, format="TIFF", dpi=(300, 300), save_all=True,
                   append_images=list(images[1:]), compression="tiff_lzw")
    return buffer.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A small PNG whose header claims ``width`` x ``height`` pixels."""
    data = bytearray(encoded(page(width=100, height=100), "PNG"))
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


def page_widths(pdf: Path) -> list[int]:
    with pikepdf.open(pdf) as opened:
        return [round(float(p.mediabox[2]) * 300 / 72) for p in opened.pages]


@pytest.fixture
def register(runner, tmp_path: Path) -> None:
    path = tmp_path / "holdings.csv"
    path.write_text(REGISTER, encoding="utf-8")
    result = runner.invoke(args=["holdings", "import", str(path)])
    assert result.exit_code == 0, result.output


@pytest.fixture
def librarian(client, accounts, register):
    login(client, "librarian@test.vn")
    return client


def post_scan(client, images: list[tuple[bytes, str]], **fields):
    data = {"csrf_token": csrf_token(client, "/scans/new"), "holding": "LV-001",
            "type": "master_thesis", "language": "vi", "access_level": "open", **fields}
    if images:
        data["images"] = [(io.BytesIO(content), name) for content, name in images]
    return client.post("/scans/new", data=data, content_type="multipart/form-data")


def counts(app) -> dict[str, int]:
    with standalone_session(app) as db:
        return {model.__name__: db.scalar(select(func.count()).select_from(model))
                for model in (Work, File)}


def scratch_and_staging(app) -> list[Path]:
    """Everything an upload could have left in the data directory's scratch and staging."""
    data = Path(app.config["DATA_DIR"])
    return [p for folder in (data / "tmp", data / "files" / "staging")
            for p in folder.rglob("*") if p.is_file()]


def coverage(runner) -> dict:
    return json.loads(runner.invoke(args=["coverage", "--format", "json"]).output)["overall"]


def work_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(re.search(r"/works/(\d+)", response.headers["Location"]).group(1))


# --- who may use it -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["reader", "depositor"])
def test_readers_and_depositors_are_refused(client, accounts, register, role, app):
    login(client, f"{role}@test.vn")
    assert client.get("/scans/new").status_code == 403
    token = csrf_token(client, "/my/works")
    response = client.post("/scans/new", data={
        "csrf_token": token, "holding": "LV-001", "access_level": "open",
        "images": [(io.BytesIO(encoded(page(), "PNG")), "p1.png")]},
        content_type="multipart/form-data")
    assert response.status_code == 403
    assert counts(app) == {"Work": 0, "File": 0} and scratch_and_staging(app) == []


def test_a_guest_is_sent_to_log_in(client, register):
    response = client.get("/scans/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_post_without_the_csrf_token_is_refused(librarian, app):
    response = librarian.post("/scans/new", data={
        "holding": "LV-001", "access_level": "open",
        "images": [(io.BytesIO(encoded(page(), "PNG")), "p1.png")]},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert counts(app) == {"Work": 0, "File": 0} and scratch_and_staging(app) == []


def test_the_link_is_in_the_librarians_digitization_area_only(client, accounts, register):
    login(client, "depositor@test.vn")
    assert "/scans/new" not in client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "librarian@test.vn")
    assert 'href="/jobs"' in client.get("/").get_data(as_text=True)
    assert 'href="/scans/new"' in client.get("/jobs").get_data(as_text=True)
    station = client.get("/scans/new").get_data(as_text=True)
    assert 'href="/jobs"' in station and 'aria-current="page">Trạm số hóa' in station


def test_the_form_is_prefilled_from_the_holding_found_by_call_number(librarian):
    html = librarian.get("/scans/new?holding=LV.2").get_data(as_text=True)
    assert 'value="Lúa mùa nổi"' in html and "Trần Văn B" in html and 'value="1999"' in html
    assert 'accept=".tif,.tiff,.jpg,.jpeg,.png,.zip"' in html and "multiple" in html


# --- a scan becomes a searchable, linked, published work ---------------------------------


def test_page_images_become_one_ocr_searchable_work_linked_to_its_holding(
        app, librarian, runner, tesseract_vie):
    widths = [1400, 1420, 1440, 1460]
    images = [(multipage_tiff(page(PAGE_TEXTS[0], widths[0]), page(PAGE_TEXTS[1], widths[1])),
               "trang1.tif"),
              (encoded(page(PAGE_TEXTS[3], widths[3]), "JPEG", quality=95), "trang10.jpg"),
              (encoded(page(PAGE_TEXTS[2], widths[2]), "PNG"), "trang2.png")]
    # By call number, the description left to the holding.
    response = post_scan(librarian, images, holding="LV.1", access_level="campus")
    new = work_id(response)
    with standalone_session(app) as db:
        work = db.get(Work, new)
        file = work.files[0]
        holding = db.scalar(select(Holding).where(Holding.holding_id == "LV-001"))
        assert (work.status, work.title, work.creators, work.year) == (
            "published", "Nuôi tôm sú ở Sóc Trăng", ["Võ Thị E"], 2001)
        assert work.access_level == "campus" and holding.work_id == work.id
        assert file.pages == 4 and file.extraction_status == "ocr", file.extraction_message
        assert file.original_name == "LV.1.pdf"
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "scan.upload"))
        assert event is not None and event.work_id == work.id
        with app.app_context():
            original = resources.store().path(file.sha256)
    assert page_widths(original) == widths  # trang1 (both frames), trang2, trang10
    assert scratch_and_staging(app) == []
    page_html = librarian.get(f"/works/{new}").get_data(as_text=True)
    assert "Nuôi tôm sú ở Sóc Trăng" in page_html
    found = librarian.get("/api/v1/search?q=chuong bon ket luan").get_json()
    assert [hit["id"] for hit in found["hits"]] == [new]
    overall = coverage(runner)
    assert (overall["holdings"], overall["digitized"], overall["searchable"]) == (2, 1, 1)


def test_the_library_accepts_the_deposit_licence_for_the_holding_it_scans(
        app, librarian, accounts, tesseract_vie):
    app.config["DEPOSIT_LICENCE"] = "Giấy phép nộp tài liệu của Trường Đại học Mẫu."
    librarian.get("/lang/en")  # the librarian's screen in English, the record in Vietnamese
    new = work_id(post_scan(librarian, [(encoded(page(), "PNG"), "p1.png")], holding="LV-002"))
    with standalone_session(app) as db:
        work = db.get(Work, new)
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "work.licence"))
        assert work.licence_text == "Giấy phép nộp tài liệu của Trường Đại học Mẫu."
        assert work.licence_accepted_at is not None
        assert event.work_id == new and event.after == {"accepted_by": "library"}
        assert event.actor_id == accounts["librarian"]
    log = librarian.get(f"/audit?work={new}").get_data(as_text=True)
    assert "Deposit licence accepted" in log and "Accepted by: the library" in log


def test_a_zip_of_pages_is_read_in_natural_order(app, librarian, tesseract_vie):
    members = {f"scan/page{n}.png": encoded(page(width=1000 + n), "PNG") for n in (10, 2, 1)}
    members["scan/Thumbs.db"] = b"clutter"
    new = work_id(post_scan(librarian, [(zipped(members), "lv-002.zip")], holding="LV-002"))
    with standalone_session(app) as db:
        file = db.get(Work, new).files[0]
        with app.app_context():
            original = resources.store().path(file.sha256)
    assert page_widths(original) == [1001, 1002, 1010]


def test_the_request_only_checks_and_stores_the_pages_and_a_job_assembles_them(app, librarian):
    """Joining hundreds of pages takes img2pdf seconds: the answer does not wait for it."""
    from repo_app.models import Job
    from repo_app.services import jobs

    app.config["JOBS_EAGER"] = False  # the jobs wait on the real (embedded) queue
    images = [(encoded(page(width=1000 + n), "PNG"), f"p{n}.png") for n in (2, 1)]
    new = work_id(post_scan(librarian, images))
    with standalone_session(app) as db:
        work = db.get(Work, new)
        job = db.scalar(select(Job).where(Job.kind == "scan_assemble"))
        assert work.status == "published" and work.files == []
        assert job.state == "queued" and job.payload["pages"] == 2
        with app.app_context():
            package = resources.store().path(job.payload["package"])
        assert package.is_file() and zipfile.is_zipfile(package)
        job_id = job.id
    waiting = librarian.get(f"/works/{new}").get_data(as_text=True)
    assert "2 trang quét đang được ghép thành tệp PDF" in waiting
    assert jobs.run(app, job_id) == "done"
    assert jobs.run(app, job_id) is None  # a second delivery of the message changes nothing
    with standalone_session(app) as db:
        file = db.get(Work, new).files[0]
        kinds = db.scalars(select(Job.kind).where(Job.file_id == file.id)).all()
        with app.app_context():
            original = resources.store().path(file.sha256)
    assert page_widths(original) == [1001, 1002] and kinds == ["extract"]
    assert not package.exists()  # the pages' ZIP goes once the PDF is the work's
    assert "ghép thành tệp PDF" not in librarian.get(f"/works/{new}").get_data(as_text=True)
    assert scratch_and_staging(app) == []


def test_a_form_refused_for_its_holding_keeps_the_uploaded_pages(app, librarian, tesseract_vie):
    first = post_scan(librarian, [(encoded(page(width=1111), "PNG"), "p1.png")],
                      holding="KHONG-CO", title="Tên tự nhập")
    html = first.get_data(as_text=True)
    assert first.status_code == 400
    assert ("Không có tài liệu nào trong sổ đăng ký có mã đăng ký hoặc ký hiệu xếp giá "
            "KHONG-CO.") in html
    assert 'value="Tên tự nhập"' in html
    token = re.search(r'name="staged" type="hidden" value="([^"]+)"', html) or \
        re.search(r'id="staged" name="staged" type="hidden" value="([^"]+)"', html)
    assert token, "the staged pages travel back in the form"
    assert counts(app) == {"Work": 0, "File": 0}
    assert len(scratch_and_staging(app)) == 1  # the checked pages' ZIP, waiting in staging
    again = post_scan(librarian, [], holding="LV-002", title="Tên tự nhập",
                      staged=token.group(1))
    new = work_id(again)
    with standalone_session(app) as db:
        work = db.get(Work, new)
        assert work.title == "Tên tự nhập" and work.files[0].pages == 1


# --- bad uploads --------------------------------------------------------------------------


BAD_UPLOADS = {
    "not_an_image": ([(b"II*\x00 this is not really a TIFF", "trang1.tif")],
                     "“trang1.tif” is not a TIFF, JPEG or PNG image.",
                     "“trang1.tif” không phải là ảnh TIFF, JPEG hay PNG."),
    "bomb": ([(bomb_png(), "trang2.png")],
             "“trang2.png” is an image of 10000 million pixels; one page may have at most "
             "89 million.",
             "“trang2.png” là ảnh 10000 triệu điểm ảnh; mỗi trang chỉ được tối đa 89 triệu."),
    "zip_slip": ([(zipped({"scan/p1.png": encoded(page(), "PNG"),
                           "scan/../../evil.png": encoded(page(), "PNG")}), "lo.zip")],
                 "The ZIP file “lo.zip” contains “scan/../../evil.png”, which is a link or a "
                 "path outside the archive; nothing was taken from it.",
                 "Tệp ZIP “lo.zip” chứa “scan/../../evil.png”, là liên kết hoặc đường dẫn ra "
                 "ngoài tệp nén; không lấy gì từ tệp này."),
    "zip_bomb": ([(zipped({"p1.tif": bytes(3 * 1024 * 1024)}), "to.zip")],
                 "The ZIP file “to.zip” expands to more than 1 MB.",
                 "Tệp ZIP “to.zip” giải nén ra hơn 1 MB."),
}


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("case", sorted(BAD_UPLOADS))
def test_a_bad_upload_is_answered_with_its_message_and_nothing_is_stored(
        app, librarian, case, language):
    app.config["SCAN_MAX_EXPANDED_MB"] = 1
    librarian.get(f"/lang/{language}")
    images, english, vietnamese = BAD_UPLOADS[case]
    good = (encoded(page(width=1200), "PNG"), "trang0.png")
    response = post_scan(librarian, [good, *images], title="Tựa tự gõ", creators="Lê Văn G",
                         year="2003")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert (english if language == "en" else vietnamese) in html
    assert 'value="Tựa tự gõ"' in html and "Lê Văn G" in html and 'value="2003"' in html
    assert counts(app) == {"Work": 0, "File": 0}
    assert scratch_and_staging(app) == []
    with standalone_session(app) as db:
        assert db.scalar(select(Holding.work_id).where(Holding.holding_id == "LV-001")) is None


def test_too_many_files_are_refused(app, librarian):
    app.config["SCAN_MAX_FILES"] = 2
    images = [(encoded(page(width=1000 + n), "PNG"), f"p{n}.png") for n in range(3)]
    html = post_scan(librarian, images).get_data(as_text=True)
    assert "3 tệp" in html and "tối đa 2" in html
    assert counts(app) == {"Work": 0, "File": 0} and scratch_and_staging(app) == []


def test_an_upload_past_the_size_limit_is_refused(app, librarian):
    app.config["MAX_UPLOAD_MB"] = 1
    noise = Image.frombytes("L", (1200, 1200), os.urandom(1200 * 1200))
    images = [(encoded(noise, "PNG"), "p1.png"), (encoded(noise.rotate(90), "PNG"), "p2.png")]
    response = post_scan(librarian, images)
    assert response.status_code == 400
    assert "1 MB" in response.get_data(as_text=True)
    assert counts(app) == {"Work": 0, "File": 0} and scratch_and_staging(app) == []


def test_no_images_is_a_message_on_the_images_field(app, librarian):
    response = post_scan(librarian, [])
    assert response.status_code == 400
    assert "Hãy chọn các ảnh trang" in response.get_data(as_text=True)
    assert counts(app) == {"Work": 0, "File": 0}


# --- repo-app import: an image folder or ZIP per row ----------------------------------------


IMPORT_COLUMNS = ["file", "title", "creators", "year", "type", "language", "access",
                  "holding_id"]


def test_import_assembles_image_folders_and_zips_beside_pdfs_and_reports_a_bad_row(
        app, runner, register, tmp_path, make_pdf, tesseract_vie):
    catalogue = tmp_path / "catalogue"
    scan = catalogue / "LV-001"
    scan.mkdir(parents=True)
    (scan / "trang10.png").write_bytes(encoded(page(PAGE_TEXTS[3], 1460), "PNG"))
    (scan / "trang2.jpg").write_bytes(encoded(page(PAGE_TEXTS[2], 1440), "JPEG", quality=95))
    (scan / "trang1.tif").write_bytes(multipage_tiff(page(PAGE_TEXTS[0], 1400),
                                                     page(PAGE_TEXTS[1], 1420)))
    (scan / "ghi-chu.txt").write_text("máy quét 2", encoding="utf-8")
    (catalogue / "lv-002.zip").write_bytes(zipped(
        {f"anh/p{n}.png": encoded(page(width=1000 + n), "PNG") for n in (2, 1)}))
    make_pdf("Kinh tế nông thôn Hậu Giang").rename(catalogue / "t0.pdf")
    broken = catalogue / "hong"
    broken.mkdir()
    (broken / "trang1.tif").write_bytes(b"not an image at all")
    manifest = catalogue / "manifest.csv"
    rows = [["LV-001", "Nuôi tôm sú ở Sóc Trăng", "LV-001"],
            ["lv-002.zip", "Lúa mùa nổi", "LV-002"],
            ["t0.pdf", "Kinh tế nông thôn", ""],
            ["hong", "Ảnh hỏng", ""],
            ["khong-co", "Thư mục không có", ""]]
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(IMPORT_COLUMNS) + "\n")
        for file, title, holding in rows:
            handle.write(f"{file},{title},Võ Thị E,2001,master_thesis,vi,open,{holding}\n")
    result = runner.invoke(args=["import", str(catalogue), "--manifest", str(manifest)])
    assert result.exit_code == 1, result.output  # the missing folder is a bad row
    assert "dòng 6" in result.output and "khong-co" in result.output
    report = Path(result.output.split("Báo cáo:")[1].strip()).read_text(encoding="utf-8")
    # Refused images are reported by name, like any file that cannot be stored; no file of
    # theirs is kept (their row's work is written without it, as for an empty PDF).
    lines = {row["line"]: row for row in csv.DictReader(io.StringIO(report))}
    assert (lines["5"]["file"], lines["5"]["status"], lines["5"]["message"]) == (
        "hong", "not_an_image", "“trang1.tif” không phải là ảnh TIFF, JPEG hay PNG.")
    with standalone_session(app) as db:
        by_title = {w.title: w for w in db.scalars(select(Work))}
        folder_file = by_title["Nuôi tôm sú ở Sóc Trăng"].files[0]
        zip_file = by_title["Lúa mùa nổi"].files[0]
        assert (folder_file.pages, folder_file.extraction_status) == (4, "ocr")
        assert zip_file.pages == 2
        assert by_title["Kinh tế nông thôn"].files[0].extraction_status == "ok"
        assert not by_title["Ảnh hỏng"].files and "Thư mục không có" not in by_title
        with app.app_context():
            original = resources.store().path(folder_file.sha256)
    assert page_widths(original) == [1400, 1420, 1440, 1460]
    assert not list((Path(app.config["DATA_DIR"]) / "tmp").glob("scan-*"))
    overall = coverage(runner)
    # LV-002's pages are blank: digitized, but OCR found no text to search.
    assert (overall["holdings"], overall["digitized"], overall["searchable"]) == (2, 2, 1)


def test_every_message_of_ingest_images_is_marked_for_translation():
    from ingest.images import TEMPLATES
    from repo_app.services.scanning import IMAGE_MESSAGES

    assert set(IMAGE_MESSAGES) == set(TEMPLATES.values())
