"""Reading a generated PDF's layout back: pages, words with their position and font, phrases.

The Decree 30/2020 layout (domain.md §5.3) is about *where* things are printed: margins, the
motto block top right, the issuing body top left, page numbers in the top margin from page 2.
Text extraction (pypdf, pdftotext) cannot see that, so these helpers read word boxes with
pdfplumber. Coordinates are PDF points from the page's top-left corner (pdfplumber's ``top``
and ``bottom`` grow downwards); :data:`MM` converts millimetres.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pdfplumber
from fontTools.ttLib import TTFont
from pypdf import PdfReader

__all__ = [
    "A4_LONG",
    "A4_SHORT",
    "MM",
    "Box",
    "Margins",
    "Page",
    "Word",
    "embedded_font_programs",
    "find_phrase",
    "outside",
    "read_pages",
]

#: One millimetre in PDF points.
MM = 72 / 25.4
#: A4 in points (210 × 297 mm).
A4_SHORT = 210 * MM
A4_LONG = 297 * MM


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    fontname: str

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class Box:
    """The bounding box of a phrase (several words, possibly over several lines)."""

    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @classmethod
    def around(cls, words: list[Word]) -> Box:
        return cls(
            x0=min(w.x0 for w in words),
            x1=max(w.x1 for w in words),
            top=min(w.top for w in words),
            bottom=max(w.bottom for w in words),
        )


@dataclass(frozen=True)
class Margins:
    """The Decree's minimum margins in points; the text block lies inside them."""

    top: float = 20 * MM
    bottom: float = 20 * MM
    left: float = 30 * MM
    right: float = 15 * MM


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    fonts: set[str] = field(default_factory=set)

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def text_block_centre(self, margins: Margins) -> float:
        """The horizontal centre of the area between the left and right margins."""
        return (margins.left + self.width - margins.right) / 2

    def in_top_margin(self, margins: Margins) -> list[Word]:
        return [w for w in self.words if w.bottom <= margins.top]


def read_pages(pdf: bytes) -> list[Page]:
    """Every page of ``pdf`` with its size, its words (split where the font changes, so each
    word has one font) and the names of every font its characters use."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, plumbed in enumerate(document.pages, start=1):
            words = [
                Word(
                    text=w["text"],
                    x0=w["x0"],
                    x1=w["x1"],
                    top=w["top"],
                    bottom=w["bottom"],
                    fontname=w["fontname"],
                )
                for w in plumbed.extract_words(
                    keep_blank_chars=False, use_text_flow=True, extra_attrs=["fontname"]
                )
            ]
            pages.append(
                Page(
                    number=number,
                    width=float(plumbed.width),
                    height=float(plumbed.height),
                    words=words,
                    fonts={c["fontname"] for c in plumbed.chars},
                )
            )
    return pages


def find_phrase(page: Page, phrase: str) -> Box | None:
    """The box of the first run of consecutive words (in reading order) that spells
    ``phrase``; ``None`` when the page does not contain it."""
    wanted = phrase.split()
    texts = [w.text for w in page.words]
    for start in range(len(texts) - len(wanted) + 1):
        if texts[start : start + len(wanted)] == wanted:
            return Box.around(page.words[start : start + len(wanted)])
    return None


def outside(
    page: Page,
    margins: Margins,
    *,
    running_head: Callable[[Page, Word], bool] = lambda page, word: False,
    tolerance: float = 0.5,
) -> list[str]:
    """Words printed in a margin, described for an assertion message. Words of the top
    margin for which ``running_head`` is true (the page number) are allowed; glyph boxes
    get ``tolerance`` points of slack for rounding."""
    problems = []
    right_edge = page.width - margins.right
    bottom_edge = page.height - margins.bottom
    for w in page.words:
        where = []
        if w.x0 < margins.left - tolerance:
            where.append(f"left {w.x0 / MM:.1f} mm")
        if w.x1 > right_edge + tolerance:
            where.append(f"right edge {w.x1 / MM:.1f} mm > {right_edge / MM:.1f} mm")
        if w.bottom > bottom_edge + tolerance:
            where.append(f"bottom {w.bottom / MM:.1f} mm > {bottom_edge / MM:.1f} mm")
        if w.top < margins.top - tolerance and not running_head(page, w):
            where.append(f"top {w.top / MM:.1f} mm")
        if where:
            problems.append(f"page {page.number} {w.text!r}: {', '.join(where)}")
    return problems


def embedded_font_programs(pdf: bytes) -> set[tuple[str, str]]:
    """(PostScript name, version) of every font program embedded in ``pdf``.

    WeasyPrint names a PDF font after its CSS family ("Thi-Dua-Serif-Bold"), so the names
    pdfplumber reports cannot tell which file was embedded; the font program's own name
    table can."""
    programs = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)[
                "/FontDescriptor"
            ].get_object()
            data = descriptor["/FontFile2"].get_object().get_data()
            names = TTFont(io.BytesIO(data))["name"]
            programs.add((names.getDebugName(6), names.getDebugName(5)))
    return programs
