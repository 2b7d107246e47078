"""One truth, checked: every place that shows a cohort's or a municipality's figures against a
count made here from the raw records, without the domain's helpers.

Used by the stateful test of the registry and by the tests of single changes.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal

from kommunestyre.domain.capacity import count_cohorts
from kommunestyre.domain.model import Register, Status
from kommunestyre.domain.municipalities import by_code
from kommunestyre.domain.pricing import (
    Amount,
    cohort_bill,
    invoice_lines,
    programme_bill,
    unit_price,
)
from kommunestyre.letters.catalogue import LETTERS, Filters
from kommunestyre.lists.listings import Selection, invoices
from kommunestyre.services import headcount

Key = tuple[str, int]  # (municipality name, cohort)


def truth(register: Register) -> dict[str, Counter]:
    """Seats per (municipality, cohort) and per cohort, counted from the participants."""
    admitted: Counter = Counter()
    offered: Counter = Counter()
    late: Counter = Counter()
    places: dict[int, set[int]] = {c.number: set() for c in register.programme.cohorts}
    for p in register.participants.values():
        key = (by_code(register.directorates[p.directorate_id].municipality_code).name, p.cohort)
        if p.status is Status.ADMITTED:
            admitted[key] += 1
            places[p.cohort].add(p.directorate_id)
        elif p.status is Status.OFFERED:
            offered[key] += 1
            places[p.cohort].add(p.directorate_id)
        elif p.status is Status.CANCELLED and p.billable_cancellation:
            late[key] += 1
    billable = admitted + late
    return {
        "admitted": admitted,
        "offered": offered,
        "late": late,
        "billable": billable,
        "places": Counter({n: len(ids) for n, ids in places.items()}),
    }


def per_cohort(counter: Counter) -> Counter:
    result: Counter = Counter()
    for (_, cohort), value in counter.items():
        result[cohort] += value
    return result


def check_agreement(register: Register, now: datetime) -> None:
    """The register, the headcount, the pricing, the invoice list and the confirmation letters
    show the same figures for every cohort and municipality."""
    t = truth(register)
    cohorts = [c.number for c in register.programme.cohorts]

    # the domain's count and the headcount (app overview, cohort screen, CLI, --json)
    counts = count_cohorts(register)
    data = headcount.as_json(register, headcount.select(register, now), now)
    by_number = {c["number"]: c for c in data["cohorts"]}
    for n in cohorts:
        expected = (
            t["places"][n],
            per_cohort(t["admitted"])[n],
            per_cohort(t["offered"])[n],
            per_cohort(t["billable"])[n],
        )
        c = counts[n]
        assert (c.directorates, c.participants, c.offered, c.billable) == expected, n
        j = by_number[n]
        assert (j["directorates"], j["participants"], j["offers"], j["billable"]) == expected, n
        assert cohort_bill(register, n).billable == expected[3], n
        assert j["late_cancellations"] == per_cohort(t["late"])[n]
    assert data["totals"]["billable"] == sum(t["billable"].values())

    # pricing: one invoice line per municipality and cohort, amounts exact
    price = unit_price(register.programme)
    lines = {
        (by_code(line.directorate.municipality_code).name, line.cohort): line.bill
        for line in invoice_lines(register)
    }
    assert len(lines) == len(invoice_lines(register)), "one line per municipality and cohort"
    assert {k: b.billable for k, b in lines.items()} == +t["billable"]
    for key, bill in lines.items():
        assert (bill.seats, bill.late_cancellations) == (t["admitted"][key], t["late"][key])
        assert bill.amount == price * bill.billable
    assert programme_bill(register).billable == sum(t["billable"].values())

    # the invoice list finance gets
    listing = invoices(register, Selection())
    rows = {(row[0], row[1]): (row[7], row[8]) for row in listing.rows}
    assert rows == {k: (t["admitted"][k], t["late"][k]) for k in +t["billable"]}
    assert listing.totals is not None
    assert (listing.totals[7], listing.totals[8]) == (
        sum(t["admitted"].values()),
        sum(t["late"].values()),
    )

    # the confirmation letters: one per municipality and cohort with seats
    letters = LETTERS["confirmation"].select(register, now, Filters())
    seen = {}
    for letter in letters:
        key = (letter.label, letter.cohort or 0)
        context = letter.context
        assert key not in seen, f"two confirmations for {key}"
        seen[key] = (
            len(context["members"]),
            len(context["late_cancellations"]),
            context["totals"]["participants"],
        )
    assert seen == {k: (t["admitted"][k], t["late"][k], t["billable"][k]) for k in +t["admitted"]}


def invoiced(register: Register, cohort: int) -> dict[Key, Amount]:
    """Invoices − credit notes per municipality in a cohort, summed here from the documents'
    lines (a credit note's lines count negative); municipalities that net to nothing left out."""
    net: dict[Key, tuple[Decimal, Decimal]] = {}
    for document in register.invoices.values():
        if document.cohort != cohort:
            continue
        sign = -1 if document.kind.value == "credit_note" else 1
        key = (by_code(document.municipality_code).name, cohort)
        excl, vat = net.get(key, (Decimal(0), Decimal(0)))
        for line in document.lines:
            excl += sign * line.unit_excl_vat
            vat += sign * line.unit_excl_vat * line.vat_rate
        net[key] = (excl, vat)
    return {key: Amount(excl, vat) for key, (excl, vat) in net.items() if excl or vat}


def billable_amounts(register: Register, cohort: int) -> dict[Key, Amount]:
    """What each municipality owes in a cohort now: its billable seats (counted from the
    participants) at the unit price; the pricing's invoice lines must say the same."""
    price = unit_price(register.programme)
    owed = {key: price * n for key, n in (+truth(register)["billable"]).items() if key[1] == cohort}
    lines = {
        (by_code(line.directorate.municipality_code).name, line.cohort): line.bill.amount
        for line in invoice_lines(register, cohort)
    }
    assert lines == owed, cohort
    return owed
