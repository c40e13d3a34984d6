"""Template helpers for Decree 30/2020 administrative documents (``{% load documents %}``).

The functions are plain Python so the apps' ``documents.py`` modules and the tests can use
them without a template. Output is always Vietnamese, whatever the interface language:
these strings only appear in official documents.
"""

import datetime
import functools
from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.numberformat import format as format_number

register = template.Library()

# Decree 30/2020, Appendix I: days below 10 and months 1 and 2 take a leading zero, so a
# handwritten "1" cannot later be turned into "11" or "12" (the other months already have
# no room for that).
_MONTHS_WITH_LEADING_ZERO = {1, 2}

# Room for a handwritten number or date on a draft. Non-breaking spaces, because HTML (and
# so the PDF) would collapse ordinary ones into a single space.
BLANK = "\u00a0" * 8


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    """A calendar date; aware datetimes are read in the project's time zone first."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


@register.simple_tag(name="vn_date")
def vn_date(value: datetime.date | datetime.datetime) -> str:
    """ "ngày 05 tháng 3 năm 2026": the date part of a Decree 30 place-and-date line."""
    day = _as_date(value)
    month = f"{day.month:02d}" if day.month in _MONTHS_WITH_LEADING_ZERO else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


@register.simple_tag(name="vn_date_line")
def vn_date_line(place: str, value: datetime.date | datetime.datetime | None) -> str:
    """ "Quảng Ngãi, ngày 05 tháng 3 năm 2026" (cell 4 of Decree 30's layout).

    Template use: ``{% vn_date_line "Quảng Ngãi" issued_on %}``. Without a date (a draft
    not yet signed) day, month and year are left blank to be written by hand.
    """
    if value is None or value == "":
        return f"{place}, ngày{BLANK}tháng{BLANK}năm{BLANK}"
    return f"{place}, {vn_date(value)}"


@register.simple_tag(name="doc_number")
def doc_number(number: int | str | None, symbol: str) -> str:
    """ "Số: 05/BB-KTĐ6" (cell 3): the register number, at least two digits, and the symbol.

    Numbers restart at 01 each calendar year. A document not yet registered gets blank
    space before the slash, where the clerk writes the number by hand.
    """
    if number is None or number == "":
        return f"Số:{BLANK}/{symbol}"
    return f"Số: {int(number):02d}/{symbol}"


@register.filter(name="vn_decimal")
def vn_decimal(value, places: int | str | None = None) -> str:
    """A score with a decimal comma: ``95.5`` → "95,5", ``Decimal("100.00")`` → "100".

    Uses the Vietnamese formats of ``config/formats/vi`` (decimal comma, dot grouping) via
    Django's number formatting, but forces the language: a document printed by someone
    browsing in English is still a Vietnamese document. Without ``places`` trailing zeros are
    dropped, which is how scores are written ("95,5", not "95,50"); ``{{ x|vn_decimal:2 }}``
    fixes the number of decimals instead. ``None`` and blanks give "" (an empty cell).
    """
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if places in (None, ""):
        # normalize() drops trailing zeros but writes 100 as 1E+2; quantize back to integers.
        normalised = number.normalize()
        number = normalised.quantize(1) if normalised == number.to_integral() else normalised
        decimal_pos = None
    else:
        decimal_pos = int(places)
    decimal_sep, grouping, thousand_sep, plain = _vi_number_format()
    if plain and decimal_pos is None and number.is_finite():
        _sign, digits, exponent = number.as_tuple()
        if abs(exponent) + len(digits) <= 200:
            # What format_number writes without grouping or fixed decimals, without its
            # detour through the generic cases (this filter runs on every score cell).
            return f"{number:f}".replace(".", decimal_sep)
    return format_number(
        number,
        decimal_sep=decimal_sep,
        decimal_pos=decimal_pos,
        grouping=grouping,
        thousand_sep=thousand_sep,
        force_grouping=False,
        use_l10n=True,
    )


@functools.cache
def _vi_number_format() -> tuple[str, object, str, bool]:
    """The Vietnamese separators and grouping, and whether a number is written without
    grouping (the way :func:`django.utils.numberformat.format` decides): read once, not
    three format lookups per number; forgotten when a setting changes (tests)."""
    grouping = get_format("NUMBER_GROUPING", "vi", use_l10n=True)
    return (
        get_format("DECIMAL_SEPARATOR", "vi", use_l10n=True),
        grouping,
        get_format("THOUSAND_SEPARATOR", "vi", use_l10n=True),
        not (settings.USE_THOUSAND_SEPARATOR and grouping != 0),
    )


@receiver(setting_changed)
def _forget_number_format(**kwargs) -> None:
    _vi_number_format.cache_clear()
