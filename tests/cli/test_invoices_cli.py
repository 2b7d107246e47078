"""`kommunestyre invoices run | list --json | mark-sent | mark-paid` as subprocesses on the demo."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from kommunestyre.domain.model import InvoiceDetails
from kommunestyre.domain.municipalities import by_code
from kommunestyre.domain.pricing import invoice_lines, round_ore
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from tests.cli.test_cli import run
from tests.cli.test_register_cli import TINA, ok, refused


def documents(db: Path) -> list[dict[str, object]]:
    return json.loads(ok(run("invoices", "list", "--json", "--db", str(db))))  # type: ignore[no-any-return]


def test_run_list_mark_and_a_credit_note_after_a_free_cancellation(demo_db: Path) -> None:
    db = str(demo_db)
    before = demo_db.read_bytes()
    ok(run("invoices", "run", "--cohort", "1", "--dry-run", "--db", db))
    assert demo_db.read_bytes() == before
    out = ok(run("invoices", "run", "--cohort", "1", "--db", db))
    assert "Kolding" in out
    first = documents(demo_db)
    kolding = next(d for d in first if d["municipality"] == "Kolding")
    assert kolding["kind"] == "invoice" and kolding["status"] == "created"
    assert Decimal(str(kolding["excl_vat"])) + Decimal(str(kolding["vat"])) == Decimal(
        str(kolding["total"])
    )
    assert str(kolding["total"]).endswith(".00")
    # running twice creates nothing new
    assert "Nothing to invoice" in ok(run("invoices", "run", "--cohort", "1", "--db", db))
    assert documents(demo_db) == first

    number = str(kolding["number"])
    ok(run("invoices", "mark-sent", number, "--db", db))
    ok(run("invoices", "mark-paid", number, "--db", db))
    assert next(d for d in documents(demo_db) if d["number"] == kolding["number"])["status"] == (
        "paid"
    )
    refused(run("invoices", "mark-sent", number, "--db", db), "already paid")
    refused(run("invoices", "mark-paid", "99", "--db", db), "no invoice number 99")

    ok(run("cancel", TINA, "--yes", "--db", db))  # before the deadline: free
    out = ok(run("invoices", "run", "--cohort", "1", "--db", db))
    assert out.startswith("Credit note")
    [credit] = [d for d in documents(demo_db) if d["kind"] == "credit_note"]
    assert credit["municipality"] == "Kolding" and credit["total"] == "-18625.00"

    # invoices − credit notes = the pricing figures, per municipality and cohort
    register = Repository(Database(demo_db)).load()
    net: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for d in documents(demo_db):
        net[(str(d["municipality"]), int(str(d["cohort"])))] += Decimal(str(d["total"]))
    expected = {
        (by_code(line.directorate.municipality_code).name, line.cohort): round_ore(
            line.bill.amount.incl_vat
        )
        for line in invoice_lines(register, 1)
    }
    assert {k: v for k, v in net.items() if v} == expected
    history = [e.summary for e in Repository(Database(demo_db)).history(40)]
    assert any("marked paid" in s for s in history)
    assert any(s.startswith("Credit note") for s in history)


def test_a_run_is_refused_listing_what_is_missing(demo_db: Path) -> None:
    repository = Repository(Database(demo_db))
    with repository.change() as change:
        for d in change.register.directorates.values():
            if d.cohort == 1 and d.municipality_code in (621, 630):  # Kolding, Vejle
                d.invoice = InvoiceDetails(reference=d.invoice.reference)
    before = demo_db.read_bytes()
    result = run("invoices", "run", "--cohort", "1", "--db", str(demo_db))
    refused(result, "Kolding: EAN")
    assert "Vejle: EAN" in result.stderr
    assert demo_db.read_bytes() == before
    assert documents(demo_db) == []
