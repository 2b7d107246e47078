"""The programme's lists as tables: participants for the venue and the name tags, the networks,
the invoice basis for finance, and the municipality contacts. Headers are in Danish (the lists
go to Danish readers); amounts are exact Decimals, counts are ints, the rest is text."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from decimal import Decimal

from kommunestyre.domain.model import (
    MunicipalityContact,
    Participant,
    Register,
    Status,
)
from kommunestyre.domain.municipalities import all_municipalities, by_code
from kommunestyre.domain.pricing import EMPTY_BILL, invoice_lines, round_ore
from kommunestyre.domain.standing import (
    MunicipalityStanding,
    Standing,
    standing_of,
    standings,
)
from kommunestyre.domain.validation import quoted
from kommunestyre.errors import ValidationError
from kommunestyre.formats import short_date
from kommunestyre.i18n import _

Cell = str | int | Decimal


@dataclass(frozen=True, slots=True)
class Listing:
    """One list: a header row and rows; ``group_by`` names the column that splits it into one
    sheet (XLSX) or section (Markdown) per value; a CSV keeps it as a column."""

    kind: str
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    group_by: int | None = None
    totals: tuple[Cell, ...] | None = None
    money: frozenset[int] = field(default_factory=frozenset)

    def groups(self) -> list[tuple[str, list[tuple[Cell, ...]]]]:
        if self.group_by is None:
            return [(self.title, self.rows)]
        grouped: dict[str, list[tuple[Cell, ...]]] = {}
        for row in self.rows:
            grouped.setdefault(str(row[self.group_by]), []).append(row)
        return list(grouped.items())


@dataclass(frozen=True, slots=True)
class Selection:
    cohort: int | None = None
    field: str | None = None


def _check(register: Register, selection: Selection) -> None:
    numbers = [c.number for c in register.programme.cohorts]
    if selection.cohort is not None and selection.cohort not in numbers:
        raise ValidationError(
            "cohort", _("there is no hold {number}").format(number=selection.cohort)
        )
    keys = [f.key for f in register.programme.fields]
    if selection.field is not None and selection.field not in keys:
        raise ValidationError(
            "field",
            _("{value} is not a field ({known})").format(
                value=quoted(selection.field), known=", ".join(keys)
            ),
        )


def _seat_status(participant: Participant) -> str:
    if participant.status is Status.OFFERED and participant.offered_until is not None:
        until = short_date(participant.offered_until.date())
        return f"tilbudt plads, svar senest {until}"  # not translated: Danish document
    return "optaget"


def participants(register: Register, selection: Selection) -> Listing:
    """Participants with a seat (or a seat offer) per cohort, by name: the venue's list and the
    name tags."""
    labels = {f.key: f.label for f in register.programme.fields}
    towns = {d.id: by_code(d.municipality_code).name for d in register.directorates.values()}
    people = [
        p
        for p in register.participants.values()
        if p.status.holds_seat
        and (selection.cohort is None or p.cohort == selection.cohort)
        and (selection.field is None or selection.field in p.fields)
    ]
    people.sort(key=lambda p: (p.cohort, p.name.casefold()))
    rows: list[tuple[Cell, ...]] = [
        (
            f"Hold {p.cohort}",
            p.details.name,
            p.details.title,
            towns[p.directorate_id],
            labels.get(p.details.field, p.details.field),
            p.details.email,
            p.details.phone,
            p.details.needs,
            _seat_status(p),
        )
        for p in people
    ]
    headers = (
        "Hold", "Navn", "Titel", "Kommune", "Fagområde", "E-mail", "Telefon", "Kost", "Status",
    )  # fmt: skip
    return Listing("participants", "Deltagere", headers, rows, group_by=0)


def networks(register: Register, selection: Selection) -> Listing:
    """Per professional field, its admitted directors across all cohorts."""
    towns = {d.id: by_code(d.municipality_code).name for d in register.directorates.values()}
    rows: list[tuple[Cell, ...]] = []
    for f in register.programme.fields:
        if selection.field is not None and f.key != selection.field:
            continue
        members = [
            p
            for p in register.participants.values()
            if p.status is Status.ADMITTED
            and f.key in p.fields
            and (selection.cohort is None or p.cohort == selection.cohort)
        ]
        members.sort(key=lambda p: (p.cohort, p.name.casefold()))
        rows += [
            (
                f.label,
                p.details.name,
                p.details.title,
                towns[p.directorate_id],
                p.cohort,
                p.details.email,
                p.details.phone,
            )
            for p in members
        ]
    headers = ("Fagområde", "Navn", "Titel", "Kommune", "Hold", "E-mail", "Telefon")
    return Listing("networks", "Netværk", headers, rows, group_by=0)


def invoices(register: Register, selection: Selection) -> Listing:
    """The invoice basis per municipality and cohort, with totals: what finance invoices."""
    rows: list[tuple[Cell, ...]] = []
    total = EMPTY_BILL
    for line in invoice_lines(register, selection.cohort):
        d, bill = line.directorate, line.bill
        total = total + bill
        i = d.invoice
        rows.append(
            (
                by_code(d.municipality_code).name,
                line.cohort,
                i.ean,
                i.cvr,
                i.reference,
                i.contact_name,
                i.contact_email,
                bill.seats,
                bill.late_cancellations,
                round_ore(bill.amount.excl_vat),
                round_ore(bill.amount.vat),
                round_ore(bill.amount.incl_vat),
            )
        )
    headers = (
        "Kommune", "Hold", "EAN", "CVR", "Reference", "Kontakt", "Kontakt e-mail", "Deltagere",
        "Sene afbud", "Ekskl. moms", "Moms", "I alt inkl. moms",  # not translated: Danish document
    )  # fmt: skip
    totals: tuple[Cell, ...] = (
        "I alt", "", "", "", "", "", "", total.seats, total.late_cancellations,
        round_ore(total.amount.excl_vat), round_ore(total.amount.vat),
        round_ore(total.amount.incl_vat),
    )  # fmt: skip
    return Listing(
        "invoices", "Fakturagrundlag", headers, rows, totals=totals, money=frozenset({9, 10, 11})
    )


#: Where a municipality stands, in the contacts list's words (a Danish document).
_STANDING_DA = {
    Standing.NOT_INVITED: "ikke inviteret",  # not translated: Danish document
    Standing.INVITED: "inviteret, intet svar",  # not translated: Danish document
    Standing.REGISTERED: "tilmeldt, hold {cohort}",  # not translated: Danish document
    Standing.OFFERED: "tilbudt plads, hold {cohort}",  # not translated: Danish document
    Standing.WAITLISTED: "på venteliste, hold {cohort}",  # not translated: Danish document
    Standing.DECLINED: "takket nej",  # not translated: Danish document
}


def contact_status(
    register: Register,
    code: int,
    invited: Collection[int],
    found: dict[int, MunicipalityStanding] | None = None,
) -> str:
    """Where the municipality stands (:mod:`kommunestyre.domain.standing`), in Danish."""
    standing = standing_of(standings(register, invited) if found is None else found, code)
    if standing.standing is Standing.CANCELLED:
        if standing.billable:
            return f"afmeldt sent (faktureres), hold {standing.cohort}"  # not translated: Danish
        return f"afmeldt (gratis), hold {standing.cohort}"  # not translated: Danish document
    return _STANDING_DA[standing.standing].format(cohort=standing.cohort)


def contacts(register: Register, selection: Selection, invited: Collection[int] = ()) -> Listing:
    """Every municipality's contact and where it stands with the invitation."""
    rows: list[tuple[Cell, ...]] = []
    found = standings(register, invited)
    for m in sorted(all_municipalities(), key=lambda m: m.name):
        c = register.contacts.get(m.code) or MunicipalityContact(m.code)
        status = contact_status(register, m.code, invited, found)
        rows.append((m.name, c.name, c.title, c.email, status))
    headers = ("Kommune", "Kontakt", "Titel", "E-mail", "Status")
    return Listing("contacts", "Kontakter", headers, rows)


LISTS: dict[str, Callable[..., Listing]] = {
    "participants": participants,
    "networks": networks,
    "invoices": invoices,
    "contacts": contacts,
}


def make_listing(
    kind: str, register: Register, selection: Selection, invited: Collection[int] = ()
) -> Listing:
    if kind not in LISTS:
        raise ValidationError(
            "list",
            _("{value}: choose {choices}").format(value=quoted(kind), choices=", ".join(LISTS)),
        )
    _check(register, selection)
    if kind == "contacts":
        return contacts(register, selection, invited)
    return LISTS[kind](register, selection)
