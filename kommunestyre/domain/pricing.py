"""Money, exactly: the price per participant and what each municipality, cohort and the whole
programme comes to. Amounts are Decimal and are never rounded here; rounding to øre happens
only when an amount is shown.

A seat is billed in the cohort where it is (or was, for a late cancellation), under its
municipality: one invoice line per delegation (see :mod:`kommunestyre.domain.capacity`).
Billable = admitted + cancelled after the registration became binding; an offered seat is
held, not billed, until it is accepted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kommunestyre.domain.model import Directorate, Participant, Programme, Register, Status
from kommunestyre.domain.municipalities import by_code

ORE = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Amount:
    excl_vat: Decimal
    vat: Decimal

    @property
    def incl_vat(self) -> Decimal:
        return self.excl_vat + self.vat

    def __add__(self, other: Amount) -> Amount:
        return Amount(self.excl_vat + other.excl_vat, self.vat + other.vat)

    def __mul__(self, times: int) -> Amount:
        return Amount(self.excl_vat * times, self.vat * times)


ZERO = Amount(Decimal(0), Decimal(0))


@dataclass(frozen=True, slots=True)
class Bill:
    """Seats that are paid for: taken seats plus cancellations made after the deadline."""

    seats: int
    late_cancellations: int
    amount: Amount

    @property
    def billable(self) -> int:
        return self.seats + self.late_cancellations

    def __add__(self, other: Bill) -> Bill:
        return Bill(
            self.seats + other.seats,
            self.late_cancellations + other.late_cancellations,
            self.amount + other.amount,
        )


EMPTY_BILL = Bill(0, 0, ZERO)


def round_ore(amount: Decimal) -> Decimal:
    """Round half up to whole øre, for presentation."""
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def unit_price(programme: Programme) -> Amount:
    """One participant: 14,900 kr. + 25 % VAT = 18,625 kr. with the default programme."""
    excl = programme.price_excl_vat
    return Amount(excl, excl * programme.vat_rate)


def bill_for(programme: Programme, participants: list[Participant]) -> Bill:
    seats = sum(1 for p in participants if p.status is Status.ADMITTED)
    late = sum(1 for p in participants if p.status is Status.CANCELLED and p.billable_cancellation)
    return Bill(seats, late, unit_price(programme) * (seats + late))


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """What one municipality owes for one cohort: its billable people there (a cancelled
    earlier registration's late cancellations included), invoiced to its current registration
    (or, when it has none, its latest)."""

    directorate: Directorate
    cohort: int
    bill: Bill
    people: tuple[Participant, ...]

    @property
    def late_cancellations(self) -> list[Participant]:
        return [p for p in self.people if p.status is Status.CANCELLED]


def directorate_bill(register: Register, directorate_id: int, cohort: int | None = None) -> Bill:
    """One registration's seats: in one cohort, or in every cohort its people sit in. (What a
    municipality is invoiced is :func:`invoice_lines`: every registration it made.)"""
    register.directorate(directorate_id)
    people = [
        p
        for p in register.members(directorate_id)
        if cohort is None or p.cohort == cohort
    ]  # fmt: skip
    return bill_for(register.programme, people)


def cohort_bill(register: Register, number: int) -> Bill:
    register.cohort(number)
    people = [p for p in register.participants.values() if p.cohort == number]
    return bill_for(register.programme, people)


def programme_bill(register: Register) -> Bill:
    return bill_for(register.programme, list(register.participants.values()))


def invoice_lines(register: Register, cohort: int | None = None) -> list[InvoiceLine]:
    """Every (municipality, cohort) with something to pay, by cohort and municipality name."""
    groups: dict[tuple[int, int], list[Participant]] = defaultdict(list)
    for p in register.participants.values():
        if p.is_billable and (cohort is None or p.cohort == cohort):
            code = register.directorates[p.directorate_id].municipality_code
            groups[(code, p.cohort)].append(p)
    lines = []
    for (code, number), people in groups.items():
        directorate = register.latest_directorate_of_municipality(code)
        assert directorate is not None
        people.sort(key=lambda p: (p.seq, p.id))
        bill = bill_for(register.programme, people)
        lines.append(InvoiceLine(directorate, number, bill, tuple(people)))
    return sorted(
        lines, key=lambda line: (line.cohort, by_code(line.directorate.municipality_code).name)
    )
