"""Thresholds of the conference's ballots: pure, no database.

A threshold is a share of a base count (domain.md §9 rules 16, 17, 20):
all member units (the default, ">50 % of members"), the units present or
represented, or the valid ballots. It is kept as a fraction ``n/d`` and
compared in whole numbers, so "more than 1/2" of 4 members is 3 votes and
"at least 2/3" of 9 is 6 — never a float that rounds 66.67 % the wrong way.
Here too: the quorum, the certificate quota (rule 21), and the sentences the
minutes quote ("7/9 phiếu = 77,78 % ≥ 2/3 tổng số thành viên"). The tally
of a whole poll is :mod:`awards.tally`.
"""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.formats import number_format
from django.utils.translation import gettext as _

__all__ = [
    "DEFAULT_QUORUM",
    "DEFAULT_THRESHOLD",
    "Base",
    "Threshold",
    "candidate_text",
    "certificate_quota",
    "check_count",
    "percent_of",
    "quorum_met",
    "required_votes",
    "threshold_text",
]

_CENT = Decimal("0.01")


class Base(StrEnum):
    """What a threshold is a share of."""

    MEMBERS = "members"
    PRESENT = "present"
    VALID = "valid"


@dataclass(frozen=True)
class Threshold:
    """``strict``: "more than n/d" (>); otherwise "at least n/d" (≥).

    Checked when built, so an impossible rule ("more than all") never
    reaches a ballot: 0 ≤ n ≤ d, d > 0, and not strict when n = d.
    """

    numerator: int
    denominator: int
    strict: bool
    base: Base

    def __post_init__(self):
        if self.denominator <= 0:
            raise ValueError(f"threshold denominator must be positive, not {self.denominator}")
        if not 0 <= self.numerator <= self.denominator:
            raise ValueError(
                f"threshold numerator must be between 0 and {self.denominator}, "
                f"not {self.numerator}"
            )
        if self.strict and self.numerator == self.denominator:
            raise ValueError("a threshold cannot be more than all of the base")
        Base(self.base)


#: Rules 17 and 20: more than half of all member units.
DEFAULT_THRESHOLD = Threshold(1, 2, True, Base.MEMBERS)
#: Rule 16: at least 2/3 of the member units present or represented.
DEFAULT_QUORUM = (2, 3)


def check_count(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative ({value})")


def required_votes(threshold: Threshold, base_count: int) -> int:
    """The fewest whole votes meeting ``threshold`` of ``base_count``.

    "More than n/d": the smallest v with v·d > n·base; "at least n/d": the
    smallest v with v·d ≥ n·base. Integer arithmetic only, so "at least 2/3"
    of 9 is exactly 6 and "more than 1/2" of 4 is 3.
    """
    check_count("base_count", base_count)
    product = threshold.numerator * base_count
    if threshold.strict:
        return product // threshold.denominator + 1
    return -(-product // threshold.denominator)


def quorum_met(
    present: int,
    members: int,
    numerator: int = DEFAULT_QUORUM[0],
    denominator: int = DEFAULT_QUORUM[1],
) -> bool:
    """At least ``numerator/denominator`` of the members are present or
    represented (rule 16, default 2/3). A bloc without members has no quorum."""
    check_count("present", present)
    check_count("members", members)
    if present > members:
        raise ValueError(f"present ({present}) cannot exceed members ({members})")
    if denominator <= 0 or not 0 <= numerator <= denominator:
        raise ValueError(f"invalid quorum {numerator}/{denominator}")
    return members > 0 and present * denominator >= numerator * members


def certificate_quota(members: int, percent: int | Decimal = 50, flag_units: int = 1) -> int:
    """The most certificates a bloc may propose (rule 21): ``percent`` % of
    the members other than the flag units, rounded down (7 members → 3)."""
    check_count("members", members)
    check_count("flag_units", flag_units)
    share = Decimal(percent)
    if not share.is_finite() or not 0 <= share <= 100:
        raise ValueError(f"percent must be between 0 and 100, not {percent}")
    eligible = max(members - flag_units, 0)
    return int((share * eligible / 100).to_integral_value(rounding=ROUND_FLOOR))


def _of_base(base: Base) -> str:
    return {
        Base.MEMBERS: _("of all members"),
        Base.PRESENT: _("of members present"),
        Base.VALID: _("of valid ballots"),
    }[Base(base)]


def _fraction(threshold: Threshold) -> str:
    return f"{threshold.numerator}/{threshold.denominator}"


def threshold_text(threshold: Threshold, base_count: int) -> str:
    """The rule as the minutes quote it: "at least 2/3 of all members: 6
    votes needed". The count is never below 1 (see the module docstring)."""
    values = {
        "fraction": _fraction(threshold),
        "of_base": _of_base(threshold.base),
        "required": max(required_votes(threshold, base_count), 1),
    }
    # Two messages rather than ngettext: "1 vote" is the only singular in
    # English, and Vietnamese has a single form.
    if values["required"] == 1:
        if threshold.strict:
            return _("more than %(fraction)s %(of_base)s: 1 vote needed") % values
        return _("at least %(fraction)s %(of_base)s: 1 vote needed") % values
    if threshold.strict:
        return _("more than %(fraction)s %(of_base)s: %(required)s votes needed") % values
    return _("at least %(fraction)s %(of_base)s: %(required)s votes needed") % values


def percent_of(votes: int, base_count: int) -> Decimal:
    if not base_count:
        return Decimal("0.00")
    return (Decimal(votes * 100) / Decimal(base_count)).quantize(_CENT, rounding=ROUND_HALF_UP)


def candidate_text(
    votes: int, base_count: int, percent: Decimal, passed: bool, threshold: Threshold
) -> str:
    # Failing "more than" is "not more than" (≤); failing "at least", "less than".
    sign = {(True, True): ">", (True, False): "≥", (False, True): "≤", (False, False): "<"}[
        (passed, threshold.strict)
    ]
    return _("%(votes)s/%(base)s votes = %(percent)s %% %(sign)s %(fraction)s %(of_base)s") % {
        "votes": votes,
        "base": base_count,
        "percent": number_format(percent, decimal_pos=2, use_l10n=True),
        "sign": sign,
        "fraction": _fraction(threshold),
        "of_base": _of_base(threshold.base),
    }
