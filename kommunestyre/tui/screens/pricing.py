"""What the programme comes to: per cohort and per municipality, excl. and incl. VAT."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from kommunestyre.domain.municipalities import by_code
from kommunestyre.domain.pricing import (
    Bill,
    cohort_bill,
    invoice_lines,
    programme_bill,
    unit_price,
)
from kommunestyre.formats import money, percent
from kommunestyre.services.registry import Snapshot
from kommunestyre.tui.screens.base import LIST_BINDING, BaseScreen
from kommunestyre.tui.widgets.plain import Plain, PlainTable

AMOUNT_COLUMNS = ("Seats", "Late canc.", "Excl. VAT", "VAT", "Incl. VAT")


def _amounts(bill: Bill) -> tuple[str, ...]:
    return (
        str(bill.seats),
        str(bill.late_cancellations),
        money(bill.amount.excl_vat),
        money(bill.amount.vat),
        money(bill.amount.incl_vat),
    )


class PricingScreen(BaseScreen):
    LIST_KIND = "invoices"
    BINDINGS = [LIST_BINDING]
    MODE = "pricing"
    PURPOSE = (
        "The invoice basis: taken seats plus cancellations made after the deadline, at the "
        "programme's price, per cohort and per municipality in each cohort, with the "
        "programme's totals. Offered seats are billed once they are accepted."
    )

    def compose_body(self) -> ComposeResult:
        yield Plain(id="price-line", classes="screen-title")
        yield PlainTable(id="cohort-prices", cursor_type="row", zebra_stripes=True)
        yield PlainTable(id="municipality-prices", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#cohort-prices", DataTable).add_columns("Cohort", *AMOUNT_COLUMNS)
        self.query_one("#municipality-prices", DataTable).add_columns(
            "Municipality", "Hold", "EAN", "Reference", *AMOUNT_COLUMNS
        )

    def show(self, snapshot: Snapshot) -> None:
        register = snapshot.register
        programme = register.programme
        unit = unit_price(programme)
        self.query_one("#price-line", Static).update(
            f"Price per participant {money(unit.excl_vat, decimals=False)} excl. VAT · "
            f"VAT {percent(programme.vat_rate)} {money(unit.vat)} · "
            f"{money(unit.incl_vat)} incl. VAT"
        )
        cohorts = self.query_one("#cohort-prices", DataTable)
        cohorts.clear()
        for cohort in programme.cohorts:
            cohorts.add_row(
                f"Hold {cohort.number}", *_amounts(cohort_bill(register, cohort.number))
            )
        total = programme_bill(register)
        cohorts.add_row(
            Text("Programme", style="bold"),
            *(Text(cell, style="bold") for cell in _amounts(total)),
            key="total",
        )

        places = self.query_one("#municipality-prices", DataTable)
        places.clear()
        for line in invoice_lines(register):
            d = line.directorate
            places.add_row(
                by_code(d.municipality_code).name,
                str(line.cohort),
                d.invoice.ean or "—",
                d.invoice.reference or "—",
                *_amounts(line.bill),
                key=f"{d.id}:{line.cohort}",
            )
