"""Money, exactly: the price per participant and what each municipality, cohort and the whole
programme comes to. Amounts are Decimal and are never rounded here; rounding to øre happens
only when an amount is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kommunestyre.domain.model import Participant, Programme, Register, Status

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


def directorate_bill(register: Register, directorate_id: int) -> Bill:
    """The municipality's invoice basis: its people in whichever cohort they sit."""
    register.directorate(directorate_id)
    return bill_for(register.programme, register.members(directorate_id))


def cohort_bill(register: Register, number: int) -> Bill:
    register.cohort(number)
    people = [p for p in register.participants.values() if p.cohort == number]
    return bill_for(register.programme, people)


def programme_bill(register: Register) -> Bill:
    return bill_for(register.programme, list(register.participants.values()))
