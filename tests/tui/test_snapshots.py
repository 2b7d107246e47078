"""The screens' layout, pinned, in Danish (the coordinators' language and the default): the demo
database, a frozen clock, every screen at 120×40 and the main forms at 80×24.

After an intended change of layout: `pytest tests/tui/test_snapshots.py --snapshot-update`,
then look at the report before committing the new SVGs.
"""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, AppFactory

SMALL = (80, 24)

pytestmark = pytest.mark.usefixtures("danish")


@pytest.mark.parametrize(
    "key",
    ["1", "2", "3", "4", "5", "6", "8"],
    ids=["overview", "register", "cohort", "networks", "pricing", "history", "contacts"],
)
def test_screen(snap_compare, make_app: AppFactory, key: str) -> None:
    assert snap_compare(make_app(), press=[key], terminal_size=SIZE)


def test_letters_screen(snap_compare, make_app: AppFactory) -> None:
    """The practical letter for hold 1: the recipients, the pre-flight and the first letter, its
    HTML part as it reads."""

    async def choose(pilot) -> None:
        await pilot.press("7")
        await pilot.app.workers.wait_for_complete()
        pilot.app.screen.query_one("#letter").value = "practical"
        await pilot.app.workers.wait_for_complete()
        pilot.app.screen.query_one("#letter-cohort").value = 1
        await pilot.app.workers.wait_for_complete()
        await pilot.press("h")
        await pilot.pause()

    assert snap_compare(make_app(), run_before=choose, terminal_size=SIZE)


@pytest.mark.parametrize(
    "keys",
    [
        ["a", "ctrl+n", "ctrl+n"],  # a new directorate with three members
        ["2", "enter"],  # a participant
        ["3", "e"],  # the cohort's settings
        ["3", "i"],  # an invoice
        ["2", "i"],  # the import of a sheet
    ],
    ids=["directorate", "participant", "cohort-settings", "invoice", "import"],
)
def test_form_at_80x24(snap_compare, make_app: AppFactory, keys: list[str]) -> None:
    assert snap_compare(make_app(), press=keys, terminal_size=SMALL)
