"""Reading a registration sheet: CSV (comma, semicolon or tab; UTF-8 with or without BOM, or
Windows-1252 as a Danish Excel writes it) or XLSX (values, not formulas), with caps on size and
rows. Every cell comes back as text, with the row number a spreadsheet would show."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from kommunestyre import i18n
from kommunestyre.errors import KommunestyreError
from kommunestyre.i18n import N_, _

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
#: How far down an XLSX is read (row numbers, blank rows included).
MAX_SHEET_ROWS = MAX_ROWS + 1000
MAX_CELL = 10_000  # characters; a longer cell is refused at its row
#: An XLSX file's MIME type (as an e-mail attachment carries it).
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COLUMNS = 60  # a sign-up sheet has a dozen; more is read as nothing
MAX_UNPACKED = 200 * 1024 * 1024  # an XLSX is a zip: refuse one that unpacks to more than this


class SheetError(KommunestyreError):
    title = N_("Cannot read the file")


def whole(number: int) -> str:
    """``20.000`` / ``20,000``: a count with its thousands grouped as the language does."""
    grouped = f"{number:,}"
    return grouped.replace(",", ".") if i18n.language() == "da" else grouped


def _megabytes(size: float) -> str:
    """``10,5`` / ``10.5``"""
    text = f"{size:.1f}"
    return text.replace(".", ",") if i18n.language() == "da" else text


@dataclass(frozen=True, slots=True)
class SignupInfo:
    """A municipality's own sign-up sheet (see :mod:`kommunestyre.lists.signup`): the
    municipality it was made for, and the one it names (if it names one that exists)."""

    made_for: int | None
    named: int | None
    filled: bool = True  # anything filled in: a member, an invoice detail


@dataclass(frozen=True, slots=True)
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)
    problems: list[tuple[int, str]]  # rows that could not be read: (row number, why)
    #: problems at one cell: (row number, column as the sheet names it, why)
    cell_problems: list[tuple[int, str, str]] = field(default_factory=list)
    signup: SignupInfo | None = None  # read from a sign-up sheet's layout


def read_sheet(path: Path) -> Sheet:
    """The first sheet of an XLSX file, or a CSV file; a clear error for anything else."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SheetError(_("{path} does not exist").format(path=path)) from None
    except OSError as error:
        raise SheetError(f"{path}: {error.strerror}") from None
    _check_size(size, path.name)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, path.name)
    if suffix in (".xls", ".ods", ".numbers"):
        raise SheetError(_("{file}: save it as .xlsx or .csv first").format(file=path.name))
    return read_csv_bytes(path.read_bytes(), path.name)


def _check_size(size: int, name: str) -> None:
    if size > MAX_BYTES:
        raise SheetError(
            _("{file} is {size} MB; at most {most} MB can be imported (split the file)").format(
                file=name, size=_megabytes(size / 1024 / 1024), most=MAX_BYTES // 1024 // 1024
            )
        )


def read_sheet_bytes(data: bytes, name: str) -> Sheet:
    """A sheet that is not a file of its own (an attachment): ``name`` decides the format, as
    a file's name does; the same caps and checks as :func:`read_sheet`."""
    _check_size(len(data), name)
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(io.BytesIO(data), name)
    if suffix in (".xls", ".ods", ".numbers"):
        raise SheetError(_("{file}: save it as .xlsx or .csv first").format(file=name))
    return read_csv_bytes(data, name)


def _too_many_rows() -> str:
    return _("{file} has more than {most} rows; split the file")


def _not_xlsx() -> str:
    return _("{file} is not a readable XLSX workbook ({error})")


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # a Danish Excel's "CSV (semikolonsepareret)"
    except UnicodeDecodeError:
        raise SheetError(
            _("{file} is neither UTF-8 nor Windows-1252 text").format(file=name)
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv_bytes(data: bytes, name: str | None = None) -> Sheet:
    name = name or _("the file")
    text = _decode(data, name)
    if not text.strip():
        raise SheetError(_("{file} is empty").format(file=name))
    first = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first), strict=True)
    rows: list[tuple[int, list[str]]] = []
    problems: list[tuple[int, str]] = []
    headers: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(
                (
                    start,
                    _("cannot be read as CSV ({error}); nothing after it was read").format(
                        error=error
                    ),
                )
            )
            break
        if not any(c.strip() for c in cells):
            continue
        if headers is None:
            headers = cells
            continue
        rows.append((start, cells))
        if len(rows) > MAX_ROWS:
            raise SheetError(_too_many_rows().format(file=name, most=whole(MAX_ROWS)))
    if headers is None:
        raise SheetError(_("{file} has no header row").format(file=name))
    return Sheet(headers, rows, problems)


def _text(value: object) -> str:
    """An XLSX cell as text: whole numbers without ".0" (phone numbers, EANs), dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path | io.BytesIO, name: str) -> Sheet:
    import zipfile

    try:
        import defusedxml  # noqa: F401 - openpyxl parses with it when it is installed
        from openpyxl import load_workbook
    except ImportError as error:  # pragma: no cover - both are dependencies
        raise SheetError(_("reading XLSX needs {package}").format(package=error.name)) from None
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise SheetError(_not_xlsx().format(file=name, error=error)) from None
    if unpacked > MAX_UNPACKED:
        raise SheetError(
            _("{file} unpacks to {size} MB; refused").format(
                file=name, size=whole(unpacked // 1024 // 1024)
            )
        )
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise SheetError(_not_xlsx().format(file=name, error=error)) from None
    except Exception as error:  # openpyxl raises its own types for broken workbooks
        raise SheetError(_not_xlsx().format(file=name, error=error)) from None
    try:
        sheet = book.worksheets[0]
        declared = sheet.max_row  # from the sheet's own <dimension>, if it has one
        if declared is not None and declared > MAX_SHEET_ROWS:
            raise SheetError(
                _("{file} declares {rows} rows, more than {most}; split the file").format(
                    file=name, rows=whole(declared), most=whole(MAX_ROWS)
                )
            )
        rows: list[tuple[int, list[str]]] = []
        # Bounded by row number, not by rows read: a sheet whose first row is number
        # 20,000,000 would otherwise be read as twenty million empty rows.
        rows_read = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS, max_row=MAX_SHEET_ROWS)
        for number, values in enumerate(rows_read, 1):
            cells = [_text(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            rows.append((number, cells))
            if len(rows) > MAX_ROWS + 1:  # the header and the rows below it
                raise SheetError(_too_many_rows().format(file=name, most=whole(MAX_ROWS)))
        signup = _signup_marker(book)
    except SheetError:
        raise
    except Exception as error:
        raise SheetError(
            _("{file}: the sheet cannot be read ({error})").format(file=name, error=error)
        ) from None
    finally:
        book.close()
    if signup is not None:
        from kommunestyre.lists.signup import from_signup  # it builds on this module

        return from_signup(rows, signup[0])
    if not rows:
        raise SheetError(_("{file} has no header row").format(file=name))
    return Sheet(rows[0][1], rows[1:], [])


def _signup_marker(book: Any) -> tuple[int | None] | None:
    """``(municipality code or None,)`` when the workbook is a sign-up sheet the program made
    (its hidden sheet holds the marker), else None. Reads two cells, however big the sheet."""
    from kommunestyre.lists import signup

    if signup.LISTS_SHEET not in book.sheetnames:
        return None
    hidden = book[signup.LISTS_SHEET]
    first = list(hidden.iter_rows(min_row=1, max_row=2, max_col=2, values_only=True))
    if not first or not signup.is_marker(first[0]):
        return None
    return (signup.made_for(first[1]) if len(first) > 1 else None,)
