"""Pure statistics and targets of the benchmark (no Django, no database).

Every result is a :class:`Check`: a measured value, the target it is held to and whether
it passes. The targets are those of issue 9, in one place (:data:`TARGETS`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

#: Issue 9's targets: (comparison, limit). "le": value ≤ limit, "ge": value ≥ limit.
TARGETS = {
    "page": ("le", 5.0),  # p50 of a page ÷ p50 of the floor
    "score_entry": ("le", 15.0),  # the score-entry page (15 members × 40 criteria)
    "pdf": ("le", 1.2),  # dossier build ÷ WeasyPrint alone on the same HTML
    "scale": ("le", 1.3),  # a page on the national database ÷ on the single-bloc one
    "ballot_errors": ("le", 0),  # 15 ballots at once: failed ones
    "throughput": ("ge", 0.3),  # req/s of the bloc overview ÷ req/s of the floor
}


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation between closest ranks
    (NumPy's default), so p50 of an even count is the mean of the middle two."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside 0-100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def p50(values: Sequence[float]) -> float:
    return percentile(values, 50)


def p95(values: Sequence[float]) -> float:
    return percentile(values, 95)


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``; infinite when the denominator is not positive (a
    broken measurement must fail its target, never pass as 0)."""
    if denominator <= 0:
        return math.inf
    return numerator / denominator


@dataclass(frozen=True)
class Check:
    """One line of the results table."""

    section: str  # "pages", "scale", "pdf", "ballots", "load"
    name: str
    value: float
    target: str  # a TARGETS key
    detail: str = ""  # the raw numbers behind the value, in words

    @property
    def limit(self) -> float:
        return TARGETS[self.target][1]

    @property
    def passed(self) -> bool:
        comparison, limit = TARGETS[self.target]
        if math.isnan(self.value):
            return False
        return self.value <= limit if comparison == "le" else self.value >= limit

    @property
    def target_text(self) -> str:
        comparison, limit = TARGETS[self.target]
        sign = "≤" if comparison == "le" else "≥"
        unit = "" if self.target == "ballot_errors" else "×"
        return f"{sign} {format_number(limit)}{unit}"

    @property
    def value_text(self) -> str:
        unit = "" if self.target == "ballot_errors" else "×"
        return f"{format_number(self.value)}{unit}"

    def as_dict(self) -> dict:
        return {**asdict(self), "passed": self.passed}

    @classmethod
    def from_dict(cls, data: dict) -> Check:
        return cls(
            **{key: data[key] for key in ("section", "name", "value", "target")},
            detail=data.get("detail", ""),
        )


def format_number(value: float) -> str:
    """Two decimals for ratios, none for whole numbers; "∞" and "n/a" for the broken."""
    if math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return "∞"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}"


def ms(seconds: float) -> str:
    """Seconds as milliseconds for the details column."""
    return f"{seconds * 1000:.1f} ms"
