"""Pure output of the benchmark: the console table and ``docs/performance.md``.

The document is shared: engineers append sections of their own (before/after notes, the
query budgets). The benchmark only rewrites what lies between its markers:

* ``bench:latest`` — the table of the run that just finished, with its machine;
* ``bench:before`` — the first complete run, written once (when the block is empty) or
  again with ``--baseline``, so the document keeps the numbers from before the fixes.

Everything outside the markers is kept byte for byte. A missing document is created from
:data:`SKELETON`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .stats import Check

MARKERS = ("latest", "before")

SKELETON = """# Performance

Measured by `make bench`; see "How the benchmark measures" below.

## Latest run

<!-- bench:latest:start -->
<!-- bench:latest:end -->

## Before the fixes (first complete run)

<!-- bench:before:start -->
<!-- bench:before:end -->
"""


def _pad(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))


def render_table(checks: Iterable[Check]) -> str:
    """The console table: measure, value, target, PASS/FAIL, details."""
    rows = [["Measure", "Value", "Target", "Result", "Detail"]]
    for check in checks:
        rows.append(
            [
                f"{check.section}: {check.name}",
                check.value_text,
                check.target_text,
                "PASS" if check.passed else "FAIL",
                check.detail,
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [_pad(rows[0], widths), _pad(["-" * w for w in widths], widths)]
    lines += [_pad(row, widths) for row in rows[1:]]
    return "\n".join(line.rstrip() for line in lines)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(header: list[str], rows: Iterable[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def render_block(run: dict) -> str:
    """The Markdown of one run: machine, settings, the checks, then the raw timings.

    ``run`` holds ``machine`` and ``settings`` (name → value), ``checks`` (a list of
    :class:`Check`) and optionally ``pages`` (rows of page timings).
    """
    checks = run["checks"]
    passed = sum(check.passed for check in checks)
    parts = [
        f"Run on {run['machine'].get('date', '?')}: **{passed} of {len(checks)} targets met**.",
        "",
        markdown_table(["Machine", ""], [[key, value] for key, value in run["machine"].items()]),
        "",
        markdown_table(["Setting", ""], [[key, value] for key, value in run["settings"].items()]),
        "",
        markdown_table(
            ["Section", "Measure", "Value", "Target", "Result", "Detail"],
            [
                [
                    c.section,
                    c.name,
                    c.value_text,
                    c.target_text,
                    "pass" if c.passed else "**FAIL**",
                    c.detail,
                ]
                for c in checks
            ],
        ),
    ]
    if run.get("pages"):
        parts += [
            "",
            "Server time per page (in-process, p50 of the timed requests) and its queries;"
            " warm: read again with nothing written in between, cold: every cached fragment"
            " built again (members.caching):",
            "",
            markdown_table(
                [
                    "Page",
                    "Single-bloc p50 (warm)",
                    "Queries",
                    "Cold p50",
                    "Queries",
                    "National cold p50",
                    "Queries",
                ],
                run["pages"],
            ),
        ]
    return "\n".join(parts)


def _marker_pattern(name: str) -> re.Pattern:
    return re.compile(
        rf"(<!-- bench:{name}:start -->\n)(.*?)(<!-- bench:{name}:end -->)", re.DOTALL
    )


def block_of(document: str, name: str) -> str | None:
    """The text between a marker pair, or None when the markers are missing."""
    match = _marker_pattern(name).search(document)
    return None if match is None else match.group(2)


def update_document(existing: str | None, block: str, *, baseline: bool = False) -> str:
    """``existing`` with the run's ``block`` as the latest run, and as the "before" run
    too when that block is empty or ``baseline`` is asked; the rest is kept as it is."""
    document = existing if existing is not None else SKELETON
    for name in MARKERS:
        if block_of(document, name) is None:
            document = document.rstrip("\n") + (
                f"\n\n<!-- bench:{name}:start -->\n<!-- bench:{name}:end -->\n"
            )
    targets = ["latest"]
    if baseline or not (block_of(document, "before") or "").strip():
        targets.append("before")
    for name in targets:
        document = _marker_pattern(name).sub(
            lambda match: match.group(1) + block.rstrip("\n") + "\n" + match.group(3),
            document,
            count=1,
        )
    return document
