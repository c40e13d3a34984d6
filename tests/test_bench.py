"""The benchmark's own parts (``config/bench``), without running the benchmark: its
statistics and targets, the table and the report it writes into docs/performance.md,
its arguments, wrk's output, the measured bloc's sheet, and one floor measurement
through the real middleware. Times are never asserted; ``make bench`` measures them."""

import math
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.test import Client, override_settings

from config.bench import checks, report
from config.bench.load import parse_wrk
from config.bench.management.commands.bench import Command
from config.bench.pages import time_page
from config.bench.pdf import standalone_html
from config.bench.stats import Check, format_number, p50, p95, percentile, ratio
from config.bench.world import forty_criteria_draft
from covenants.sheet_rules import template_totals, validate_template
from tests.members.factories import UserFactory

DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def test_percentiles_interpolate_between_closest_ranks():
    assert p50([3, 1, 2]) == 2
    assert p50([1, 2, 3, 4]) == 2.5
    assert p95(list(range(1, 21))) == pytest.approx(19.05)
    assert percentile([7], 95) == 7
    with pytest.raises(ValueError, match="no values"):
        p50([])


def test_a_broken_denominator_fails_its_target_instead_of_passing():
    assert ratio(10, 2) == 5
    assert math.isinf(ratio(1, 0))
    assert not Check("pages", "x", ratio(1, 0), "page").passed
    assert not Check("load", "x", float("nan"), "throughput").passed


def test_checks_compare_with_the_issue_targets():
    assert Check("pages", "x", 5.0, "page").passed
    assert not Check("pages", "x", 5.01, "page").passed
    assert Check("pages", "x", 14.9, "score_entry").passed
    assert Check("load", "x", 0.3, "throughput").passed
    assert not Check("load", "x", 0.29, "throughput").passed
    assert not Check("ballots", "x", 1, "ballot_errors").passed
    check = Check("pdf", "x", 1.234, "pdf")
    assert (check.value_text, check.target_text) == ("1.23×", "≤ 1.20×")
    assert Check("ballots", "x", 0, "ballot_errors").target_text == "≤ 0"
    assert Check.from_dict(check.as_dict()) == check
    assert [format_number(v) for v in (2.0, math.inf, math.nan)] == ["2", "∞", "n/a"]


def _timings(p50_seconds, queries=5, label="Page", target="page"):
    return {"label": label, "p50": p50_seconds, "queries": queries, "target": target}


def test_page_checks_divide_by_the_floor_and_by_the_single_database():
    single = {"floor": _timings(0.002, 2, "Floor"), "overview": _timings(0.008, 9, "Overview")}
    national = {"floor": _timings(0.002, 2, "Floor"), "overview": _timings(0.012, 9, "Overview")}
    results, rows = checks.page_checks(single, national)
    assert [(c.section, c.name, c.value) for c in results] == [
        ("pages", "Overview", pytest.approx(4.0)),
        ("scale", "Overview", pytest.approx(1.5)),
    ]
    assert [c.passed for c in results] == [True, False]
    assert rows[1] == ["Overview", "8.0 ms", 9, "8.0 ms", 9, "12.0 ms", 9]
    only_single, _rows = checks.page_checks(single, None)
    assert [c.section for c in only_single] == ["pages"]


def test_scale_compares_each_database_against_its_own_floor():
    single = {**_timings(0.010, 9, "Overview"), "floor_p50": 0.002}
    # Twice the time, but the machine was twice as busy (the floor too): no growth.
    busy = {**_timings(0.020, 9, "Overview"), "floor_p50": 0.004}
    check = checks.scale_check(single, busy)
    assert check.value == pytest.approx(1.0)
    assert check.passed
    assert "raw 2.00×" in check.detail
    grown = {**_timings(0.020, 9, "Overview"), "floor_p50": 0.002}
    assert not checks.scale_check(single, grown).passed


def test_scale_compares_the_cold_pages_when_they_were_timed():
    """Warm, both databases serve the same cached fragments: only the cold page (every
    fragment built again) says what the amount of data costs."""
    single = {**_timings(0.004, 5, "Overview"), "cold_p50": 0.010, "cold_queries": 9}
    national = {**_timings(0.004, 5, "Overview"), "cold_p50": 0.020, "cold_queries": 9}
    check = checks.scale_check(single, national)
    assert check.value == pytest.approx(2.0)
    assert "cold 20.0 ms ÷ 10.0 ms" in check.detail
    assert "queries 9 → 9" in check.detail


def test_a_page_is_divided_by_the_floor_timed_around_it():
    single = {
        "floor": _timings(0.002, 2, "Floor"),
        "overview": {**_timings(0.008, 9, "Overview"), "floor_p50": 0.004},
    }
    (check,), _rows = checks.page_checks(single, None)
    assert check.value == pytest.approx(2.0)


def test_rounds_are_merged_into_one_median():
    def round_(times, floor_times, queries):
        return {
            "overview": {
                **_timings(p50(times), queries, "Overview"),
                "times": times,
                "floor_times": floor_times,
            }
        }

    merged = checks.merge_rounds([round_([1, 2], [5], 9), round_([3, 10], [7, 9], 8)])
    page = merged["overview"]
    assert page["times"] == [1, 2, 3, 10]
    assert (page["p50"], page["floor_p50"], page["queries"]) == (2.5, 7, 8)


def test_load_with_failed_requests_is_not_a_pass():
    good = {"rps": 100.0, "non_2xx": 0, "socket_errors": 0, "seconds": 10}
    assert checks.load_check({"floor": good, "overview": {**good, "rps": 40.0}}).passed
    failing = {"floor": good, "overview": {**good, "rps": 40.0, "non_2xx": 3}}
    assert not checks.load_check(failing).passed


def test_the_console_table_says_pass_or_fail_per_line():
    table = report.render_table(
        [Check("pages", "Overview", 2.0, "page", "4 ms"), Check("pdf", "Dossier", 2, "pdf")]
    )
    lines = table.splitlines()
    assert lines[0].split() == ["Measure", "Value", "Target", "Result", "Detail"]
    assert "PASS" in lines[2]
    assert "FAIL" in lines[3]


def _run(value):
    return {
        "machine": {"date": "2026-11-23", "CPU": "AMD EPYC", "cores": "2"},
        "settings": {"server time": "in-process"},
        "checks": [Check("pages", "Overview", value, "page", "a | b")],
        "pages": [["Overview", "8.0 ms", 9, "–", "–"]],
    }


def test_the_report_keeps_other_sections_and_the_first_run_as_before():
    original = report.SKELETON + "\n## PDFs: before/after\n\nWritten by hand.\n"
    first = report.update_document(original, report.render_block(_run(7.0)))
    assert "## PDFs: before/after\n\nWritten by hand.\n" in first
    assert "7×" in report.block_of(first, "latest")
    assert "7×" in report.block_of(first, "before")
    assert "a \\| b" in report.block_of(first, "latest")

    second = report.update_document(first, report.render_block(_run(3.0)))
    assert "3×" in report.block_of(second, "latest")
    assert "7×" in report.block_of(second, "before")
    again = report.update_document(second, report.render_block(_run(2.5)), baseline=True)
    assert "2.50×" in report.block_of(again, "before")
    assert again.count("Written by hand.") == 1


def test_a_missing_report_is_created_and_lost_markers_are_restored():
    created = report.update_document(None, report.render_block(_run(1.0)))
    assert created.startswith("# Performance")
    restored = report.update_document("# Notes\n", report.render_block(_run(1.0)))
    assert restored.startswith("# Notes\n")
    assert "1×" in report.block_of(restored, "latest")


def test_the_committed_report_has_the_markers():
    document = DOC.read_text(encoding="utf-8")
    assert report.block_of(document, "latest") is not None
    assert report.block_of(document, "before") is not None


def test_arguments_default_to_the_national_scale_and_accept_iteration_options():
    parser = Command().create_parser("manage.py", "bench")
    defaults = parser.parse_args([])
    assert (defaults.scale, defaults.rounds, defaults.keep_db) == ("national", 3, False)
    quick = parser.parse_args(["--keep-db", "--scale", "ci", "--skip", "load", "pdf"])
    assert (quick.scale, quick.keep_db, quick.skip) == ("ci", True, ["load", "pdf"])
    with pytest.raises(CommandError, match="invalid choice"):
        parser.parse_args(["--scale", "planet"])


def test_wrk_output_is_parsed():
    output = """Running 10s test @ http://127.0.0.1:8000/
  2 threads and 16 connections
  7801 requests in 10.01s, 20.59MB read
  Non-2xx or 3xx responses: 4
  Socket errors: connect 0, read 1, write 0, timeout 2
Requests/sec:    779.52
Transfer/sec:      2.06MB
"""
    assert parse_wrk(output) == {
        "rps": 779.52,
        "requests": 7801,
        "non_2xx": 4,
        "socket_errors": 3,
    }
    assert parse_wrk("")["rps"] == 0.0


def test_the_measured_sheet_has_forty_valid_lines():
    draft = forty_criteria_draft()
    assert validate_template(draft) == []
    assert template_totals(draft).scored_lines == 40


def test_saved_pdf_html_points_at_the_static_files_on_disk():
    html = '<link href="/static/css/print.css"><img src="/static/nope.png">'
    converted = standalone_html(html)
    assert 'href="file:///' in converted
    assert converted.count("file://") == 1
    assert converted.split('"')[1].endswith("/static/css/print.css")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="config.bench.urls")
def test_the_floor_is_timed_through_the_middleware_with_the_session_user():
    client = Client()
    client.force_login(UserFactory())
    result = time_page(client, "/bench/floor/", requests=2, warmup=1)
    assert len(result["times"]) == 2
    # The session and its user, read by the middleware: what every page pays.
    assert result["queries"] == 2


def test_the_site_itself_has_no_floor_page():
    client = Client()
    assert client.get("/bench/floor/").status_code == 404
