"""Writing a list as CSV (UTF-8 with BOM and semicolons, as a Danish Excel expects; or commas),
XLSX (real columns, a bold frozen header, widths, amounts as numbers in kr.), Markdown, or a
print-ready PDF (:mod:`kommunestyre.lists.pdf`: badges, sign-in sheets, tables).

Text that a spreadsheet could take for a formula (starting with = + - @, a tab or a CR) gets a
leading apostrophe; numbers stay numbers. Files are written atomically, readable only by you.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

from kommunestyre.atomic import write_private
from kommunestyre.errors import ValidationError
from kommunestyre.i18n import _
from kommunestyre.lists.listings import Cell, Listing
from kommunestyre.spreadsheet import neutralise

FORMATS = (".csv", ".xlsx", ".md", ".pdf")
KR_FORMAT = '#,##0.00 "kr."'


def _csv_cell(value: Cell, decimal_comma: bool) -> str:
    if isinstance(value, Decimal):
        text = f"{value:.2f}"
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, int):
        return str(value)
    return neutralise(value)


def to_csv(listing: Listing, *, comma: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="," if comma else ";", lineterminator="\r\n")
    writer.writerow(listing.headers)
    rows = listing.rows + ([listing.totals] if listing.totals else [])
    writer.writerows([_csv_cell(v, not comma) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(text: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "-", text)[:31] or "Ark"
    base, number = title, 2
    while title.casefold() in taken:
        suffix = f" {number}"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.casefold())
    return title


def to_xlsx(listing: Listing) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    taken: set[str] = set()
    for table in (listing, *listing.sheets):
        _xlsx_sheets(book, table, taken)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_sheets(book, listing: Listing, taken: set[str]) -> None:
    """The listing's sheets (one per group) added to the write-only workbook."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    bold = Font(bold=True)
    groups = listing.groups() or [(listing.title, [])]
    for title, rows in groups:
        sheet = book.create_sheet(_sheet_title(title, taken))
        every = [listing.headers, *rows] + ([listing.totals] if listing.totals else [])
        for index in range(len(listing.headers)):
            width = max((len(str(r[index])) for r in every), default=8)
            letter = _column_letter(index)
            sheet.column_dimensions[letter].width = min(max(width + 2, 8), 50)
        sheet.freeze_panes = "A2"
        header = []
        for text in listing.headers:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
        if listing.totals:
            total = [_xlsx_cell(sheet, v) for v in listing.totals]
            for cell in total:
                cell.font = bold
            sheet.append(total)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _xlsx_cell(sheet, value: Cell):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = KR_FORMAT
        return cell
    if isinstance(value, int):
        return WriteOnlyCell(sheet, value=value)
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # XLSX cannot hold control characters at all: each is shown as U+FFFD instead
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", neutralise(value))
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # text, whatever it looks like (a phone number stays text)
    return cell


def _md_cell(value: Cell) -> str:
    if isinstance(value, Decimal):
        from kommunestyre.formats import money

        return money(value, language="da")  # the lists are Danish documents
    return str(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(listing: Listing) -> bytes:
    lines = [f"# {listing.title}", ""]
    for title, rows in listing.groups():
        if listing.group_by is not None:
            lines += [f"## {title} ({len(rows)})", ""]
        lines.append("| " + " | ".join(listing.headers) + " |")
        lines.append("| " + " | ".join("---" for _header in listing.headers) + " |")
        lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
        if listing.totals:
            lines.append(
                "| "
                + " | ".join(f"**{_md_cell(v)}**" if v != "" else "" for v in listing.totals)
                + " |"
            )
        lines.append("")
    return "\n".join(lines).encode("utf-8")


def write_listing(listing: Listing, path: Path, *, comma: bool = False) -> None:
    """The format follows the file name: .csv, .xlsx, .md or .pdf."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError(
            "out", _("{file}: name the file .csv, .xlsx, .md or .pdf").format(file=path.name)
        )
    if not path.parent.is_dir():
        raise ValidationError("out", _("{folder} is not a folder").format(folder=path.parent))
    if suffix == ".csv":
        data = to_csv(listing, comma=comma)
    elif suffix == ".xlsx":
        data = to_xlsx(listing)
    elif suffix == ".pdf":
        from kommunestyre.lists.pdf import to_pdf  # fpdf2 is loaded only for a PDF

        data = to_pdf(listing)
    else:
        data = to_markdown(listing)
    write_private(path, data)
