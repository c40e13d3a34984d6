"""The in-memory PDF cache of ``config.pdf``: the same HTML is printed once per process,
other HTML (or the same HTML with a changed static file) is printed again.

WeasyPrint's runs are counted by ``config.pdf.stats`` (a real counter in the renderer),
so "served without printing" is measured, not assumed.
"""

import datetime

import pytest

from config import pdf
from config.pdf import PdfCache, render_pdf, stats

pytestmark = pytest.mark.rendering

CONTEXT = {
    "issuer_superior": "UBND TỈNH QUẢNG NGÃI",
    "issuer_body": "KHỐI THI ĐUA SỐ 6",
    "doc_type": "BIÊN BẢN",
    "summary": "Họp Khối thi đua số 6",
    "place": "Quảng Ngãi",
    "issued_on": datetime.date(2026, 12, 18),
}


@pytest.fixture(autouse=True)
def empty_cache():
    pdf.cache.clear()
    yield
    pdf.cache.clear()


def test_the_same_document_is_printed_once_and_served_again_byte_for_byte():
    renders = stats.renders
    first = render_pdf("pdf/sample.html", CONTEXT)
    hits = stats.cache_hits
    second = render_pdf("pdf/sample.html", dict(CONTEXT))
    assert second == first
    assert stats.renders == renders + 1
    assert stats.cache_hits == hits + 1


def test_changed_data_is_printed_again():
    first = render_pdf("pdf/sample.html", CONTEXT)
    renders = stats.renders
    changed = render_pdf("pdf/sample.html", {**CONTEXT, "issuer_body": "KHỐI THI ĐUA SỐ 2"})
    assert stats.renders == renders + 1
    assert changed != first
    # Both stay cached: going back to the first data prints nothing.
    assert render_pdf("pdf/sample.html", CONTEXT) == first
    assert stats.renders == renders + 1


def test_use_cache_false_always_prints():
    render_pdf("pdf/sample.html", CONTEXT)
    renders = stats.renders
    render_pdf("pdf/sample.html", CONTEXT, use_cache=False)
    assert stats.renders == renders + 1


def test_an_entry_is_dropped_when_a_static_file_it_read_changed(tmp_path):
    """Same HTML, another stylesheet: the PDF would differ, so it is not served."""
    stylesheet = tmp_path / "print.css"
    stylesheet.write_text("body { margin: 0 }")
    cache = PdfCache()
    key = PdfCache.key("<p>x</p>")
    cache.put(key, b"%PDF-1", [stylesheet])
    assert cache.get(key) == b"%PDF-1"
    stylesheet.write_text("body { margin: 10mm }")
    assert cache.get(key) is None
    assert len(cache) == 0


def test_the_oldest_entries_go_first_beyond_the_size_limit(tmp_path):
    cache = PdfCache(max_bytes=10)
    for name in "abc":
        cache.put(name, name.encode() * 4, [])
    cache.get("b")  # used: now newer than "c"
    cache.put("d", b"dddd", [])
    assert cache.get("a") is None
    assert cache.get("c") is None
    assert cache.get("b") == b"bbbb"
    assert cache.get("d") == b"dddd"
