"""Registrations from a sheet: columns recognised in Danish or English, every row checked with
the domain's validators, rows grouped by municipality into directorates, and people already
registered recognised (by e-mail) so nothing is doubled.

:func:`plan_import` only reads; :func:`apply_plan` carries a clean plan out on a register with
the domain's rules, in row order (so the admission rules decide who gets seats). The service
runs both inside one transaction: all or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple, Protocol

from kommunestyre.domain import rules
from kommunestyre.domain.model import (
    InvoiceDetails,
    Participant,
    ParticipantDetails,
    ProfessionalField,
    Register,
)
from kommunestyre.domain.municipalities import Municipality, find_municipality
from kommunestyre.domain.validation import (
    parse_whole,
    quoted,
    validate_invoice,
    validate_participant,
)
from kommunestyre.errors import InvalidRecord, KommunestyreError, RuleError, ValidationError
from kommunestyre.i18n import _, ngettext, pgettext
from kommunestyre.lists.sheets import MAX_CELL, Sheet, whole

#: Header spellings (case, spaces, hyphens and underscores ignored) -> the column's meaning.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "municipality": ("kommune", "municipality", "kommunenavn"),
    "cohort": ("hold", "cohort"),
    "name": ("navn", "name", "fuldtnavn", "fullname"),
    "title": ("titel", "title", "stilling", "jobtitle"),
    "field": ("fagområde", "fagomrade", "fagomraade", "field", "område"),
    "email": ("email", "mail", "emailadresse", "mailadresse"),
    "phone": ("telefon", "phone", "tlf", "mobil", "telefonnummer"),
    "needs": ("kost", "needs", "diet", "kosthensyn", "hensyn", "kostogtilgængelighed"),
    "notes": ("noter", "notes", "bemærkninger", "note"),
    "ean": ("ean", "eannummer", "eannr", "gln"),
    "cvr": ("cvr", "cvrnummer"),
    "reference": ("reference", "ref", "ordrenummer", "ordrenr", "ordrereference"),
    "contact_name": ("fakturakontakt", "invoicecontact", "fakturakontaktnavn"),
    "contact_email": (
        "fakturakontaktensemail", "fakturakontaktemail", "invoicecontactemail", "fakturamail",
    ),
}  # fmt: skip
REQUIRED = ("municipality", "name", "email")

#: The template's headers, in Danish, in this order.
TEMPLATE_HEADERS = (
    "Kommune", "Hold", "Navn", "Titel", "Fagområde", "E-mail", "Telefon", "Kost", "EAN",
    "Reference", "Noter",
)  # fmt: skip

_INVOICE = ("ean", "cvr", "reference", "contact_name", "contact_email")


def header_key(text: str) -> str:
    return re.sub(r"[\s_\-.:]+", "", text).casefold()


_MEANING = {header_key(spelling): key for key, names in HEADER_NAMES.items() for spelling in names}


def column_word(key: str) -> str:
    """What a column (a key of :data:`HEADER_NAMES`) holds, in the language in use."""
    words = {
        "municipality": pgettext("import column", "municipality"),
        "cohort": pgettext("import column", "cohort"),
        "name": pgettext("import column", "name"),
        "title": pgettext("import column", "title"),
        "field": pgettext("import column", "field"),
        "email": pgettext("import column", "e-mail"),
        "phone": pgettext("import column", "phone"),
        "needs": pgettext("import column", "needs"),
        "notes": pgettext("import column", "notes"),
        "ean": pgettext("import column", "EAN"),
        "cvr": pgettext("import column", "CVR"),
        "reference": pgettext("import column", "reference"),
        "contact_name": pgettext("import column", "invoice contact"),
        "contact_email": pgettext("import column", "invoice contact's e-mail"),
    }
    return words.get(key, key)


@dataclass(frozen=True, slots=True)
class Problem:
    row: int | None  # None: the whole file
    column: str  # the header as written in the file, or ""
    message: str

    def __str__(self) -> str:
        if self.row is not None and self.column:
            text = _("row {row}, column '{column}': {problem}")
        elif self.row is not None:
            text = _("row {row}: {problem}")
        elif self.column:
            text = _("file, column '{column}': {problem}")
        else:
            text = _("file: {problem}")
        return text.format(row=self.row, column=self.column, problem=self.message)


class ReportLine(NamedTuple):
    """One line of an import's report: what a row does ("row"), a "note", a "problem", or a
    "heading" (a reply of a mail import); ``depth`` indents it under its heading."""

    kind: str
    text: str
    depth: int = 0


class Plan(Protocol):
    """What every import's plan tells (registrations, contacts, replies by mail)."""

    @property
    def problems(self) -> Sequence[object]: ...

    @property
    def clean(self) -> bool: ...

    def summary(self) -> str: ...

    def report_lines(self) -> list[ReportLine]: ...


class Report(Protocol):
    """What every import reports: its plan, and what happened (or would, in a dry run)."""

    @property
    def plan(self) -> Plan: ...

    @property
    def outcome(self) -> list[str]: ...

    @property
    def dry_run(self) -> bool: ...

    @property
    def saved(self) -> bool: ...


@dataclass(slots=True)
class ImportRow:
    number: int
    municipality: Municipality
    cohort: int | None
    details: ParticipantDetails
    invoice: InvoiceDetails
    filled: frozenset[str] = frozenset()  # the details the row gives (a column, a cell)
    action: str = ""  # "add", "update", "duplicate" (decided by the plan)
    existing: int | None = None  # the participant id, for an update or a duplicate
    changes: tuple[tuple[str, str, str], ...] = ()  # an update's (field, old, new)


@dataclass(slots=True)
class Group:
    """The rows of one municipality: a new directorate, or more for a registered one."""

    municipality: Municipality
    cohort: int
    rows: list[ImportRow]
    invoice: InvoiceDetails
    directorate_id: int | None  # the registered directorate, if any


@dataclass(slots=True)
class ImportPlan:
    groups: list[Group] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    excluded: list[int] = field(default_factory=list)
    row_count: int = 0
    changes: int = 0  # set by apply_plan: records added or changed

    @property
    def clean(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for g in self.groups for r in g.rows if r.action == action)

    def summary(self) -> str:
        parts = [ngettext("{n} row(s)", "{n} row(s)", self.row_count).format(n=self.row_count)]
        parts += row_kinds(self.count)
        if n := len(self.excluded):
            parts.append(ngettext("{n} excluded", "{n} excluded", n).format(n=n))
        if n := len(self.problems):
            parts.append(ngettext("{n} problem(s)", "{n} problem(s)", n).format(n=n))
        return ", ".join(parts)

    def report_lines(self, depth: int = 0) -> list[ReportLine]:
        lines = [ReportLine("row", line, depth) for line in describe_rows(self)]
        lines += [ReportLine("note", warning, depth) for warning in self.warnings]
        lines += [ReportLine("problem", str(problem), depth) for problem in self.problems]
        return lines


class Findings(Protocol):
    """What a check of a sheet collects (an import plan of any kind)."""

    problems: list[Problem]
    warnings: list[str]


def meanings(names: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Header spellings, as :func:`header_key` makes them, to what each column means."""
    return {header_key(spelling): key for key, spellings in names.items() for spelling in spellings}


def _columns(
    headers: Sequence[str],
    plan: Findings,
    meaning_of: dict[str, str] = _MEANING,
    names: dict[str, tuple[str, ...]] = HEADER_NAMES,
    required: Sequence[str] = REQUIRED,
) -> dict[str, int]:
    """Which column holds what: unknown headers are noted, a second column of one meaning and
    a missing required one are problems of the whole file."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        meaning = meaning_of.get(header_key(header))
        if meaning is None:
            if header.strip():
                plan.warnings.append(
                    _("column '{column}' is not used").format(column=header.strip())
                )
            continue
        if meaning in found:
            plan.problems.append(
                Problem(
                    None,
                    header,
                    _("a second '{meaning}' column (columns {first} and {second})").format(
                        meaning=column_word(meaning), first=found[meaning] + 1, second=index + 1
                    ),
                )
            )
            continue
        found[meaning] = index
    for key in required:
        if key not in found:
            spellings = " / ".join(names[key][:2])
            plan.problems.append(
                Problem(
                    None,
                    "",
                    _("no column for {meaning} ({spellings})").format(
                        meaning=column_word(key), spellings=spellings
                    ),
                )
            )
    return found


def _field_key(text: str, fields: Sequence[ProfessionalField]) -> str:
    wanted = header_key(text)
    if not wanted:
        return fields[-1].key if fields[-1].key == "andet" else fields[0].key
    for f in fields:
        if wanted in (header_key(f.key), header_key(f.label)):
            return f.key
    known = ", ".join(f.label for f in fields)
    raise ValidationError(
        "field",
        _("{value} is not a field (known: {known})").format(value=quoted(text), known=known),
    )


def _cohort(text: str, default: int | None, register: Register) -> int | None:
    text = text.strip().lower().removeprefix("hold").strip()
    if not text:
        return default
    numbers = [c.number for c in register.programme.cohorts]
    known = ", ".join(str(n) for n in numbers)
    number = parse_whole(text, "cohort", what=_("a cohort ({known})").format(known=known))
    if number not in numbers:
        raise ValidationError(
            "cohort", _("{number} is not a cohort ({known})").format(number=number, known=known)
        )
    return number


def row_kinds(count: Callable[[str], int]) -> list[str]:
    """How many rows add, update and are duplicates, in a report's summary."""
    parts = []
    if n := count("add"):
        parts.append(ngettext("{n} add", "{n} add", n).format(n=n))
    if n := count("update"):
        parts.append(ngettext("{n} update", "{n} update", n).format(n=n))
    if n := count("duplicate"):
        parts.append(ngettext("{n} duplicate", "{n} duplicate", n).format(n=n))
    return parts


def shape_problems(number: int, cells: list[str], headers: Sequence[str]) -> list[Problem]:
    """What is wrong with a row before its values are read: more filled cells than the header
    has columns, or a cell too long (every sheet the program imports checks this)."""
    problems: list[Problem] = []
    if any(c.strip() for c in cells[len(headers) :]):
        problems.append(
            Problem(
                number,
                "",
                _("{cells} cells, but the header has {columns} columns").format(
                    cells=len(cells), columns=len(headers)
                ),
            )
        )
    for index, value in enumerate(cells[: len(headers)]):
        if len(value) > MAX_CELL:
            problems.append(
                Problem(
                    number,
                    headers[index].strip(),
                    _("{n} characters is too long").format(n=whole(len(value))),
                )
            )
    return problems


def _read_row(
    number: int,
    cells: list[str],
    columns: dict[str, int],
    headers: Sequence[str],
    register: Register,
    default_cohort: int | None,
) -> tuple[ImportRow | None, list[Problem]]:
    def cell(key: str) -> str:
        index = columns.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def header(key: str) -> str:
        index = columns.get(key)
        return headers[index].strip() if index is not None else column_word(key)

    problems = shape_problems(number, cells, headers)
    if problems:
        return None, problems

    fields = register.programme.fields
    found = cohort = field_key = None
    try:
        found = find_municipality(cell("municipality"))
    except ValidationError as error:
        problems.append(Problem(number, header("municipality"), error.message))
    try:
        cohort = _cohort(cell("cohort"), default_cohort, register)
        if cohort is None:
            problems.append(
                Problem(number, header("cohort"), _("no cohort: add a hold column or use --cohort"))
            )
    except ValidationError as error:
        problems.append(Problem(number, header("cohort"), error.message))
    try:
        field_key = _field_key(cell("field"), fields)
    except ValidationError as error:
        problems.append(Problem(number, header("field"), error.message))
    details = ParticipantDetails(
        name=cell("name"),
        title=cell("title"),
        field=field_key or fields[0].key,
        email=cell("email"),
        phone=cell("phone"),
        needs=cell("needs"),
        notes=cell("notes"),
    )
    invoice = InvoiceDetails(**{name: cell(name) for name in _INVOICE})
    try:
        details = validate_participant(details, [f.key for f in fields])
    except InvalidRecord as error:
        problems += [Problem(number, header(p.field), p.message) for p in error.problems]
    try:
        invoice = validate_invoice(invoice)
    except InvalidRecord as error:
        problems += [Problem(number, header(p.field), p.message) for p in error.problems]
    if problems or found is None:
        return None, problems
    filled = frozenset(key for key in _UPDATABLE if cell(key))
    return ImportRow(number, found, cohort, details, invoice, filled), []


#: What a row can change about a registered person (the e-mail address identifies them).
_UPDATABLE = ("name", "title", "field", "phone", "needs", "notes")


def _merge(current: ParticipantDetails, row: ImportRow) -> ParticipantDetails:
    """The current details updated with what the row fills in: a column the sheet does not
    have, or an empty cell, leaves the stored value as it is."""
    return current._replace(**{name: getattr(row.details, name) for name in row.filled})


def _changes(
    current: ParticipantDetails, merged: ParticipantDetails, labels: dict[str, str]
) -> tuple[tuple[str, str, str], ...]:
    def shown(name: str, value: str) -> str:
        return labels.get(value, value) if name == "field" else value

    return tuple(
        (name, shown(name, getattr(current, name)), shown(name, getattr(merged, name)))
        for name in _UPDATABLE
        if getattr(current, name) != getattr(merged, name)
    )


def _group_invoice(rows: Sequence[ImportRow], plan: ImportPlan) -> InvoiceDetails:
    """One set of invoice details per directorate: the rows may repeat it, not contradict it."""
    chosen: dict[str, tuple[str, int]] = {}
    for row in rows:
        for name in _INVOICE:
            value = getattr(row.invoice, name)
            if not value:
                continue
            if name in chosen and chosen[name][0] != value:
                plan.problems.append(
                    Problem(
                        row.number,
                        column_word(name),
                        _(
                            "{value} differs from {other} in row {row} for the same municipality"
                        ).format(
                            value=quoted(value), other=quoted(chosen[name][0]), row=chosen[name][1]
                        ),
                    )
                )
            chosen.setdefault(name, (value, row.number))
    return InvoiceDetails(**{name: value for name, (value, _row) in chosen.items()})


def plan_import(
    register: Register,
    sheet: Sheet,
    *,
    default_cohort: int | None = None,
    exclude: Iterable[int] = (),
) -> ImportPlan:
    """Check every row and decide what each one does; the register is not changed."""
    plan = ImportPlan()
    plan.problems += [Problem(row, "", why) for row, why in sheet.problems]
    plan.problems += [Problem(row, column, why) for row, column, why in sheet.cell_problems]
    columns = _columns(sheet.headers, plan)
    if any(p.row is None for p in plan.problems):
        return plan
    excluded = set(exclude)
    labels = {f.key: f.label for f in register.programme.fields}
    by_email: dict[str, Participant] = {
        p.details.email.casefold(): p
        for p in register.participants.values()
        if p.status.is_active and p.details.email
    }
    rows: list[ImportRow] = []
    first_row_of: dict[str, int] = {}
    for number, cells in sheet.rows:
        if number in excluded:
            plan.excluded.append(number)
            continue
        plan.row_count += 1
        row, problems = _read_row(number, cells, columns, sheet.headers, register, default_cohort)
        plan.problems += problems
        if row is None:
            continue
        email = row.details.email.casefold()
        if email in first_row_of:
            plan.problems.append(
                Problem(
                    number,
                    column_word("email"),
                    _("the same e-mail as row {row}").format(row=first_row_of[email]),
                )
            )
            continue
        first_row_of[email] = number
        rows.append(row)

    if not sheet.rows and not sheet.problems and not sheet.cell_problems:
        plan.problems.append(Problem(None, "", _("the sheet has no rows below the header")))
    groups: dict[int, list[ImportRow]] = {}
    for row in rows:
        groups.setdefault(row.municipality.code, []).append(row)
    for code, members in groups.items():
        municipality = members[0].municipality
        registered = register.directorate_of_municipality(code)
        cohorts = {r.cohort for r in members}
        if len(cohorts) > 1:
            numbers = ", ".join(
                _("row {row}: hold {cohort}").format(row=r.number, cohort=r.cohort) for r in members
            )
            plan.problems.append(
                Problem(
                    members[0].number,
                    "hold",
                    _("{municipality} is asked for in more than one cohort ({rows})").format(
                        municipality=municipality.name, rows=numbers
                    ),
                )
            )
            continue
        cohort = members[0].cohort or 0
        if registered is not None and cohort != registered.cohort:
            plan.problems.append(
                Problem(
                    members[0].number,
                    "hold",
                    _(
                        "{municipality} is registered in hold {cohort}; move "
                        "the directorate in the app, then import"
                    ).format(municipality=municipality.name, cohort=registered.cohort),
                )
            )
            continue
        for row in members:
            known = by_email.get(row.details.email.casefold())
            if known is None:
                row.action = "add"
            elif registered is None or known.directorate_id != registered.id:
                other = rules.participant_label(register, known)
                plan.problems.append(
                    Problem(
                        row.number,
                        column_word("email"),
                        _("{email} is already registered as {person}").format(
                            email=row.details.email, person=other
                        ),
                    )
                )
            else:
                row.existing = known.id
                merged = _merge(known.details, row)
                row.changes = _changes(known.details, merged, labels)
                row.action = "update" if row.changes else "duplicate"
        invoice = _group_invoice(members, plan)
        plan.groups.append(
            Group(municipality, cohort, members, invoice, registered.id if registered else None)
        )
    return plan


def apply_plan(register: Register, plan: ImportPlan, now: datetime) -> list[str]:
    """Carry a clean plan out, in row order; returns what happened, a line per directorate."""
    if not plan.clean:
        raise ValueError("a plan with problems is never applied")  # not translated: a bug
    lines: list[str] = []
    for group in plan.groups:
        try:
            changes, group_lines = _apply_group(register, group, now)
        except KommunestyreError as error:
            first = min(r.number for r in group.rows)
            raise RuleError(
                _("row {row} ({municipality}): {problem}").format(
                    row=first, municipality=group.municipality.name, problem=error
                )
            ) from None
        plan.changes += changes
        lines += group_lines
    return lines


def _apply_group(register: Register, group: Group, now: datetime) -> tuple[int, list[str]]:
    lines: list[str] = []
    name = group.municipality.name
    if group.directorate_id is None:
        members = [r.details for r in group.rows]
        _new, outcome = rules.register_directorate(
            register, group.municipality, group.cohort, members, group.invoice, now
        )
        return len(group.rows), [outcome.summary, *(str(p) for p in outcome.promotions)]
    added = updated = 0
    for row in group.rows:
        if row.action == "add":
            _one, outcome = rules.add_participant(register, group.directorate_id, row.details, now)
            lines.append(outcome.summary)
            added += 1
        elif row.action == "update" and row.existing is not None:
            current = register.participant(row.existing)
            rules.edit_participant(register, row.existing, _merge(current.details, row))
            updated += 1
    directorate = register.directorate(group.directorate_id)
    filled = {k: v for k, v in group.invoice._asdict().items() if v}
    if filled and directorate.invoice._replace(**filled) != directorate.invoice:
        rules.edit_invoice(register, directorate.id, directorate.invoice._replace(**filled))
        lines.append(_("{municipality}: invoice details updated").format(municipality=name))
        updated_invoice = 1
    else:
        updated_invoice = 0
    if updated:
        lines.append(
            ngettext(
                "{municipality}: {n} participant(s) updated",
                "{municipality}: {n} participant(s) updated",
                updated,
            ).format(municipality=name, n=updated)
        )
    if not added and not updated and not updated_invoice:
        lines.append(
            _("{municipality}: nothing new (already registered)").format(municipality=name)
        )
    return added + updated + updated_invoice, lines


def describe_rows(plan: ImportPlan) -> list[str]:
    """A line per row: what it does."""
    lines = []
    for group in plan.groups:
        for row in sorted(group.rows, key=lambda r: r.number):
            d = row.details
            if row.action == "add":
                text = _("row {row}: adds {name} <{email}> ({municipality}, hold {cohort})")
            elif row.action == "update":
                text = _("row {row}: updates {name} <{email}> ({municipality}, hold {cohort})")
            else:
                text = _(
                    "row {row}: already registered, unchanged: {name} <{email}> "
                    "({municipality}, hold {cohort})"
                )
            changed = "".join(
                f"; {column_word(name)}: {old!r} → {new!r}" for name, old, new in row.changes
            )
            line = text.format(
                row=row.number,
                name=d.name,
                email=d.email,
                municipality=group.municipality.name,
                cohort=group.cohort,
            )
            lines.append(line + changed)
    return lines
