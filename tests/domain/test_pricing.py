"""Pricing with Decimal: unit price, invoices per municipality, cohorts and the programme."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from kommunestyre.clock import local
from kommunestyre.domain import rules
from kommunestyre.domain.model import Register
from kommunestyre.domain.pricing import (
    cohort_bill,
    directorate_bill,
    programme_bill,
    round_ore,
    unit_price,
)
from kommunestyre.formats import money, percent
from tests.conftest import EARLY, register_team
from tests.domain.test_rules import fill


def test_unit_price(register: Register, danish: None) -> None:
    price = unit_price(register.programme)
    assert price.excl_vat == Decimal("14900")
    assert price.vat == Decimal("3725")
    assert price.incl_vat == Decimal("18625")
    assert money(price.excl_vat, decimals=False) == "14.900 kr."
    assert money(price.incl_vat) == "18.625,00 kr."
    assert percent(register.programme.vat_rate) == "25 %"


def test_bills_count_seats_and_late_cancellations_only(register: Register) -> None:
    fill(register)  # hold 1 full
    aarhus = register_team(register, "Aarhus", 1, 3)  # waiting list: not billed
    odense = register_team(register, "Roskilde", 2, 4)
    first, second, _, _ = register.members(odense.id)
    rules.cancel_participant(register, first.id, EARLY)  # free
    deadline = register.cohort(2).registration_deadline
    late = local(datetime(deadline.year, deadline.month, deadline.day, 12)) + timedelta(days=2)
    rules.cancel_participant(register, second.id, late)  # binding

    bill = directorate_bill(register, odense.id)
    assert (bill.seats, bill.late_cancellations, bill.billable) == (2, 1, 3)
    assert bill.amount.excl_vat == Decimal("44700")
    assert bill.amount.vat == Decimal("11175")
    assert bill.amount.incl_vat == Decimal("55875")
    assert directorate_bill(register, aarhus.id).billable == 0

    assert cohort_bill(register, 1).billable == 40
    assert cohort_bill(register, 2).billable == 3
    total = programme_bill(register)
    assert total.billable == 43
    assert total.amount.excl_vat == Decimal("14900") * 43
    per_directorate = sum(
        (directorate_bill(register, d).amount.incl_vat for d in register.directorates), Decimal(0)
    )
    per_cohort = sum(
        (cohort_bill(register, c.number).amount.incl_vat for c in register.programme.cohorts),
        Decimal(0),
    )
    assert per_directorate == per_cohort == total.amount.incl_vat


def test_moved_participant_is_billed_to_their_municipality(register: Register) -> None:
    aarhus = register_team(register, "Aarhus", 1, 2)
    one = register.members(aarhus.id)[0]
    rules.move_participant(register, one.id, 3, EARLY)
    assert directorate_bill(register, aarhus.id).billable == 2
    assert cohort_bill(register, 1).billable == 1
    assert cohort_bill(register, 3).billable == 1


def test_rounding_is_half_up_to_ore(danish: None) -> None:
    assert round_ore(Decimal("0.005")) == Decimal("0.01")
    assert round_ore(Decimal("1.0049")) == Decimal("1.00")
    assert money(Decimal("1117500")) == "1.117.500,00 kr."
    assert money(Decimal("-3725")) == "-3.725,00 kr."
    assert money(Decimal("999.995")) == "1.000,00 kr."
    assert money(Decimal("14900.50"), decimals=False) == "14.900,50 kr."
