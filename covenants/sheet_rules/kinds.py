"""Criterion and group kinds, the numbering of codes and the limits on amounts."""

import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_BASE_TOTAL = Decimal(100)
DEFAULT_BONUS_CAP = Decimal(10)
#: ``DecimalField(max_digits=7, decimal_places=2)``: what the database stores.
MAX_AMOUNT = Decimal("99999.99")
#: The models' ``title`` length.
MAX_TITLE = 500
_ROMAN = re.compile(r"^(?=[IVX])X{0,3}(IX|IV|V?I{0,3})$")
_NUMBER = re.compile(r"^[1-9]\d{0,2}$")


class Kind(StrEnum):
    """How a criterion is scored (the model's ``CriterionKind`` uses these values)."""

    POINTS = "points"
    PASS_FAIL = "pass_fail"
    COUNT = "count"
    BONUS = "bonus"
    DEDUCTION = "deduction"


class GroupKind(StrEnum):
    REGULAR = "regular"
    BONUS = "bonus"
    DEDUCTION = "deduction"


#: Names used inside messages.
KIND_NAMES = {
    Kind.POINTS: gettext_lazy("points"),
    Kind.PASS_FAIL: gettext_lazy("pass/fail"),
    Kind.COUNT: gettext_lazy("count"),
    Kind.BONUS: gettext_lazy("bonus"),
    Kind.DEDUCTION: gettext_lazy("deduction"),
}
_FAMILY = {
    Kind.POINTS: GroupKind.REGULAR,
    Kind.PASS_FAIL: GroupKind.REGULAR,
    Kind.COUNT: GroupKind.REGULAR,
    Kind.BONUS: GroupKind.BONUS,
    Kind.DEDUCTION: GroupKind.DEDUCTION,
}
#: The kind of a criterion scored as the sum of its sub-criteria, per group kind.
_SUM_KIND = {
    GroupKind.REGULAR: Kind.POINTS,
    GroupKind.BONUS: Kind.BONUS,
    GroupKind.DEDUCTION: Kind.DEDUCTION,
}


def family_of(kind: str) -> GroupKind | None:
    """The kind of group a criterion of ``kind`` belongs in (None if unknown)."""
    try:
        return _FAMILY[Kind(kind)]
    except ValueError:
        return None


def is_group_code(code: str) -> bool:
    """A Roman numeral from I to XXXIX (no sheet has more groups)."""
    return bool(_ROMAN.match(code))


def format_points(value) -> str:
    """``Decimal("15.00")`` → ``"15"``, ``Decimal("2.50")`` → ``"2.5"``."""
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}"


def _group_kind_name(kind: GroupKind) -> str:
    return {
        GroupKind.REGULAR: _("regular"),
        GroupKind.BONUS: _("bonus"),
        GroupKind.DEDUCTION: _("deduction"),
    }[kind]


def _amount_problem(value, *, allow_zero: bool) -> str | None:
    """What is wrong with an amount (a maximum, a cap, …), or None."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return _("is not a number")
    if not amount.is_finite():
        return _("is not a number")
    if amount < 0:
        return _("cannot be negative")
    if amount == 0 and not allow_zero:
        return _("must be more than 0")
    if amount > MAX_AMOUNT:
        return _("must be less than 100,000")
    if amount != amount.quantize(Decimal("0.01"), rounding="ROUND_DOWN"):
        return _("may have at most two decimals")
    return None
