"""Lists as print-ready A4 PDF with fpdf2 (loaded only when a PDF is written): name badges in a
grid, a sign-in sheet with a line per participant, and any other list as a table.

The font is DejaVu Sans, shipped in the package (``fonts/LICENSE``) and embedded in the file,
so Danish letters and most scripts print on any system. Text is data: each value is put on one
line, and a character the font cannot draw (or a control or formatting character) prints as
U+FFFD, visibly, instead of vanishing or failing. Values too long for their place end in "…".
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kommunestyre.lists.listings import Cell, Listing

if TYPE_CHECKING:
    from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
REPLACEMENT = "\ufffd"
#: Longest text kept from one value before fitting (a hostile value can be megabytes).
LONGEST = 300


@cache
def _glyphs() -> frozenset[int]:
    """The characters both shipped faces can draw."""
    from fontTools.ttLib import TTFont

    found: frozenset[int] | None = None
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        with TTFont(FONTS / name, lazy=True) as font:
            cmap = frozenset(font.getBestCmap())
        found = cmap if found is None else found & cmap
    assert found is not None
    return found


def printable(value: Cell) -> str:
    """The value as one line of text the font can print; what it cannot print shows as U+FFFD."""
    if isinstance(value, Decimal):
        from kommunestyre.formats import money

        return money(value, language="da")  # the lists are Danish documents
    text = unicodedata.normalize("NFC", " ".join(str(value)[:LONGEST].split()))
    glyphs = _glyphs()
    return "".join(
        c if ord(c) in glyphs and not unicodedata.category(c).startswith("C") else REPLACEMENT
        for c in text
    )


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """The text, cut to the width (in the current font) with "…" when it is too long."""
    if pdf.get_string_width(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if pdf.get_string_width(text[:middle] + "…") <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…"


def _document(listing: Listing, *, landscape: bool = False) -> FPDF:
    from fpdf import FPDF

    class Document(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FAMILY, size=8)
            self.set_text_color(110)
            # not translated: the lists are Danish documents
            self.cell(0, 5, f"{listing.title} · side {self.page_no()} af {{nb}}", align="C")
            self.set_text_color(0)

    pdf = Document(orientation="L" if landscape else "P", unit="mm", format="A4")
    pdf.add_font(FAMILY, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_title(listing.title)
    pdf.set_creator("kommunestyre")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(15, 15, 15)
    return pdf


def _heading(pdf: FPDF, title: str, subtitle: str = "") -> None:
    pdf.set_font(FAMILY, "B", 16)
    pdf.cell(0, 9, _fit(pdf, printable(title), pdf.epw), new_x="LMARGIN", new_y="NEXT")
    if subtitle:
        pdf.set_font(FAMILY, size=11)
        pdf.cell(0, 6, _fit(pdf, printable(subtitle), pdf.epw), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


# Badges: 2 x 5 on a page, 90 x 54 mm each, with thin grey cutting lines.
BADGE_W, BADGE_H, BADGE_COLUMNS, BADGE_ROWS = 90.0, 54.0, 2, 5


def _badge(pdf: FPDF, x: float, y: float, row: tuple[Cell, ...]) -> None:
    cohort, name, title, town = (printable(v) for v in row[:4])
    pdf.set_draw_color(170)
    pdf.rect(x, y, BADGE_W, BADGE_H)
    inner = BADGE_W - 10
    pdf.set_text_color(110)
    pdf.set_font(FAMILY, size=8)
    pdf.set_xy(x + 5, y + 4)
    pdf.cell(inner, 4, _fit(pdf, cohort, inner))
    pdf.set_text_color(0)
    size = 20.0
    pdf.set_font(FAMILY, "B", size)
    while size > 11 and pdf.get_string_width(name) > inner:
        size -= 1
        pdf.set_font(FAMILY, "B", size)
    pdf.set_xy(x + 5, y + 15)
    pdf.cell(inner, 10, _fit(pdf, name, inner), align="C")
    pdf.set_font(FAMILY, size=11)
    pdf.set_xy(x + 5, y + 28)
    pdf.cell(inner, 6, _fit(pdf, title, inner), align="C")
    pdf.set_font(FAMILY, "B", 13)
    pdf.set_xy(x + 5, y + 38)
    pdf.cell(inner, 7, _fit(pdf, town, inner), align="C")


def badges_pdf(listing: Listing) -> bytes:
    pdf = _document(listing)
    left = (pdf.w - BADGE_COLUMNS * BADGE_W) / 2
    top = (pdf.h - BADGE_ROWS * BADGE_H) / 2
    per_page = BADGE_COLUMNS * BADGE_ROWS
    for _title, rows in listing.groups() or [(listing.title, [])]:
        if not rows:
            pdf.add_page()
        for index, row in enumerate(rows):  # each cohort starts a page
            if index % per_page == 0:
                pdf.add_page()
            place = index % per_page
            x = left + (place % BADGE_COLUMNS) * BADGE_W
            y = top + (place // BADGE_COLUMNS) * BADGE_H
            _badge(pdf, x, y, row)
    return bytes(pdf.output())


def _table(
    pdf: FPDF,
    headers: tuple[str, ...],
    rows: list[tuple[Cell, ...]],
    widths: list[float],
    *,
    height: float,
    size: float,
    totals: tuple[Cell, ...] | None = None,
    heading: tuple[str, str] | None = None,
) -> None:
    """Rows under a header that repeats on each page (with the heading, if any)."""
    bottom = pdf.h - 18

    def header() -> None:
        if heading:
            _heading(pdf, *heading)
        pdf.set_font(FAMILY, "B", size)
        pdf.set_fill_color(225)
        for text, width in zip(headers, widths, strict=True):
            pdf.cell(width, 7, _fit(pdf, printable(text), width - 2), border=1, fill=True)
        pdf.ln(7)

    pdf.add_page()
    header()
    every = [(row, False) for row in rows] + ([(totals, True)] if totals else [])
    for number, (row, bold) in enumerate(every):
        if pdf.get_y() + height > bottom:
            pdf.add_page()
            header()
        pdf.set_font(FAMILY, "B" if bold else "", size)
        pdf.set_fill_color(244)
        for value, width in zip(row, widths, strict=True):
            text = _fit(pdf, printable(value), width - 2)
            align = "R" if isinstance(value, int | Decimal) else "L"
            pdf.cell(width, height, text, border=1, fill=number % 2 == 1, align=align)
        pdf.ln(height)


def signin_pdf(listing: Listing) -> bytes:
    """Per cohort a page (or more): the meeting, then Nr, Navn, Kommune and room to sign."""
    pdf = _document(listing)
    widths = [10.0, 62.0, 45.0, pdf.epw - 117.0]
    headers = ("Nr.", "Navn", "Kommune", "Underskrift")  # not translated: Danish document
    for title, rows in listing.groups() or [(listing.title, [])]:
        meeting = str(rows[0][1]) if rows else ""
        lines: list[tuple[Cell, ...]] = [
            (number, row[2], row[3], "") for number, row in enumerate(rows, start=1)
        ]
        _table(
            pdf, headers, lines, widths, height=10, size=10,
            heading=(f"{listing.title} · {title}", meeting),
        )  # fmt: skip
    return bytes(pdf.output())


def _share(natural: list[float], room: float) -> list[float]:
    """Column widths in the room: the widest columns give up space first (a name keeps its
    width while a long e-mail address is cut), never narrower than an even share."""
    if sum(natural) <= room:
        return [w * room / sum(natural) for w in natural]
    low, high = room / len(natural), max(natural)
    for _step in range(40):  # the cap at which the capped widths fill the room
        cap = (low + high) / 2
        if sum(min(w, cap) for w in natural) > room:
            high = cap
        else:
            low = cap
    capped = [min(w, low) for w in natural]
    return [w * room / sum(capped) for w in capped]


def table_pdf(listing: Listing) -> bytes:
    """Any list as a table: landscape when it is too wide; a page per group, the group
    (the cohort, the field) in the heading instead of a column."""
    keep = [i for i in range(len(listing.headers)) if i != listing.group_by]
    headers = tuple(listing.headers[i] for i in keep)
    every = [listing.headers, *listing.rows] + ([listing.totals] if listing.totals else [])
    pdf = _document(listing)
    size = 9.0
    pdf.set_font(FAMILY, size=size)
    natural = [
        min(max(pdf.get_string_width(printable(row[i])) for row in every) + 3, 90) for i in keep
    ]
    if sum(natural) > pdf.epw:  # too wide for portrait: landscape, a smaller size
        pdf = _document(listing, landscape=True)
        size = 8.0
        natural = [w * 8 / 9 for w in natural]
    widths = _share(natural, pdf.epw)
    totals = tuple(listing.totals[i] for i in keep) if listing.totals else None
    for title, rows in listing.groups() or [(listing.title, [])]:
        heading = (listing.title, title if listing.group_by is not None else "")
        _table(
            pdf, headers, [tuple(row[i] for i in keep) for row in rows], widths, height=6,
            size=size, totals=totals, heading=heading,
        )  # fmt: skip
    return bytes(pdf.output())


def to_pdf(listing: Listing) -> bytes:
    if listing.kind == "badges":
        return badges_pdf(listing)
    if listing.kind == "signin":
        return signin_pdf(listing)
    return table_pdf(listing)
