"""The PDF foundation: real WeasyPrint renders of ``templates/pdf/sample.html``, read back
with poppler (``pdftotext``, ``pdffonts``) and pypdf (the pure helpers around it are in
``test_pdf_filters.py``).

The Vietnamese text must come back exactly from the PDF: that proves every glyph is in the
bundled Liberation Serif 2.x (a missing glyph would be drawn from another font, or as a
box, and the font check or the text check would fail).
"""

import datetime
import os
import re
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from config.pdf import (
    BASE_URL,
    PdfRenderError,
    render_pdf,
    static_file_for_url,
    url_fetcher,
)

REPO = Path(settings.BASE_DIR)
FONT_DIR = REPO / "static" / "fonts"
FONT_FILES = {
    "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic.ttf",
    "LiberationSerif-BoldItalic.ttf",
}

SAMPLE_CONTEXT = {
    "issuer_superior": "UBND TỈNH QUẢNG NGÃI",
    "issuer_body": "KHỐI THI ĐUA SỐ 6",
    "number": 1,
    "symbol": "BB-KTĐ6",
    "place": "Quảng Ngãi",
    "issued_on": datetime.date(2026, 3, 5),
    "rows": [
        {
            "agency": "Sở Văn hóa, Thể thao và Du lịch",
            "name": "Nguyễn Văn Hùng",
            "title": "Giám đốc",
        },
        {
            "agency": "Đài Phát thanh và Truyền hình tỉnh",
            "name": "Lê Thị Ngọc Ánh",
            "title": "Phó Giám đốc",
        },
        {
            "agency": "Trường Cao đẳng Cộng đồng",
            "name": "Phạm Quốc Dũng",
            "title": "Hiệu trưởng",
            "note": "Vắng, ủy quyền",
        },
    ],
    "secretary": {"position": "Thư ký", "name": "Trần Thị Thủy"},
    "chair": {"position": "Chủ trì", "name": "Nguyễn Văn Hùng"},
    "recipients": ["Ban Thi đua - Khen thưởng tỉnh", "Các đơn vị thành viên Khối", "Lưu: VT, KTĐ6"],
    "scores": [
        ("Sở Văn hóa, Thể thao và Du lịch", Decimal("95.50")),
        ("Đài Phát thanh và Truyền hình tỉnh", 92.25),
    ],
}

# Strings that must come back from the PDF exactly (whitespace aside).
EXPECTED_TEXT = [
    "UBND TỈNH QUẢNG NGÃI",
    "KHỐI THI ĐUA SỐ 6",
    "Số: 01/BB-KTĐ6",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Quảng Ngãi, ngày 05 tháng 3 năm 2026",
    "BIÊN BẢN",
    "Họp Khối thi đua số 6 ký kết giao ước thi đua năm 2026",
    "Sở Văn hóa, Thể thao và Du lịch; Đài Phát thanh và Truyền hình tỉnh; "
    "Trường Cao đẳng Cộng đồng.",
    "Những chữ khó: ỹ ữ ặ ẫ ỗ ợ ự; Ỹ Ữ Ặ Ẫ Ỗ Ợ Ự; ằ ẳ ẵ ắ ầ ẩ ấ ề ể ễ ế ệ ồ ổ ố ộ "
    "ờ ở ỡ ớ ừ ử ứ ỳ ỷ ý ỵ đ Đ.",
    "phát hiện, bồi dưỡng và nhân rộng các điển hình tiên tiến",
    "Đơn vị có tổng điểm cao nhất được suy tôn là đơn vị dẫn đầu",
    "95,5",
    "92,25",
    "Họ và tên",
    "Ký tên / ghi chú",
    "Lê Thị Ngọc Ánh",
    "Vắng, ủy quyền",
    "THƯ KÝ",
    "CHỦ TRÌ",
    "Trần Thị Thủy",
    "Nơi nhận:",
    "- Ban Thi đua - Khen thưởng tỉnh;",
    "- Lưu: VT, KTĐ6.",
]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install poppler-utils (make setup-dev)")
    return path


def _run(*args: str) -> str:
    return subprocess.run(
        [_tool(args[0]), *args[1:]], check=True, capture_output=True, text=True
    ).stdout


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _pages_text(pdf_path: Path) -> list[str]:
    """``pdftotext -layout`` per page (form feeds separate the pages)."""
    return _run("pdftotext", "-layout", str(pdf_path), "-").split("\f")


@pytest.fixture(scope="module")
def output_dir() -> Path:
    directory = Path(os.environ.get("TEST_OUTPUT_DIR", REPO / "test-results"))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render_pdf("pdf/sample.html", SAMPLE_CONTEXT)


@pytest.fixture(scope="module")
def sample_path(sample_pdf, output_dir) -> Path:
    """The sample on disk for poppler, kept in the test output for people to open."""
    path = output_dir / "pdf-sample.pdf"
    path.write_bytes(sample_pdf)
    return path


def test_sample_is_a_pdf_of_at_least_two_a4_portrait_pages(sample_pdf):
    assert sample_pdf.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(sample_pdf))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
            595,
            842,
        )
    assert reader.metadata.title == "Biên bản họp Khối thi đua số 6"


@pytest.mark.parametrize("expected", EXPECTED_TEXT)
def test_pdftotext_gives_the_vietnamese_text_back(sample_path, expected):
    assert expected in _squash(" ".join(_pages_text(sample_path)))


@pytest.mark.parametrize("expected", EXPECTED_TEXT)
def test_pypdf_gives_the_vietnamese_text_back(sample_pdf, expected):
    reader = PdfReader(BytesIO(sample_pdf))
    assert expected in _squash(" ".join(page.extract_text() for page in reader.pages))


def test_page_numbers_are_in_the_top_margin_from_page_two(sample_path):
    pages = _pages_text(sample_path)
    first_lines = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    assert first_lines[0][0].startswith("UBND TỈNH QUẢNG NGÃI")  # no number above the header
    assert "1" not in first_lines[0]
    assert first_lines[1][0] == "2"


def test_only_the_bundled_liberation_serif_is_embedded(sample_path, sample_pdf):
    """``pdffonts`` shows the CSS family of each embedded font; the font programs themselves
    must be Liberation Serif 2.x. DejaVu (what ``serif`` resolves to) or any fallback would
    appear as another name."""
    rows = _run("pdffonts", str(sample_path)).splitlines()[2:]
    names = {row.split()[0].split("+", 1)[-1] for row in rows}
    assert names == {
        "Thi-Dua-Serif",
        "Thi-Dua-Serif-Bold",
        "Thi-Dua-Serif-Italic",
        "Thi-Dua-Serif-Bold-Italic",
    }
    assert all(" yes yes yes " in row for row in rows)  # embedded, subset, with Unicode map

    programs = set()
    for page in PdfReader(BytesIO(sample_pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            data = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            name_table = TTFont(BytesIO(data))["name"]
            assert name_table.getDebugName(1) == "Liberation Serif"
            assert name_table.getDebugName(5).startswith("Version 2.")
            programs.add(name_table.getDebugName(6))
    assert programs == {
        "LiberationSerif",
        "LiberationSerif-Bold",
        "LiberationSerif-Italic",
        "LiberationSerif-BoldItalic",
    }


def test_the_fonts_are_loaded_from_the_repository_not_the_host():
    """A fresh FontConfiguration (the shared one caches fonts it has already loaded) must
    fetch all four @font-face files from static/fonts."""
    from django.template.loader import render_to_string
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fetched = []
    fetcher_class = type(url_fetcher())

    class RecordingFetcher(fetcher_class):
        def fetch(self, url, headers=None):
            fetched.append(static_file_for_url(url))
            return super().fetch(url, headers)

    html = render_to_string("pdf/sample.html", SAMPLE_CONTEXT)
    HTML(string=html, base_url=BASE_URL, url_fetcher=RecordingFetcher()).write_pdf(
        font_config=FontConfiguration()
    )
    fonts = {path for path in fetched if path.suffix == ".ttf"}
    assert {path.name for path in fonts} == FONT_FILES
    assert all(path.parent == FONT_DIR for path in fonts)
    assert (FONT_DIR / "LICENSE-LiberationSerif.txt").read_text().count("SIL OPEN FONT LICENSE")


def test_first_page_preview_png(sample_path, output_dir):
    """A 60 dpi picture of page 1 in the test output, for a person to check the layout."""
    prefix = output_dir / "pdf-sample-page1"
    _run(
        "pdftoppm",
        "-r",
        "60",
        "-png",
        "-f",
        "1",
        "-l",
        "1",
        "-singlefile",
        str(sample_path),
        str(prefix),
    )
    png = prefix.with_suffix(".png")
    assert png.read_bytes().startswith(b"\x89PNG")


def test_landscape_flag_turns_every_page():
    pdf = render_pdf("pdf/sample.html", {**SAMPLE_CONTEXT, "landscape": True})
    pages = PdfReader(BytesIO(pdf)).pages
    assert all(page.mediabox.width > page.mediabox.height for page in pages)


def _with_templates(settings, templates: dict[str, str]) -> None:
    """Serve extra in-memory templates, in front of the project's own."""
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [REPO / "templates"],
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.locmem.Loader", templates),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ]
            },
        }
    ]


def test_a_refused_resource_stops_the_render(settings):
    _with_templates(settings, {"leak.html": '<p>x</p><img src="file:///etc/passwd">'})
    with pytest.raises(PdfRenderError, match=r"leak\.html"):
        render_pdf("leak.html", {})


def test_single_signer_closing_and_context_defaults(settings):
    """A Tờ trình built from the context alone: multi-line issuer, number and date left
    blank for the clerk, recipients beside the signature (pdf/_closing.html)."""
    _with_templates(
        settings,
        {
            "proposal.html": '{% extends "pdf/base.html" %}'
            "{% block content %}<p>Kính trình Ủy ban nhân dân tỉnh xem xét.</p>{% endblock %}"
            '{% block signatures %}{% include "pdf/_closing.html" %}{% endblock %}'
            "{% block recipients %}{% endblock %}"
        },
    )
    pdf = render_pdf(
        "proposal.html",
        {
            "issuer_superior": "UBND TỈNH QUẢNG NGÃI",
            "issuer_body": "SỞ VĂN HÓA, THỂ THAO\nVÀ DU LỊCH",
            "number": None,
            "symbol": "TTr-SVHTTDL",
            "place": "Quảng Ngãi",
            "issued_on": None,
            "doc_type": "Tờ trình",
            "summary": "Về việc đề nghị tặng Cờ thi đua của Ủy ban nhân dân tỉnh",
            "recipients": ["Như trên", "Lưu: VT, KTĐ6"],
            "signer": {
                "authority": "KT. Giám đốc",
                "position": "Phó Giám đốc",
                "name": "Lê Văn Tâm",
            },
        },
    )
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 1
    assert reader.metadata.title == (
        "Tờ trình - Về việc đề nghị tặng Cờ thi đua của Ủy ban nhân dân tỉnh"
    )
    lines = [_squash(line) for line in reader.pages[0].extract_text().splitlines()]
    for expected in [
        "SỞ VĂN HÓA, THỂ THAO",
        "VÀ DU LỊCH",
        "Số: /TTr-SVHTTDL",
        "Quảng Ngãi, ngày tháng năm",
        "TỜ TRÌNH",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Lê Văn Tâm",
        "- Như trên;",
        "- Lưu: VT, KTĐ6.",
    ]:
        assert expected in lines
