"""Query budgets: every page makes as many queries for a bloc of 15 members in a database
of three provinces and years of history as for a bloc of 5 in a database of one
province (no N+1 anywhere), and no more than its budget (:mod:`.budgets`). The one
exception is declared: a download of one file per nominee (the dossier) may grow by at
most a declared number of queries per nominee.

The pages come from the URLconf (:func:`.measure.page_order`): a new page is measured,
with the default budget, without being listed. Both worlds are built and measured once
for the module (:mod:`.conftest`); each test compares one page's two numbers. On a
difference the message lists the query shapes whose number differs.
"""

import re
from collections import Counter

import pytest

from .budgets import BUDGETS, DEFAULT, budget_of
from .measure import Measure, page_order, role_for
from .world import LARGE, SMALL, nominees

pytestmark = pytest.mark.django_db

PAGES = page_order()

_LITERALS = re.compile(r"'(?:[^']|'')*'|\"s\w+_x\d+\"|\b\d+(?:\.\d+)?\b")


def _shape(sql: str) -> str:
    """The query without its values: the same query for another row has the same shape."""
    return _LITERALS.sub("?", sql)


def _difference(small: Measure, large: Measure) -> str:
    """The shapes the two pages ran a different number of times (an N+1's loop)."""
    counts_small = Counter(map(_shape, small.queries))
    counts_large = Counter(map(_shape, large.queries))
    lines = [
        f"  {counts_small[shape]} → {counts_large[shape]}: {shape[:300]}"
        for shape in sorted(counts_small.keys() | counts_large.keys())
        if counts_small[shape] != counts_large[shape]
    ]
    return "\n".join(lines[:20])


def _measured(result, name, world):
    if isinstance(result, Exception):
        raise AssertionError(f"{name} failed on the {world} world: {result!r}") from result
    assert result.got == result.expected, (
        f"GET {result.url} ({name}) as {result.role} on the {world} world: {result.got}, "
        f"expected {result.expected}"
    )
    return result


@pytest.mark.parametrize("name", PAGES)
def test_page_queries_do_not_grow_and_fit_the_budget(measurements, name):
    assert role_for(name) is not None, (
        f"{name} has no GET entry in tests/security/access_table.py: declare who may open it"
    )
    small = _measured(measurements.small[name], name, "small")
    large = _measured(measurements.large[name], name, "large")
    budget = budget_of(name)
    allowed = budget.per_nominee * (nominees(LARGE) - nominees(SMALL))
    assert 0 <= large.count - small.count <= allowed, (
        f"{name}: {small.count} queries for a bloc of {SMALL}, {large.count} for a bloc of "
        f"{LARGE} in a larger database (as {small.role}):\n{_difference(small, large)}"
    )
    assert small.count <= budget.queries, (
        f"{name}: {small.count} queries, budget {budget.queries} (as {small.role})"
    )


def test_explicit_budgets_are_needed_and_explained(measurements):
    """An explicit budget names a page that exists, says why, and is still needed (the
    page makes more queries than the default): a paid debt leaves the list."""
    problems = []
    for name, budget in BUDGETS.items():
        result = measurements.small.get(name)
        if name not in PAGES or not isinstance(result, Measure):
            problems.append(f"{name}: not a measured page")
        elif not budget.reason.strip():
            problems.append(f"{name}: no reason given")
        elif budget.queries <= DEFAULT or result.count <= DEFAULT:
            problems.append(f"{name}: {result.count} queries, the default {DEFAULT} is enough")
    assert not problems, "\n".join(problems)
