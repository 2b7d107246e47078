"""Municipality contacts from a sheet (who gets the invitation): a row per municipality, with
its contact's name, title, e-mail and notes; Danish or English headers, the same readers and
caps as the registrations (:mod:`kommunestyre.lists.sheets`).

Each row is new (the municipality had no contact), changes the contact (old → new, per field)
or leaves it unchanged; an empty cell keeps what is stored. :func:`plan_contacts` only reads;
:func:`apply_contacts` carries a clean plan out. Whether a municipality declined is not the
sheet's business: it stays as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kommunestyre.domain.model import MunicipalityContact, Register
from kommunestyre.domain.municipalities import Municipality, by_code, find_municipality
from kommunestyre.domain.validation import validate_contact
from kommunestyre.errors import InvalidRecord, ValidationError
from kommunestyre.i18n import _, ngettext
from kommunestyre.lists.importer import (
    HEADER_NAMES,
    Problem,
    ReportLine,
    _columns,
    column_word,
    meanings,
    shape_problems,
)
from kommunestyre.lists.sheets import Sheet

#: Header spellings for a contacts sheet; "Kontakt" is the contacts list's own header, so a
#: list written by ``kommunestyre export contacts`` reads back.
CONTACT_NAMES: dict[str, tuple[str, ...]] = {
    "municipality": HEADER_NAMES["municipality"],
    "name": ("navn", "name", "kontakt", "contact", "kontaktperson", "fuldtnavn", "fullname"),
    "title": HEADER_NAMES["title"],
    "email": HEADER_NAMES["email"],
    "notes": HEADER_NAMES["notes"],
}
CONTACT_REQUIRED = ("municipality", "name", "email")
_CONTACT_MEANING = meanings(CONTACT_NAMES)
#: What a row sets, in the order the report names the changes.
_FIELDS = ("name", "title", "email", "notes")


@dataclass(slots=True)
class ContactRow:
    number: int
    municipality: Municipality
    contact: MunicipalityContact  # the contact as it will be (the stored one, merged)
    action: str = ""  # "new", "update" or "unchanged"
    changes: tuple[tuple[str, str, str], ...] = ()  # (field, old, new)


@dataclass(slots=True)
class ContactPlan:
    rows: list[ContactRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    excluded: list[int] = field(default_factory=list)
    row_count: int = 0
    changes: int = 0  # set by apply_contacts: contacts added or changed

    @property
    def clean(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def summary(self) -> str:
        parts = [ngettext("{n} row(s)", "{n} row(s)", self.row_count).format(n=self.row_count)]
        if n := self.count("new"):
            parts.append(ngettext("{n} new contact", "{n} new contacts", n).format(n=n))
        if n := self.count("update"):
            parts.append(ngettext("{n} changed", "{n} changed", n).format(n=n))
        if n := self.count("unchanged"):
            parts.append(ngettext("{n} unchanged", "{n} unchanged", n).format(n=n))
        if n := len(self.excluded):
            parts.append(ngettext("{n} excluded", "{n} excluded", n).format(n=n))
        if n := len(self.problems):
            parts.append(ngettext("{n} problem(s)", "{n} problem(s)", n).format(n=n))
        return ", ".join(parts)

    def report_lines(self, depth: int = 0) -> list[ReportLine]:
        lines = [ReportLine("row", line, depth) for line in describe_contacts(self)]
        lines += [ReportLine("note", warning, depth) for warning in self.warnings]
        lines += [ReportLine("problem", str(problem), depth) for problem in self.problems]
        return lines


def _read_row(
    number: int, cells: list[str], columns: dict[str, int], headers: Sequence[str]
) -> tuple[tuple[Municipality, dict[str, str]] | None, list[Problem]]:
    def cell(key: str) -> str:
        index = columns.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def header(key: str) -> str:
        index = columns.get(key)
        return headers[index].strip() if index is not None else column_word(key)

    problems = shape_problems(number, cells, headers)
    if problems:
        return None, problems
    found = None
    try:
        found = find_municipality(cell("municipality"))
    except ValidationError as error:
        problems.append(Problem(number, header("municipality"), error.message))
    typed = MunicipalityContact(
        found.code if found else 0,
        name=cell("name"),
        title=cell("title"),
        email=cell("email"),
        notes=cell("notes"),
    )
    try:
        clean = validate_contact(typed)
    except InvalidRecord as error:
        problems += [Problem(number, header(p.field), p.message) for p in error.problems]
        return None, problems
    if found is None:
        return None, problems
    filled = {name: getattr(clean, name) for name in _FIELDS if cell(name)}
    return (found, filled), []


def plan_contacts(register: Register, sheet: Sheet, *, exclude: Iterable[int] = ()) -> ContactPlan:
    """Check every row and decide what it does; the register is not changed."""
    plan = ContactPlan()
    plan.problems += [Problem(row, "", why) for row, why in sheet.problems]
    plan.problems += [Problem(row, column, why) for row, column, why in sheet.cell_problems]
    columns = _columns(sheet.headers, plan, _CONTACT_MEANING, CONTACT_NAMES, CONTACT_REQUIRED)
    if any(p.row is None for p in plan.problems):
        return plan
    excluded = set(exclude)

    def header(key: str) -> str:
        return sheet.headers[columns[key]].strip() if key in columns else column_word(key)

    row_of_code: dict[int, int] = {}
    row_of_email: dict[str, int] = {}
    for number, cells in sheet.rows:
        if number in excluded:
            plan.excluded.append(number)
            continue
        plan.row_count += 1
        read, problems = _read_row(number, cells, columns, sheet.headers)
        plan.problems += problems
        if read is None:
            continue
        municipality, filled = read
        if municipality.code in row_of_code:
            plan.problems.append(
                Problem(
                    number,
                    header("municipality"),
                    _("{municipality} is in row {row} too").format(
                        municipality=municipality.name, row=row_of_code[municipality.code]
                    ),
                )
            )
            continue
        row_of_code[municipality.code] = number
        email = filled.get("email", "").casefold()
        if email and email in row_of_email:
            plan.problems.append(
                Problem(
                    number,
                    header("email"),
                    _("the same e-mail as row {row}").format(row=row_of_email[email]),
                )
            )
            continue
        if email:
            row_of_email[email] = number
        plan.rows.append(_decide(register, number, municipality, filled))
    if not sheet.rows and not sheet.problems and not sheet.cell_problems:
        plan.problems.append(Problem(None, "", _("the sheet has no rows below the header")))
    _note_shared_addresses(register, plan)
    return plan


def _decide(
    register: Register, number: int, municipality: Municipality, filled: dict[str, str]
) -> ContactRow:
    stored = register.contacts.get(municipality.code) or MunicipalityContact(municipality.code)
    merged = MunicipalityContact(
        municipality.code,
        name=filled.get("name", stored.name),
        title=filled.get("title", stored.title),
        email=filled.get("email", stored.email),
        declined=stored.declined,
        notes=filled.get("notes", stored.notes),
        rev=stored.rev,
    )
    changes = tuple(
        (name, getattr(stored, name), getattr(merged, name))
        for name in _FIELDS
        if getattr(stored, name) != getattr(merged, name)
    )
    if not changes:
        action = "unchanged"
    elif not any(getattr(stored, name) for name in _FIELDS):
        action = "new"
    else:
        action = "update"
    return ContactRow(number, municipality, merged, action, changes)


def _note_shared_addresses(register: Register, plan: ContactPlan) -> None:
    """An address the sheet gives one municipality that another one keeps (and the sheet does
    not change): invitations to both would go to one person. A note, not a problem."""
    in_sheet = {row.municipality.code for row in plan.rows}
    kept = {
        contact.email.casefold(): code
        for code, contact in register.contacts.items()
        if contact.email and code not in in_sheet
    }
    for row in plan.rows:
        other = kept.get(row.contact.email.casefold()) if row.contact.email else None
        if other is not None:
            plan.warnings.append(
                _("row {row}: {email} is also the contact of {municipality}").format(
                    row=row.number, email=row.contact.email, municipality=by_code(other).name
                )
            )


def apply_contacts(register: Register, plan: ContactPlan) -> list[str]:
    """Carry a clean plan out; returns what happened, in a line."""
    if not plan.clean:
        raise ValueError("a plan with problems is never applied")  # not translated: a bug
    for row in plan.rows:
        if row.action == "unchanged":
            continue
        current = register.contact(row.municipality.code)
        c = row.contact
        current.name, current.title, current.email, current.notes = (
            c.name,
            c.title,
            c.email,
            c.notes,
        )
        plan.changes += 1
    lines = []
    if n := plan.count("new"):
        lines.append(ngettext("{n} contact added", "{n} contacts added", n).format(n=n))
    if n := plan.count("update"):
        lines.append(ngettext("{n} contact changed", "{n} contacts changed", n).format(n=n))
    return lines


def describe_contacts(plan: ContactPlan) -> list[str]:
    """A line per row: what it does to the municipality's contact."""
    lines = []
    for row in sorted(plan.rows, key=lambda r: r.number):
        c = row.contact
        if row.action == "new":
            text = _("row {row}: new contact for {municipality}: {name} <{email}>")
        elif row.action == "update":
            text = _("row {row}: changes the contact of {municipality}")
        else:
            text = _("row {row}: unchanged: {municipality}, {name} <{email}>")
        line = text.format(
            row=row.number, municipality=row.municipality.name, name=c.name, email=c.email
        )
        if row.action == "update":
            line += "".join(
                f"; {column_word(name)}: {old!r} → {new!r}" for name, old, new in row.changes
            )
        lines.append(line)
    return lines
