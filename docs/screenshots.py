"""Make the README's screenshots: the demo database, a frozen clock, 120x40.

python docs/screenshots.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kommunestyre.clock import frozen_clock, local  # noqa: E402
from kommunestyre.services.demo import create_demo  # noqa: E402
from kommunestyre.services.registry import Registry  # noqa: E402
from kommunestyre.store.database import Database  # noqa: E402
from kommunestyre.store.repository import Repository  # noqa: E402
from kommunestyre.tui.app import KommunestyreApp  # noqa: E402

NOW = local(datetime(2026, 12, 1, 10, 0))


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.json"
        create_demo(path, clock=frozen_clock(NOW))
        app = KommunestyreApp(Registry(Repository(Database(path), clock=frozen_clock(NOW))))
        async with app.run_test(size=(120, 40)) as pilot:
            for key, name in (("1", "overview"), ("2", "register"), ("3", "cohort")):
                await pilot.press(key)
                await pilot.pause()
                app.save_screenshot(str(HERE / f"{name}.svg"))
            await pilot.press("7")
            await app.workers.wait_for_complete()
            app.screen.query_one("#letter").value = "practical"
            await app.workers.wait_for_complete()
            app.screen.query_one("#letter-cohort").value = 1
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.save_screenshot(str(HERE / "letters.svg"))
            # The invoice run for hold 1, one invoice marked paid: the Pricing screen.
            from kommunestyre.domain.invoicing import InvoiceStatus
            from kommunestyre.services import invoicing

            result = invoicing.run(app.registry, 1)
            invoicing.mark(app.registry, result.documents[0].number, InvoiceStatus.PAID)
            app.reload()
            await pilot.press("5")
            await pilot.pause()
            app.save_screenshot(str(HERE / "pricing.svg"))
            # Check-in at the seminar of hold 1: a few present.
            await pilot.press("3", "k")
            await pilot.pause()
            await pilot.press("enter", "down", "enter", "down", "down", "enter")
            await pilot.pause()
            app.save_screenshot(str(HERE / "checkin.svg"))


if __name__ == "__main__":
    asyncio.run(main())
