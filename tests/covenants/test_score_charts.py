"""The SVG charts, without a database: accessible, escaped, deterministic,
Decimal-safe; and one real WeasyPrint render whose labels read back as text."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from covenants.scores.charts import bar_chart, grouped_bars, trend_line
from covenants.scores.documents import PDF_FONT
from members.templatetags.documents import vn_decimal

SVG = "{http://www.w3.org/2000/svg}"
NAMES = ["Sở Văn hóa, Thể thao và Du lịch", "Đài Phát thanh và Truyền hình tỉnh"]


def _tree(svg: str) -> ET.Element:
    """Parsing proves the markup is well-formed XML (so escaping held)."""
    return ET.fromstring(str(svg))


def _texts(svg: str) -> list[str]:
    return [element.text for element in _tree(svg).iter(f"{SVG}text")]


def _bar_widths(svg: str) -> list[Decimal]:
    return [Decimal(rect.get("width")) for rect in _tree(svg).iter(f"{SVG}rect")]


CHARTS = [
    lambda: bar_chart([("Sở Y tế", Decimal("90.5"))], title="Tổng điểm"),
    lambda: grouped_bars(["I", "II"], [("Sở Y tế", [40, 12])], title="Tổng điểm"),
    lambda: trend_line([(2025, 88), (2026, 91)], title="Tổng điểm"),
]


@pytest.mark.parametrize("chart", CHARTS)
def test_every_chart_is_an_accessible_image(chart):
    svg = chart()
    root = _tree(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Tổng điểm"
    assert root.find(f"{SVG}title").text == "Tổng điểm"
    assert root.find(f"{SVG}desc").text  # the values in words, for screen readers
    assert "<script" not in svg
    assert "font-family" not in svg  # pages: the text inherits the page's font


@pytest.mark.parametrize("chart", CHARTS)
def test_the_same_input_gives_the_same_bytes(chart):
    assert str(chart()) == str(chart())


def test_labels_with_markup_characters_are_escaped():
    evil = "Sở A & B <script>alert(1)</script>"
    svg = bar_chart([(evil, 10)], title='Điểm "cao" & <thấp>')
    assert "<script>" not in svg
    assert evil in _texts(svg)
    assert _tree(svg).find(f"{SVG}title").text == 'Điểm "cao" & <thấp>'
    grouped = grouped_bars(["I & II"], [("<Đơn vị>", [1])])
    assert "I & II" in _texts(grouped)
    assert "<Đơn vị>" in _texts(grouped)
    trend = trend_line([(2026, 5)], annotations={2026: "hạng <1>"})
    assert "hạng <1>" in _texts(trend)


def test_vietnamese_labels_come_out_unchanged_and_values_as_given():
    svg = bar_chart(
        [(NAMES[0], Decimal("95.50")), (NAMES[1], Decimal("88.25"))],
        max_value=110,
        number_format=vn_decimal,
    )
    texts = _texts(svg)
    assert texts == [NAMES[0], "95,5", NAMES[1], "88,25"]
    assert f"{NAMES[0]}: 95,5" in _tree(svg).find(f"{SVG}desc").text


@pytest.mark.parametrize("chart", [bar_chart, lambda items, **kw: grouped_bars([], [], **kw)])
def test_empty_input_says_there_is_nothing_yet(chart):
    svg = chart([], title="Tổng điểm")
    assert _texts(svg) == ["No data to show yet."]
    assert _tree(svg).get("role") == "img"
    assert "<rect" not in svg
    assert _texts(trend_line([(2026, None)])) == ["No data to show yet."]


def test_a_zero_maximum_draws_no_bar_instead_of_dividing_by_zero():
    svg = bar_chart([("Sở A", 0), ("Sở B", 0)])
    assert "<rect" not in svg
    assert _texts(svg) == ["Sở A", "0", "Sở B", "0"]
    assert "<rect" not in bar_chart([("Sở A", 5)], max_value=0)
    grouped = grouped_bars(["I"], [("Sở A", [0])], max_value=0)
    assert "<rect" not in grouped.split("</text>", 1)[1]  # only the legend swatch


def test_bars_are_proportional_in_exact_decimals_and_capped_at_the_maximum():
    svg = bar_chart([("A", Decimal("50")), ("B", 25), ("C", 0.1), ("D", 500)], max_value=100)
    widths = _bar_widths(svg)
    assert widths[0] == 2 * widths[1]
    assert widths[3] == 2 * widths[0]  # above the maximum: a full row, no overflow
    assert all(re.fullmatch(r"\d+\.\d", str(width)) for width in widths)  # one decimal, no 1E+2
    assert "0.1" in _texts(svg)  # the float went through str(), not binary noise


def test_grouped_bars_show_a_legend_and_a_dash_for_missing_values():
    svg = grouped_bars(
        ["I", "II", "III"],
        [("Sở Y tế", [Decimal("40.5"), 12, None]), ("Bình quân khối", [38, 13, 9])],
        number_format=vn_decimal,
    )
    texts = _texts(svg)
    assert texts[:2] == ["Sở Y tế", "Bình quân khối"]
    assert {"I", "II", "III", "40,5", "38", "–", "9"} <= set(texts)
    desc = _tree(svg).find(f"{SVG}desc").text
    assert "III: Sở Y tế –, Bình quân khối 9" in desc


def test_the_trend_line_joins_the_years_in_order_with_their_notes():
    svg = trend_line(
        [(2024, Decimal("85")), (2025, None), (2026, Decimal("92.5"))],
        max_value=110,
        annotations={2026: "hạng 1/7"},
        number_format=vn_decimal,
    )
    root = _tree(svg)
    assert len(root.find(f"{SVG}polyline").get("points").split()) == 2  # 2025 has no value
    assert {"2024", "2026", "85", "92,5", "hạng 1/7"} <= set(_texts(svg))
    assert "2025" not in _texts(svg)
    single = trend_line([(2026, 90)])
    assert _tree(single).find(f"{SVG}polyline") is None
    assert len(list(_tree(single).iter(f"{SVG}circle"))) == 1


def test_a_pdf_with_a_chart_renders_and_its_labels_extract_as_text():
    """WeasyPrint draws inline SVG itself; with the bundled family its
    Vietnamese labels come back exactly (no database needed)."""
    from weasyprint import HTML

    from config.pdf import BASE_URL, font_config, static_prefix, url_fetcher

    chart = bar_chart(
        [(NAMES[0], Decimal("95.5")), (NAMES[1], Decimal("88.25"))],
        max_value=110,
        number_format=vn_decimal,
        font_family=PDF_FONT,
    )
    html = (
        f'<html><head><link rel="stylesheet" href="{static_prefix()}css/print.css">'
        f"</head><body>{chart}</body></html>"
    )
    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).write_pdf(
        font_config=font_config()
    )
    text = " ".join(PdfReader(BytesIO(pdf)).pages[0].extract_text().split())
    for expected in [*NAMES, "95,5", "88,25"]:
        assert expected in text
