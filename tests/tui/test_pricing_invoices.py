"""Økonomi and the invoice run: `i` invoices the cohort under the cursor, `s` and `p` mark the
row's invoices sent and paid, and the row shows the numbers and the status."""

from __future__ import annotations

from pathlib import Path

from kommunestyre.domain.invoicing import InvoiceStatus
from kommunestyre.i18n import _
from tests.tui.conftest import SIZE, AppFactory, stored
from tests.tui.test_pricing_history_screens import line_with, screen_lines


async def test_invoice_run_and_paid_status_on_the_pricing_screen(
    make_app: AppFactory, demo_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await pilot.pause()
        await pilot.press("i")  # the cursor is on the first row: a municipality of hold 1
        await pilot.pause()
        register = stored(demo_db)
        assert register.invoices and {d.cohort for d in register.invoices.values()} == {1}
        first = min(register.invoices.values(), key=lambda d: d.number)
        await pilot.press("p")
        await pilot.pause()
        register = stored(demo_db)
        assert register.invoices[first.number].status is InvoiceStatus.PAID
        line_with(screen_lines(app), first.municipality, str(first.number), _("paid"))
        await pilot.press("i")  # twice: nothing new
        await pilot.pause()
        assert len(stored(demo_db).invoices) == len(register.invoices)
