"""The programme's lists as tables: participants for the venue and the name tags, the networks,
the invoice basis for finance, and the municipality contacts. Headers are in Danish (the lists
go to Danish readers); amounts are exact Decimals, counts are ints, the rest is text."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from kommunestyre.domain.invoicing import Invoice, InvoiceKind, InvoiceStatus
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
from kommunestyre.formats import clock_time, short_date, short_range
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
    #: Further tables, each a sheet of its own after this list's in an XLSX (other formats
    #: leave them out): finance's invoices and invoice lines.
    sheets: tuple[Listing, ...] = ()

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
    #: "seminar" or "followup": the sign-in sheet's meeting (the seminar if None), the diets'.
    meeting: str | None = None


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
    if selection.meeting is not None and selection.meeting not in MEETINGS:
        raise ValidationError(
            "meeting",
            _("{value}: choose {choices}").format(
                value=quoted(selection.meeting), choices=", ".join(MEETINGS)
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
    headers: tuple[str, ...] = (
        "Kommune", "Hold", "EAN", "CVR", "Reference", "Kontakt", "Kontakt e-mail", "Deltagere",
        "Sene afbud", "Ekskl. moms", "Moms", "I alt inkl. moms",  # not translated: Danish document
    )  # fmt: skip
    totals: tuple[Cell, ...] = (
        "I alt", "", "", "", "", "", "", total.seats, total.late_cancellations,
        round_ore(total.amount.excl_vat), round_ore(total.amount.vat),
        round_ore(total.amount.incl_vat),
    )  # fmt: skip
    documents = _documents(register, selection)
    sheets: tuple[Listing, ...] = ()
    if documents:
        issued: dict[tuple[str, int], list[Invoice]] = {}
        for document in documents:
            key = (document.municipality, document.cohort)
            issued.setdefault(key, []).append(document)
        headers += _ISSUED_HEADERS
        totals += ("",) * len(_ISSUED_HEADERS)
        rows = [row + _issued(issued.get((str(row[0]), int(row[1])), [])) for row in rows]
        sheets = (_invoice_sheet(documents), _line_sheet(documents))
    return Listing(
        "invoices",
        "Fakturagrundlag",
        headers,
        rows,
        totals=totals,
        money=frozenset({9, 10, 11}),
        sheets=sheets,
    )


#: What the invoice run issued for a line of the basis (once there are invoices).
_ISSUED_HEADERS = ("Fakturanr.", "Fakturadato", "Forfaldsdato", "Fakturastatus")

#: The invoices' kinds and statuses in the lists' words (a Danish document).
_KIND_DA = {InvoiceKind.INVOICE: "faktura", InvoiceKind.CREDIT_NOTE: "kreditnota"}
_STATUS_DA = {
    InvoiceStatus.CREATED: "oprettet",
    InvoiceStatus.SENT: "sendt",
    InvoiceStatus.PAID: "betalt",
}  # not translated: Danish document


def _documents(register: Register, selection: Selection) -> list[Invoice]:
    return sorted(
        (
            d
            for d in register.invoices.values()
            if selection.cohort is None or d.cohort == selection.cohort
        ),
        key=lambda d: d.number,
    )


def _issued(documents: list[Invoice]) -> tuple[Cell, ...]:
    """The numbers, dates and statuses of a line's documents ("2030004 (kreditnota)")."""

    def number(d: Invoice) -> str:
        if d.kind is InvoiceKind.CREDIT_NOTE:
            return f"{d.number} ({_KIND_DA[d.kind]})"
        return str(d.number)

    return (
        ", ".join(number(d) for d in documents),
        ", ".join(d.date.isoformat() for d in documents),
        ", ".join(d.due.isoformat() for d in documents),
        ", ".join(_STATUS_DA[d.status] for d in documents),
    )


def _invoice_sheet(documents: list[Invoice]) -> Listing:
    """One row per invoice or credit note, as a finance system imports them: the EAN as text,
    amounts as numbers (negative on a credit note), dates as ISO text."""
    rows: list[tuple[Cell, ...]] = [
        (
            d.number,
            _KIND_DA[d.kind],
            d.municipality,
            d.municipality_code,
            d.cohort,
            d.date.isoformat(),
            d.due.isoformat(),
            _STATUS_DA[d.status],
            d.details.ean,
            d.details.cvr,
            d.details.reference,
            d.details.contact_name,
            d.details.contact_email,
            len(d.lines),
            round_ore(d.excl_vat),
            round_ore(d.vat),
            round_ore(d.total),
        )
        for d in documents
    ]
    headers = (
        "Fakturanr.", "Type", "Kommune", "Kommunekode", "Hold", "Fakturadato", "Forfaldsdato",
        "Status", "EAN", "CVR", "Reference", "Kontakt", "Kontakt e-mail", "Linjer",
        "Ekskl. moms", "Moms", "I alt inkl. moms",  # not translated: Danish document
    )  # fmt: skip
    return Listing("invoices", "Fakturaer", headers, rows, money=frozenset({14, 15, 16}))


def _line_sheet(documents: list[Invoice]) -> Listing:
    """One row per line of every document (signed as the document), by number and line."""
    rows: list[tuple[Cell, ...]] = []
    for d in documents:
        for index, line in enumerate(d.lines, start=1):
            rate = line.vat_rate * 100
            rows.append(
                (
                    d.number,
                    _KIND_DA[d.kind],
                    index,
                    line.text,
                    int(rate) if rate == rate.to_integral_value() else str(rate),
                    round_ore(d.sign * line.unit_excl_vat),
                    round_ore(d.sign * line.vat),
                    round_ore(d.sign * (line.unit_excl_vat + line.vat)),
                )
            )
    headers = (
        "Fakturanr.", "Type", "Linje", "Tekst", "Moms %", "Ekskl. moms", "Moms",
        "I alt inkl. moms",  # not translated: Danish document
    )  # fmt: skip
    return Listing("invoices", "Fakturalinjer", headers, rows, money=frozenset({5, 6, 7}))


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


#: The cohort's two meetings, as the venue lists name them (a Danish document).
MEETINGS = {"seminar": "12-12-seminar", "followup": "opfølgningsdag"}  # not translated: Danish

#: Danish alphabetical order: æ, ø, å after z, and "aa" (Aabenraa, Aarhus) as å.
_DANISH_ORDER = str.maketrans({"æ": "z\x01", "ø": "z\x02", "å": "z\x03"})


def danish_key(text: str) -> str:
    return text.casefold().replace("aa", "å").translate(_DANISH_ORDER)


def _surname(name: str) -> str:
    parts = name.split()
    return parts[-1] if parts else ""


def _one_line(text: str) -> str:
    """A text on one line, its whitespace runs (newlines, tabs) as single spaces."""
    return " ".join(text.split())


def _admitted(register: Register, selection: Selection) -> list[Participant]:
    """The admitted participants (those coming to the meetings) of the selection."""
    return [
        p
        for p in register.participants.values()
        if p.status is Status.ADMITTED
        and (selection.cohort is None or p.cohort == selection.cohort)
        and (selection.field is None or selection.field in p.fields)
    ]


def _moment(moment: datetime) -> str:
    return f"{short_date(moment.date())} {clock_time(moment, language='da')}"


def rooms(register: Register, selection: Selection) -> Listing:
    """The room list for the 12-12 seminar's overnight stay, per cohort, by municipality and
    surname: every admitted participant has a single room (the price includes it)."""
    towns = {d.id: by_code(d.municipality_code).name for d in register.directorates.values()}
    seminars = {c.number: c.seminar for c in register.programme.cohorts}
    people = _admitted(register, selection)
    people.sort(
        key=lambda p: (
            p.cohort,
            danish_key(towns[p.directorate_id]),
            danish_key(_surname(p.name)),
            danish_key(p.name),
        )
    )
    rows: list[tuple[Cell, ...]] = [
        (
            f"Hold {p.cohort}",
            p.details.name,
            towns[p.directorate_id],
            _moment(seminars[p.cohort].start),
            _moment(seminars[p.cohort].end),
            "ja",  # not translated: Danish document
            _one_line(p.details.needs),
        )
        for p in people
    ]
    headers = (
        "Hold", "Navn", "Kommune", "Ankomst", "Afrejse", "Enkeltværelse",
        "Kost og tilgængelighed",  # not translated: Danish document
    )  # fmt: skip
    return Listing("rooms", "Værelsesliste", headers, rows, group_by=0)


def diets(register: Register, selection: Selection) -> Listing:
    """Diet and accessibility needs counted per cohort and meeting: the needs text grouped
    case-insensitively (its first spelling by name shown), no needs as "ingen"."""
    people = sorted(_admitted(register, selection), key=lambda p: danish_key(p.name))
    meetings = [selection.meeting] if selection.meeting else list(MEETINGS)
    rows: list[tuple[Cell, ...]] = []
    for cohort in sorted(c.number for c in register.programme.cohorts):
        if selection.cohort is not None and cohort != selection.cohort:
            continue
        counts: dict[str, tuple[str, int]] = {}
        for p in people:
            if p.cohort == cohort:
                text = _one_line(p.details.needs) or "ingen"  # not translated: Danish document
                shown, n = counts.get(text.casefold(), (text, 0))
                counts[text.casefold()] = (shown, n + 1)
        order = sorted(
            counts.items(), key=lambda kv: (kv[0] == "ingen", -kv[1][1], danish_key(kv[0]))
        )
        for meeting in meetings:
            rows += [(f"Hold {cohort}", MEETINGS[meeting], text, n) for _key, (text, n) in order]
    headers = ("Hold", "Møde", "Kost og tilgængelighed", "Antal")  # not translated: Danish
    title = "Kost og tilgængelighed"  # not translated: Danish document
    return Listing("diets", title, headers, rows)


def badges(register: Register, selection: Selection) -> Listing:
    """Name badges for the admitted participants: name, title and municipality."""
    towns = {d.id: by_code(d.municipality_code).name for d in register.directorates.values()}
    people = _admitted(register, selection)
    people.sort(key=lambda p: (p.cohort, danish_key(p.name)))
    rows: list[tuple[Cell, ...]] = [
        (f"Hold {p.cohort}", p.details.name, p.details.title, towns[p.directorate_id])
        for p in people
    ]
    return Listing("badges", "Navneskilte", ("Hold", "Navn", "Titel", "Kommune"), rows, group_by=0)


def signin(register: Register, selection: Selection) -> Listing:
    """A sign-in sheet per cohort for one meeting (the seminar unless chosen): a line per
    admitted participant, by surname, with room to sign."""
    towns = {d.id: by_code(d.municipality_code).name for d in register.directorates.values()}
    meeting = selection.meeting or "seminar"
    where: dict[int, str] = {}
    for c in register.programme.cohorts:
        m = c.seminar if meeting == "seminar" else c.followup
        day = short_range(m.start.date(), m.end.date())
        where[c.number] = f"{MEETINGS[meeting]} {day}, {_one_line(m.venue.name)}"
    people = _admitted(register, selection)
    people.sort(key=lambda p: (p.cohort, danish_key(_surname(p.name)), danish_key(p.name)))
    rows: list[tuple[Cell, ...]] = [
        (f"Hold {p.cohort}", where[p.cohort], p.details.name, towns[p.directorate_id], "")
        for p in people
    ]
    headers = ("Hold", "Møde", "Navn", "Kommune", "Underskrift")
    return Listing("signin", "Underskriftsliste", headers, rows, group_by=0)


LISTS: dict[str, Callable[..., Listing]] = {
    "participants": participants,
    "networks": networks,
    "invoices": invoices,
    "contacts": contacts,
    "rooms": rooms,
    "diets": diets,
    "badges": badges,
    "signin": signin,
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
