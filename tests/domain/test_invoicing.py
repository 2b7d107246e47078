"""The invoice run in the domain: exact amounts, numbers from the series, dates, refusal while
details are missing, idempotence, and credit notes / supplementary invoices for what changed."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from kommunestyre.domain import invoicing, rules
from kommunestyre.domain.invoicing import InvoiceKind, InvoiceStatus
from kommunestyre.domain.model import InvoiceDetails, Register
from kommunestyre.domain.pricing import invoice_lines
from kommunestyre.errors import RuleError
from tests.conftest import EARLY, register_team

DETAILS = InvoiceDetails(ean="5798000123458", reference="KS-1")


def team(register: Register, municipality: str, size: int, cohort: int = 1) -> list[int]:
    directorate = register_team(register, municipality, cohort, size)
    directorate.invoice = DETAILS
    return [p.id for p in register.members(directorate.id)]


def net_by_line(register: Register) -> dict[tuple[int, int], Decimal]:
    net: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for document in register.invoices.values():
        net[(document.municipality_code, document.cohort)] += document.total
    return {key: value for key, value in net.items() if value}


def pricing(register: Register) -> dict[tuple[int, int], Decimal]:
    return {
        (line.directorate.municipality_code, line.cohort): line.bill.amount.incl_vat
        for line in invoice_lines(register)
    }


def test_one_invoice_per_municipality_with_exact_amounts(register: Register) -> None:
    team(register, "Kolding", 5)
    team(register, "Vejle", 1)
    documents = invoicing.run(register, 1, EARLY)
    assert [(d.municipality, d.kind) for d in documents] == [
        ("Kolding", InvoiceKind.INVOICE),
        ("Vejle", InvoiceKind.INVOICE),
    ]
    kolding = documents[0]
    assert kolding.number == register.programme.invoice_first_number
    assert documents[1].number == kolding.number + 1
    assert kolding.excl_vat == Decimal("74500")
    assert kolding.vat == Decimal("18625.00")
    assert kolding.total == Decimal("93125.00")
    assert len(kolding.lines) == 5 and kolding.details == DETAILS
    seminar = register.cohort(1).seminar.start.date()
    assert kolding.date == seminar - timedelta(weeks=register.programme.invoice_weeks_before)
    assert kolding.due == kolding.date + timedelta(days=register.programme.invoice_due_days)
    assert net_by_line(register) == pricing(register)


def test_the_invoice_date_is_today_once_the_weeks_before_have_passed(register: Register) -> None:
    seminar = register.cohort(1).seminar.start.date()
    late = seminar - timedelta(days=3)
    assert invoicing.invoice_date(register, 1, late) == late
    assert invoicing.invoice_date(register, 1, date(2026, 1, 1)) < seminar


def test_running_twice_creates_nothing_new(register: Register) -> None:
    team(register, "Kolding", 3)
    assert len(invoicing.run(register, 1, EARLY)) == 1
    assert invoicing.run(register, 1, EARLY) == []
    assert len(register.invoices) == 1


def test_refused_while_an_ean_is_missing_listing_what(register: Register) -> None:
    team(register, "Kolding", 3)
    vejle = register_team(register, "Vejle", 1, 2)
    vejle.invoice = InvoiceDetails(reference="x")
    with pytest.raises(RuleError, match="Vejle: EAN"):
        invoicing.run(register, 1, EARLY)
    assert register.invoices == {}


def test_a_free_cancellation_after_the_run_is_credited(register: Register) -> None:
    ids = team(register, "Kolding", 4)
    [invoice] = invoicing.run(register, 1, EARLY)
    rules.cancel_participant(register, ids[1], EARLY)  # before the deadline: free
    [credit] = invoicing.run(register, 1, EARLY)
    assert credit.kind is InvoiceKind.CREDIT_NOTE
    assert credit.number == invoice.number + 1
    assert credit.excl_vat == Decimal(-14900) and credit.total == Decimal("-18625.00")
    assert [line.participant_id for line in credit.lines] == [ids[1]]
    assert invoice.total + credit.total == Decimal("55875.00")
    assert net_by_line(register) == pricing(register)
    # ... and reinstating the seat invoices it again.
    rules.reinstate_participant(register, ids[1], EARLY)
    [again] = invoicing.run(register, 1, EARLY)
    assert again.kind is InvoiceKind.INVOICE and again.excl_vat == Decimal(14900)
    assert net_by_line(register) == pricing(register)


def test_a_move_credits_one_cohort_and_bills_the_other(register: Register) -> None:
    ids = team(register, "Kolding", 3)
    invoicing.run(register, 1, EARLY)
    rules.move_participant(register, ids[0], 2, EARLY)
    [credit] = invoicing.run(register, 1, EARLY)
    [moved] = invoicing.run(register, 2, EARLY)
    assert credit.kind is InvoiceKind.CREDIT_NOTE and credit.cohort == 1
    assert moved.kind is InvoiceKind.INVOICE and moved.cohort == 2
    assert net_by_line(register) == pricing(register)


def test_status_moves_on_and_never_back(register: Register) -> None:
    team(register, "Kolding", 1)
    [invoice] = invoicing.run(register, 1, EARLY)
    invoicing.mark(register, invoice.number, InvoiceStatus.SENT)
    invoicing.mark(register, invoice.number, InvoiceStatus.PAID)
    with pytest.raises(RuleError):
        invoicing.mark(register, invoice.number, InvoiceStatus.SENT)
    assert invoice.status is InvoiceStatus.PAID


def test_erasure_takes_the_name_off_the_invoice(register: Register) -> None:
    ids = team(register, "Kolding", 2)
    [invoice] = invoicing.run(register, 1, EARLY)
    name = register.participant(ids[0]).name
    invoicing.forget(register, [ids[0]])
    assert name not in [line.text for line in invoice.lines]
    assert invoice.excl_vat == Decimal(29800)
