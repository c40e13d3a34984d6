"""Charts as inline SVG markup: pure functions, no JavaScript, no database.

Pages and PDFs draw the same charts, so they are plain SVG strings: a
browser shows them inline, and WeasyPrint draws inline SVG itself (its text
stays text, so a PDF's labels can be read back and searched).

Rules every chart follows:

* accessible: ``role="img"``, an ``aria-label`` and a ``<title>``, and a
  ``<desc>`` listing every value in words (a screen reader does not read
  the text inside an image); values are written next to their marks, so
  colour is never the only carrier of meaning;
* deterministic: the same input gives the same bytes (no ids, no clocks),
  and coordinates are computed in :class:`~decimal.Decimal` and written with
  one decimal, so 0.1 + 0.2 never shows up as 0.30000000000000004;
* escaped: every label goes through :func:`django.utils.html.escape`, so an
  agency called “A & B <C>” prints as such and cannot inject markup;
* no external fonts: ``font_family`` is None on pages (the text inherits the
  page's font) and the PDF's bundled family in documents, because
  WeasyPrint's SVG text does not inherit the HTML's CSS.
"""

from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..sheet_rules import format_points

__all__ = ["PALETTE", "bar_chart", "grouped_bars", "trend_line"]

#: Series colours: the app's red, then blue, green, purple, amber (all ≥ 4.5:1 on white).
PALETTE = ("#a4161a", "#0a58ca", "#146c43", "#6f42c1", "#b45309")
_TEXT = "#212529"
_GRID = "#adb5bd"
_TENTH = Decimal("0.1")
_FONT_SIZE = 12

Number = Decimal | int | float


def _dec(value: Number | None) -> Decimal | None:
    """A Decimal for any number; floats through ``str`` so 0.1 stays 0.1."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _c(value: Decimal | int) -> str:
    """A coordinate, one decimal, never in exponent form."""
    return f"{Decimal(value).quantize(_TENTH, rounding=ROUND_HALF_UP):f}"


def _scale(value: Decimal, top: Decimal, length: Decimal) -> Decimal:
    """``value`` on an axis of ``length`` units running from 0 to ``top``."""
    if top <= 0 or value <= 0:
        return Decimal(0)
    return min(value, top) / top * length


def _top(values: Sequence[Decimal | None], max_value: Number | None) -> Decimal:
    given = _dec(max_value)
    if given is not None:
        return given
    present = [value for value in values if value is not None]
    return max(present, default=Decimal(0))


def _open(width: int, height: int, title: str, desc: str, font_family: str | None) -> str:
    # Shrunk to the screen by the "chart" class (static/css/app.css), not a style
    # attribute: the pages' Content-Security-Policy refuses inline styles.
    font = f' font-family="{escape(font_family)}"' if font_family else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{escape(title)}" font-size="{_FONT_SIZE}"{font}>'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    )


def _text(x, y, text: str, *, anchor: str = "start", weight: str = "", fill: str = _TEXT) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{_c(x)}" y="{_c(y)}" text-anchor="{anchor}" fill="{fill}"{bold}>'
        f"{escape(text)}</text>"
    )


def _empty(width: int, title: str, font_family: str | None) -> SafeString:
    message = _("No data to show yet.")
    return mark_safe(
        _open(width, 40, title, message, font_family) + _text(8, 24, message) + "</svg>"
    )


def _describe(pairs) -> str:
    return "; ".join(f"{label}: {value}" for label, value in pairs)


def bar_chart(
    items: Sequence[tuple[str, Number | None]],
    max_value: Number | None = None,
    *,
    title: str = "",
    width: int = 640,
    color: str = PALETTE[0],
    number_format: Callable[[Decimal], str] = format_points,
    font_family: str | None = None,
) -> SafeString:
    """Horizontal bars, one per ``(label, value)``, in the order given.

    Each label sits on its own line above its bar, so long Vietnamese agency
    names are never cut. Bars run from 0 to ``max_value`` (default: the
    largest value); a value above it fills the row; a zero or missing
    maximum draws no bar at all rather than dividing by zero.
    """
    if not items:
        return _empty(width, title, font_family)
    values = [_dec(value) for _label, value in items]
    top = _top(values, max_value)
    pad, row, bar = 8, 38, 14
    room = 64  # for the value written after the bar
    length = Decimal(width - 2 * pad - room)
    shown = [number_format(value) if value is not None else "–" for value in values]
    parts = [
        _open(
            width,
            pad * 2 + row * len(items),
            title,
            _describe((label, text) for (label, _v), text in zip(items, shown, strict=True)),
            font_family,
        )
    ]
    for index, ((label, _value), value, text) in enumerate(zip(items, values, shown, strict=True)):
        y = pad + row * index
        parts.append(_text(pad, y + 13, str(label)))
        size = _scale(value or Decimal(0), top, length)
        if size > 0:
            parts.append(
                f'<rect x="{pad}" y="{_c(y + 18)}" width="{_c(size)}" height="{bar}" '
                f'fill="{escape(color)}"/>'
            )
        parts.append(_text(pad + size + 6, y + 30, text, weight="bold"))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def grouped_bars(
    groups: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number | None]]],
    max_value: Number | None = None,
    *,
    title: str = "",
    width: int = 640,
    height: int = 260,
    number_format: Callable[[Decimal], str] = format_points,
    font_family: str | None = None,
) -> SafeString:
    """Vertical bars side by side per group: ``series`` is ``[(name, values)]``
    with one value per group (None: no bar), e.g. a member and the bloc's
    average for groups I, II, …. A legend names the series in colour order.
    """
    if not groups or not series:
        return _empty(width, title, font_family)
    columns = [[_dec(value) for value in values] for _name, values in series]
    top = _top([value for column in columns for value in column], max_value)
    pad, legend, axis = 8, 22, 22
    plot_top = pad + legend + 16  # room for the value written above a full bar
    plot_height = Decimal(height - plot_top - axis - pad)
    base = plot_top + plot_height
    slot = Decimal(width - 2 * pad) / len(groups)
    gap = slot / 5
    bar = (slot - gap) / len(series)
    desc = []
    for g_index, group in enumerate(groups):
        values = (
            f"{name} {number_format(column[g_index]) if column[g_index] is not None else '–'}"
            for (name, _values), column in zip(series, columns, strict=True)
        )
        desc.append(f"{group}: {', '.join(values)}")
    parts = [_open(width, height, title, "; ".join(desc), font_family)]
    x = Decimal(pad)
    for s_index, (name, _values) in enumerate(series):
        color = PALETTE[s_index % len(PALETTE)]
        parts.append(f'<rect x="{_c(x)}" y="{pad + 4}" width="12" height="12" fill="{color}"/>')
        parts.append(_text(x + 16, pad + 14, str(name)))
        x += 16 + Decimal(7) * len(str(name)) + 20
    parts.append(
        f'<line x1="{pad}" y1="{_c(base)}" x2="{width - pad}" y2="{_c(base)}" '
        f'stroke="{_GRID}" stroke-width="1"/>'
    )
    for g_index, group in enumerate(groups):
        left = pad + slot * g_index + gap / 2
        for s_index, column in enumerate(columns):
            value = column[g_index]
            center = left + bar * s_index + bar / 2
            if value is None:
                parts.append(_text(center, base - 4, "–", anchor="middle"))
                continue
            size = _scale(value, top, plot_height)
            if size > 0:
                parts.append(
                    f'<rect x="{_c(left + bar * s_index + 1)}" y="{_c(base - size)}" '
                    f'width="{_c(max(bar - 2, Decimal(1)))}" height="{_c(size)}" '
                    f'fill="{PALETTE[s_index % len(PALETTE)]}"/>'
                )
            parts.append(_text(center, base - size - 4, number_format(value), anchor="middle"))
        parts.append(
            _text(left + (slot - gap) / 2, base + 16, str(group), anchor="middle", weight="bold")
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def trend_line(
    points: Sequence[tuple[int | str, Number | None]],
    max_value: Number | None = None,
    *,
    title: str = "",
    annotations: Mapping | None = None,
    width: int = 640,
    height: int = 240,
    color: str = PALETTE[0],
    number_format: Callable[[Decimal], str] = format_points,
    font_family: str | None = None,
) -> SafeString:
    """A line through ``(year, value)`` points, in the order given, evenly
    spaced; points without a value are left out. ``annotations`` maps a year
    to a short note written under its value (e.g. the rank that year).
    """
    kept = [(year, _dec(value)) for year, value in points if value is not None]
    if not kept:
        return _empty(width, title, font_family)
    annotations = annotations or {}
    top = _top([value for _year, value in kept], max_value)
    pad, axis, above = 8, 22, 34
    plot_height = Decimal(height - pad - above - axis)
    base = pad + above + plot_height
    span = Decimal(width - 2 * pad - 80)  # room for a centred note at either end
    step = span / (len(kept) - 1) if len(kept) > 1 else Decimal(0)
    coords = []
    for index, (_year, value) in enumerate(kept):
        x = pad + 40 + (step * index if len(kept) > 1 else span / 2)
        coords.append((x, base - _scale(value, top, plot_height)))
    desc = []
    for year, value in kept:
        note = annotations.get(year)
        desc.append(f"{year}: {number_format(value)}" + (f" ({note})" if note else ""))
    parts = [
        _open(width, height, title, "; ".join(desc), font_family),
        f'<line x1="{pad}" y1="{_c(base)}" x2="{width - pad}" y2="{_c(base)}" '
        f'stroke="{_GRID}" stroke-width="1"/>',
    ]
    if len(coords) > 1:
        path = " ".join(f"{_c(x)},{_c(y)}" for x, y in coords)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{escape(color)}" stroke-width="2"/>'
        )
    for (year, value), (x, y) in zip(kept, coords, strict=True):
        parts.append(f'<circle cx="{_c(x)}" cy="{_c(y)}" r="4" fill="{escape(color)}"/>')
        note = annotations.get(year)
        if note:
            parts.append(_text(x, y - 22, str(note), anchor="middle"))
        parts.append(_text(x, y - 8, number_format(value), anchor="middle", weight="bold"))
        parts.append(_text(x, base + 16, str(year), anchor="middle"))
    parts.append("</svg>")
    return mark_safe("".join(parts))
