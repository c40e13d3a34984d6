"""The two measurements of the query budgets, made once per module (see :mod:`.world`).

``QUERY_BUDGETS_TABLE=path`` writes every page's numbers there as a Markdown table
(docs/performance.md quotes it).
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection, transaction

from .budgets import budget_of
from .measure import Measure, measure_all
from .world import build_small, grow, sign_in


@dataclass(frozen=True)
class Measurements:
    small: dict[str, Measure | Exception]
    large: dict[str, Measure | Exception]


@pytest.fixture(scope="module")
def measurements(django_db_setup, django_db_blocker) -> Measurements:
    """Bloc A's pages on the small database, then bloc B's on the database grown around
    it, inside one transaction rolled back when the module is done (nothing is left for
    the other modules). The tests only compare the numbers."""
    with django_db_blocker.unblock(), transaction.atomic():
        small_world = build_small()
        sign_in(small_world)
        small = measure_all(small_world)
        large_world = grow(small_world)
        sign_in(large_world)
        large = measure_all(large_world)
        # Checked once here, like the authorization world's deferred foreign keys.
        connection.check_constraints()
        transaction.set_rollback(True)
    measured = Measurements(small=small, large=large)
    if path := os.environ.get("QUERY_BUDGETS_TABLE"):
        Path(path).write_text(table(measured), encoding="utf-8")
    return measured


def table(measured: Measurements) -> str:
    """Page, role, queries in the small and the large world, budget."""
    lines = [
        "| page | as | bloc of 5, 1 province | bloc of 15, 3 provinces | budget |",
        "|---|---|---:|---:|---:|",
    ]
    for name, small in measured.small.items():
        large = measured.large.get(name)
        budget = budget_of(name)
        allowed = f"{budget.queries} + {budget.per_nominee}/nominee" if budget.per_nominee else ""
        if isinstance(small, Measure) and isinstance(large, Measure):
            counts = f"{small.count} | {large.count}"
            role = small.role
        else:
            counts, role = "failed | failed", ""
        lines.append(f"| `{name}` | {role} | {counts} | {allowed or budget.queries} |")
    return "\n".join(lines) + "\n"
