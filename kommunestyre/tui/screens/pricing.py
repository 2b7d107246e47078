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
from kommunestyre.i18n import N_, _
from kommunestyre.services.registry import Snapshot
from kommunestyre.tui.screens.base import LIST_BINDING, BaseScreen
from kommunestyre.tui.widgets.plain import Plain, PlainTable

#: The amounts' column headers (shown through _()).
AMOUNT_COLUMNS = (N_("Seats"), N_("Late canc."), N_("Excl. VAT"), N_("VAT"), N_("Incl. VAT"))


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
    PURPOSE = N_(
        "The invoice basis: taken seats plus cancellations made after the deadline, at the "
        "programme's price, per cohort and per municipality in each cohort, with the "
        "programme's totals. Offered seats are billed once they are accepted."
    )

    def compose_body(self) -> ComposeResult:
        yield Plain(id="price-line", classes="screen-title")
        yield PlainTable(id="cohort-prices", cursor_type="row", zebra_stripes=True)
        yield PlainTable(id="municipality-prices", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        amounts = [_(label) for label in AMOUNT_COLUMNS]
        self.query_one("#cohort-prices", DataTable).add_columns(_("Cohort"), *amounts)
        self.query_one("#municipality-prices", DataTable).add_columns(
            _("Municipality"), _("Hold"), _("EAN"), _("Reference"), *amounts
        )

    def show(self, snapshot: Snapshot) -> None:
        register = snapshot.register
        programme = register.programme
        unit = unit_price(programme)
        self.query_one("#price-line", Static).update(
            _(
                "Price per participant {price} excl. VAT · VAT {rate} {vat} · {total} incl. VAT"
            ).format(
                price=money(unit.excl_vat, decimals=False),
                rate=percent(programme.vat_rate),
                vat=money(unit.vat),
                total=money(unit.incl_vat),
            )
        )
        cohorts = self.query_one("#cohort-prices", DataTable)
        cohorts.clear()
        for cohort in programme.cohorts:
            cohorts.add_row(
                _("Hold {number}").format(number=cohort.number),
                *_amounts(cohort_bill(register, cohort.number)),
            )
        total = programme_bill(register)
        cohorts.add_row(
            Text(_("Programme"), style="bold"),
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
