"""The pure helpers around the PDF: the Vietnamese date, number and decimal filters, the
url_fetcher that serves only our static files, and the download response."""

import datetime
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.utils import timezone

from config.pdf import (
    BASE_URL,
    StaticURLRefused,
    ascii_filename,
    pdf_response,
    static_file_for_url,
    url_fetcher,
)
from members.templatetags.documents import doc_number, vn_date_line, vn_decimal

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2026, 3, 5), "Quảng Ngãi, ngày 05 tháng 3 năm 2026"),
        (datetime.date(2026, 2, 5), "Quảng Ngãi, ngày 05 tháng 02 năm 2026"),
        (datetime.date(2026, 1, 31), "Quảng Ngãi, ngày 31 tháng 01 năm 2026"),
        (datetime.date(2026, 10, 9), "Quảng Ngãi, ngày 09 tháng 10 năm 2026"),
        (datetime.date(2026, 12, 15), "Quảng Ngãi, ngày 15 tháng 12 năm 2026"),
        # An aware datetime is read in Asia/Ho_Chi_Minh: 18:00 UTC is already the next day.
        (
            datetime.datetime(2026, 2, 28, 18, 0, tzinfo=datetime.UTC),
            "Quảng Ngãi, ngày 01 tháng 3 năm 2026",
        ),
    ],
)
def test_vn_date_line(value, expected):
    assert vn_date_line("Quảng Ngãi", value) == expected


def test_vn_date_line_leaves_blanks_for_an_undated_draft():
    line = vn_date_line("Quảng Ngãi", None)
    assert re.fullmatch(r"Quảng Ngãi, ngày\u00a0{4,}tháng\u00a0{4,}năm\u00a0{4,}", line)


def test_vn_date_line_uses_local_time_for_now():
    today = timezone.localdate()
    assert vn_date_line("Huế", timezone.now()).endswith(f"năm {today.year}")


@pytest.mark.parametrize(
    ("number", "symbol", "expected"),
    [
        (5, "BB-KTĐ6", "Số: 05/BB-KTĐ6"),
        (1, "GƯ-KTĐ6", "Số: 01/GƯ-KTĐ6"),
        (12, "TTr-SYT", "Số: 12/TTr-SYT"),
        (123, "BC-KTĐVHXH", "Số: 123/BC-KTĐVHXH"),
        ("7", "KH-KTĐ6", "Số: 07/KH-KTĐ6"),
    ],
)
def test_doc_number(number, symbol, expected):
    assert doc_number(number, symbol) == expected


def test_doc_number_leaves_room_for_a_handwritten_number():
    # Non-breaking spaces, so HTML does not collapse the room into one space.
    assert re.fullmatch(r"Số:\u00a0{4,}/BB-KTĐ6", doc_number(None, "BB-KTĐ6"))


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (95.5, None, "95,5"),
        (Decimal("95.50"), None, "95,5"),
        (Decimal("100.00"), None, "100"),
        (Decimal("0.25"), None, "0,25"),
        (-2, None, "-2"),
        (Decimal("95.5"), 2, "95,50"),
        (92, "1", "92,0"),
        (None, None, ""),
        ("", None, ""),
    ],
)
def test_vn_decimal(value, places, expected):
    assert vn_decimal(value, places) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.css",
        "https://example.com/static/css/print.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        f"{BASE_URL}media/upload.css",
        f"{BASE_URL}static/../config/settings/base.py",
        f"{BASE_URL}static/css/%2e%2e/%2e%2e/manage.py",
        f"{BASE_URL}static/css/missing.css",
    ],
)
def test_url_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(StaticURLRefused):
        url_fetcher().fetch(url)


def test_url_fetcher_serves_static_files_from_disk():
    response = url_fetcher().fetch(f"{BASE_URL}static/css/print.css")
    assert response.content_type == "text/css"
    assert b"@font-face" in response.read()
    assert static_file_for_url(f"{BASE_URL}static/fonts/LiberationSerif-Bold.ttf") == (
        FONT_DIR / "LiberationSerif-Bold.ttf"
    )


def test_pdf_response_headers_for_a_vietnamese_filename():
    response = pdf_response(b"%PDF-1.7 test", "Biên bản họp Khối thi đua số 6 năm 2026.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == "13"
    disposition = response["Content-Disposition"]
    disposition.encode("ascii")  # a raw non-ASCII header value would be invalid HTTP
    assert disposition.startswith("inline; ")
    assert 'filename="bien-ban-hop-khoi-thi-dua-so-6-nam-2026.pdf"' in disposition
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "Biên bản họp Khối thi đua số 6 năm 2026.pdf"


def test_pdf_response_attachment_and_missing_extension():
    response = pdf_response(b"%PDF", "Giao ước thi đua", inline=False)
    assert response["Content-Disposition"].startswith(
        "attachment; filename=\"giao-uoc-thi-dua.pdf\"; filename*=UTF-8''Giao%20%C6%B0%E1%BB%9Bc"
    )


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("Đại hội Đoàn.pdf", "dai-hoi-doan.pdf"),
        ("Bảng chấm điểm 2026.PDF", "bang-cham-diem-2026.pdf"),
        ("???.pdf", "document.pdf"),
        ("Tờ trình", "to-trinh"),
    ],
)
def test_ascii_filename(filename, expected):
    assert ascii_filename(filename) == expected
