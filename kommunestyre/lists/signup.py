"""A municipality's own sign-up sheet: an XLSX pre-filled for it (the municipality, the cohorts
and the professional fields as drop-downs, rows for the members, the invoice details, short
instructions in Danish), and the reading of that layout back into rows the importer checks.

The sheet is a Danish document sent to municipalities: its words are not translated. A hidden
sheet holds a marker and the municipality it was made for, so the reader knows the layout and
the import can tell when a sheet comes back from another municipality than it was made for.
The file is the same byte for byte as long as its content is (no time stamps), so a letter
that carries it is stale only when the sheet really changed.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime

from kommunestyre.domain.capacity import headcount
from kommunestyre.domain.model import Cohort, CohortStatus, InvoiceDetails, Register
from kommunestyre.domain.municipalities import by_code, find_municipality
from kommunestyre.domain.validation import quoted, validate_invoice
from kommunestyre.errors import InvalidRecord, ValidationError
from kommunestyre.formats import short_date, short_range
from kommunestyre.i18n import _
from kommunestyre.lists.importer import _MEANING, column_word, header_key
from kommunestyre.lists.sheets import XLSX_TYPE, Sheet, SignupInfo
from kommunestyre.spreadsheet import neutralise

#: The hidden sheet's name and its first cell: what marks a workbook as a sign-up sheet.
LISTS_SHEET = "Lister"
MARKER = "kommunestyre-tilmelding"
VERSION = 1
FORM_SHEET = "Tilmelding"
MEMBER_ROWS = 12  # rows ready for members; more can be added below

#: The block above the members' table: (meaning, label in the sheet). The labels are read
#: back through the importer's header names, so they must stay recognisable there.
BLOCK = (
    ("municipality", "Kommune"),
    ("cohort", "Hold"),
    ("ean", "EAN-nummer"),
    ("cvr", "CVR-nummer"),
    ("reference", "Ordrereference"),
    ("contact_name", "Fakturakontakt"),
    ("contact_email", "Fakturakontaktens e-mail"),
)
#: The members' table: (meaning, header, column width).
TABLE = (
    ("name", "Navn", 28),
    ("title", "Titel", 26),
    ("field", "Fagområde", 28),
    ("email", "E-mail", 32),
    ("phone", "Telefon", 14),
    ("needs", "Kost og tilgængelighed", 34),  # not translated: a Danish document
)
#: The instructions at the top of the sheet (a Danish document: not translated).
INSTRUCTIONS = (
    "Sådan udfylder I arket",  # not translated: a Danish document
    "1. Vælg jeres hold i listen ud for »Hold«. Listen viser datoerne for "
    "12-12-seminaret og opfølgningsdagen, stedet og tilmeldingsfristen.",  # not translated
    "2. Skriv én deltager pr. række under »Deltagere«: navn, titel, fagområde (vælg i "
    "listen), e-mail og telefon. Har en deltager særlige behov for kost eller "
    "tilgængelighed, så skriv det i sidste kolonne.",  # not translated: a Danish document
    "3. Udfyld fakturaoplysningerne: EAN-nummer (13 cifre), CVR-nummer (8 cifre), "
    "eventuel ordrereference og navn og e-mail på den, der skal modtage "
    "fakturaen.",  # not translated: a Danish document
    "4. Gem arket som Excel-fil (.xlsx), og send det tilbage som vedhæftet fil i et svar "
    "på invitationen. Lad overskrifterne og kommunens navn stå, som de er.",  # not translated
    "Tilmeldingen bliver bindende, når fristen er udløbet. Har I spørgsmål, så svar "
    "blot på mailen.",  # not translated: a Danish document
)
_FIXED_TIME = datetime(2000, 1, 1)  # the workbook's own dates: none that changes the bytes
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_COHORT = re.compile(r"\s*(?:hold\s*)?(\d{1,3})(?!\d)", re.IGNORECASE | re.ASCII)


def signup_filename(code: int) -> str:
    """``tilmelding-aarhus.xlsx``, ``tilmelding-hoeje-taastrup.xlsx``: ASCII, no spaces."""
    name = by_code(code).name.casefold()
    for letter, spelt in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u")):
        name = name.replace(letter, spelt)
    slug = re.sub(r"[^a-z0-9]+", "-", name).strip("-") or f"{code:03d}"
    return f"tilmelding-{slug}.xlsx"


#: Raised when the sheet's layout changes: letters with the new sheet are updates.
SHEET_VERSION = 1


def signup_key(register: Register, code: int, now: datetime) -> str:
    """What the sheet for ``code`` is made of, as text: the same key, the same sheet. A letter's
    content hash takes this rather than the bytes, so preparing a batch needs no workbook
    (one is written only when the letters are exported or sent)."""
    programme = register.programme
    parts = [
        f"v{SHEET_VERSION}",
        str(code),
        programme.name,
        *(cohort_label(c) for c in offered_cohorts(register, now)),
        *(f"{f.key}={f.label}" for f in programme.fields),
    ]
    return "\n".join(parts)


def signup_attachment(register: Register, code: int, now: datetime) -> tuple[str, str, bytes]:
    """What an invitation to the municipality ``code`` carries: (file name, MIME type,
    content). (The letters cannot import the lists: the service that prepares a batch calls
    this, through :func:`signup_key` and lazily, for each ``contact:<code>`` recipient.)"""
    return signup_filename(code), XLSX_TYPE, signup_sheet(register, code, now)


def cohort_label(cohort: Cohort) -> str:
    """``Hold 1: 24.-25.02.2027 og 21.04.2027, Kolding (frist 13.01.2027)``"""
    seminar, followup = cohort.seminar, cohort.followup
    days = short_range(seminar.start.date(), seminar.end.date())
    return (
        f"Hold {cohort.number}: {days} og {short_date(followup.start.date())}, "
        f"{seminar.venue.town} (frist {short_date(cohort.registration_deadline)})"
    )  # not translated: a Danish document


def offered_cohorts(register: Register, now: datetime) -> list[Cohort]:
    """The cohorts a municipality can sign up for now (open, or full with a waiting list); if
    none is, every cohort not yet held (the import says what happens)."""
    rows = headcount(register, now)
    chosen = [r.cohort for r in rows if r.status in (CohortStatus.OPEN, CohortStatus.FULL)]
    return chosen or [r.cohort for r in rows if r.status is not CohortStatus.HELD]


def _text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", neutralise(value))


class _SteadyZip(zipfile.ZipFile):
    """A zip whose members carry one fixed time, so equal content gives equal bytes."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=_ZIP_TIME)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        """openpyxl writes worksheets from temporary files: their time is the clock's; the
        member gets the fixed one, as every other does."""
        with open(filename, "rb") as file:
            self.writestr(arcname or os.path.basename(filename), file.read())


def signup_sheet(register: Register, code: int, now: datetime) -> bytes:
    """The sign-up sheet for the municipality ``code``, as the bytes of an XLSX file."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.writer.excel import ExcelWriter

    programme = register.programme
    municipality = by_code(code)
    cohorts = offered_cohorts(register, now)
    book = Workbook()
    book.properties.created = book.properties.modified = _FIXED_TIME
    book.properties.creator = book.properties.lastModifiedBy = "kommunestyre"
    form = book.active
    form.title = FORM_SHEET
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"

    lists["A1"], lists["B1"] = MARKER, VERSION
    lists["A2"], lists["B2"] = "kommunekode", municipality.code_text
    lists["D1"], lists["E1"] = "Hold", "Fagområde"
    for row, cohort in enumerate(cohorts, 2):
        lists.cell(row, 4, _text(cohort_label(cohort))).data_type = "s"
    for row, professional in enumerate(programme.fields, 2):
        lists.cell(row, 5, _text(professional.label)).data_type = "s"

    bold = Font(bold=True)
    to_fill = PatternFill("solid", fgColor="FFF8DC")
    thin = Side(style="thin", color="BBBBBB")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    last_column = len(TABLE)

    title = form.cell(1, 1, _text(f"Tilmelding til {programme.name}"))  # not translated
    title.font = Font(bold=True, size=14)
    form.cell(2, 1, _text(municipality.official_name)).font = Font(bold=True, size=12)
    row = 4
    for index, line in enumerate(INSTRUCTIONS):
        cell = form.cell(row, 1, _text(line))
        cell.alignment = wrap
        if index == 0:
            cell.font = bold
        else:
            form.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
            form.row_dimensions[row].height = 30
        row += 1

    row += 1
    cells: dict[str, str] = {}
    for meaning, label in BLOCK:
        form.cell(row, 1, label).font = bold
        cell = form.cell(row, 2)
        cell.number_format = "@"  # text: an EAN stays 13 digits, not 5,79801E+12
        cell.fill, cell.border = to_fill, box
        form.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        cells[meaning] = cell.coordinate
        row += 1
    form[cells["municipality"]] = _text(municipality.name)
    form[cells["municipality"]].fill = PatternFill()
    form[cells["municipality"]].font = bold

    choose_cohort = DataValidation(
        type="list",
        formula1=f"{LISTS_SHEET}!$D$2:$D${max(2, len(cohorts) + 1)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Hold",
        error="Vælg et hold i listen.",  # not translated: a Danish document
        promptTitle="Hold",
        prompt="Vælg det hold, jeres direktion vil deltage på.",  # not translated: Danish
    )
    form.add_data_validation(choose_cohort)
    choose_cohort.add(cells["cohort"])
    if len(cohorts) == 1:
        form[cells["cohort"]] = _text(cohort_label(cohorts[0]))

    row += 1
    form.cell(row, 1, "Deltagere").font = Font(bold=True, size=12)
    row += 1
    header_row = row
    for column, (_meaning, header, width) in enumerate(TABLE, 1):
        cell = form.cell(row, column, header)
        cell.font, cell.border = bold, box
        form.column_dimensions[cell.column_letter].width = width
    first, last = header_row + 1, header_row + MEMBER_ROWS
    for member_row in range(first, last + 1):
        for column in range(1, last_column + 1):
            cell = form.cell(member_row, column)
            cell.fill, cell.border, cell.number_format = to_fill, box, "@"
    field_column = next(i for i, (m, _h, _w) in enumerate(TABLE, 1) if m == "field")
    letter = form.cell(first, field_column).column_letter
    choose_field = DataValidation(
        type="list",
        formula1=f"{LISTS_SHEET}!$E$2:$E${len(programme.fields) + 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Fagområde",
        error="Vælg et fagområde i listen.",  # not translated: a Danish document
    )
    form.add_data_validation(choose_field)
    choose_field.add(f"{letter}{first}:{letter}{last + 200}")
    form.freeze_panes = None
    book.active = 0

    buffer = io.BytesIO()
    archive = _SteadyZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(book, archive).save()
    return buffer.getvalue()


# -- reading it back --------------------------------------------------------------------------

_BLOCK_MEANINGS = {meaning for meaning, _label in BLOCK}
_LABELS = dict(BLOCK)


def is_marker(values: Sequence[object]) -> bool:
    return bool(values) and values[0] == MARKER


def made_for(values: Sequence[object]) -> int | None:
    """The municipality code in the hidden sheet's second row, if it is one."""
    text = str(values[1]).strip() if len(values) > 1 and values[1] is not None else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None


def from_signup(rows: list[tuple[int, list[str]]], made_for_code: int | None) -> Sheet:
    """The sign-up sheet's rows (as read, blank rows left out) as a sheet the importer checks:
    the members' table, with the block's values (municipality, cohort, invoice) in each row.

    A wrong or missing municipality or cohort is one problem at its cell (the members are then
    not checked: fix the block first); a wrong invoice value is one problem at its cell."""
    block: dict[str, tuple[int, str]] = {}
    header_index: int | None = None
    for index, (number, cells) in enumerate(rows):
        meanings = [_MEANING.get(header_key(c)) for c in cells]
        if "name" in meanings and "email" in meanings:
            header_index = index
            break
        meaning = _MEANING.get(header_key(cells[0])) if cells else None
        if meaning in _BLOCK_MEANINGS and meaning not in block:
            block[meaning] = (number, cells[1].strip() if len(cells) > 1 else "")

    problems: list[tuple[int, str, str]] = []
    top = rows[0][0] if rows else 1

    def where(meaning: str) -> tuple[int, str]:
        number = block[meaning][0] if meaning in block else top
        return number, _LABELS.get(meaning, column_word(meaning))

    # the block
    values: dict[str, str] = {}
    named: int | None = None
    try:
        found = find_municipality(block.get("municipality", (0, ""))[1])
        values["municipality"], named = found.name, found.code
    except ValidationError as error:
        problems.append((*where("municipality"), error.message))
    cohort_text = block.get("cohort", (0, ""))[1]
    match = _COHORT.match(cohort_text)
    if not cohort_text:
        problems.append((*where("cohort"), _("choose the cohort in the list")))
    elif match is None:
        problems.append(
            (
                *where("cohort"),
                _("{value} is not a cohort: choose one in the list").format(
                    value=quoted(cohort_text[:60])
                ),
            )
        )
    else:
        values["cohort"] = match[1]
    invoice = InvoiceDetails(**{m: block[m][1] for m in InvoiceDetails._fields if m in block})
    try:
        values.update(validate_invoice(invoice)._asdict())
    except InvalidRecord as error:
        wrong = {p.field for p in error.problems}
        problems += [(*where(p.field), p.message) for p in error.problems]
        right = invoice._replace(**{name: "" for name in wrong})
        values.update(validate_invoice(right)._asdict())
    block_ok = "municipality" in values and "cohort" in values
    below = rows[header_index + 1 :] if header_index is not None else []
    filled = bool(below) or any(block[m][1] for m in InvoiceDetails._fields if m in block)
    info = SignupInfo(made_for=made_for_code, named=named, filled=filled)

    if header_index is None:
        problems.append(
            (top, "", _("the sign-up sheet has no table of participants (Navn, E-mail)"))
        )
        headers = [label for _m, label in BLOCK] + [h for _m, h, _w in TABLE]
        return Sheet(headers, [], [], cell_problems=problems, signup=info)

    number, header_cells = rows[header_index]
    width = max((i + 1 for i, c in enumerate(header_cells) if c.strip()), default=0)
    table = header_cells[:width]
    in_table = {_MEANING.get(header_key(c)) for c in table}
    added = [m for m, _label in BLOCK if m not in in_table]
    headers = table + [_LABELS[m] for m in added]
    members: list[tuple[int, list[str]]] = []
    for member_number, cells in rows[header_index + 1 :]:
        beyond = [i for i, c in enumerate(cells) if c.strip() and i >= width]
        if beyond:
            problems.append(
                (
                    member_number,
                    "",
                    _("{cells} cells, but the header has {columns} columns").format(
                        cells=max(beyond) + 1, columns=width
                    ),
                )
            )
            continue
        own = (cells + [""] * width)[:width]
        members.append((member_number, own + [values.get(m, "") for m in added]))
    if not members and not problems:
        problems.append((number, "", _("no participants are filled in below the header")))
    return Sheet(headers, members if block_ok else [], [], cell_problems=problems, signup=info)
