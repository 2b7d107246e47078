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
        assert not stored(demo_db).invoices  # first it says what it would issue, and asks
        await pilot.press("y")
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


async def test_a_municipality_credited_in_full_keeps_its_row(
    make_app: AppFactory, demo_db: Path
) -> None:
    from kommunestyre.clock import frozen_clock
    from kommunestyre.services import invoicing
    from kommunestyre.services.registry import Registry
    from kommunestyre.store.database import Database
    from kommunestyre.store.repository import Repository
    from tests.conftest import EARLY

    registry = Registry(Repository(Database(demo_db), clock=frozen_clock(EARLY)))
    invoicing.run(registry, 3)
    register = registry.snapshot().register
    gentofte = next(d for d in register.directorates.values() if d.municipality_code == 157)
    registry.cancel_directorate(gentofte.id, gentofte.rev)  # free: before the deadline
    credit = invoicing.run(registry, 3).documents
    assert [d.municipality for d in credit] == ["Gentofte"]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await pilot.pause()
        numbers = sorted(
            str(d.number) for d in stored(demo_db).invoices.values() if d.municipality_code == 157
        )
        line_with(screen_lines(app), "Gentofte", numbers[0])
