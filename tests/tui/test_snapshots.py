"""The key screens' layout, pinned: the demo database, a frozen clock, 120x40.

After an intended change of layout: `pytest tests/tui/test_snapshots.py --snapshot-update`,
then look at the report before committing the new SVGs.
"""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, AppFactory


@pytest.mark.parametrize(
    "key", ["1", "2", "3", "4", "5"], ids=["overview", "register", "cohort", "networks", "pricing"]
)
def test_screen(snap_compare, make_app: AppFactory, key: str) -> None:
    assert snap_compare(make_app(), press=[key], terminal_size=SIZE)


def test_letters_screen(snap_compare, make_app: AppFactory) -> None:
    """The practical letter for hold 1: the recipients, the pre-flight and the first letter."""

    async def choose(pilot) -> None:
        await pilot.press("7")
        await pilot.app.workers.wait_for_complete()
        pilot.app.screen.query_one("#letter").value = "practical"
        await pilot.app.workers.wait_for_complete()
        pilot.app.screen.query_one("#letter-cohort").value = 1
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(), run_before=choose, terminal_size=SIZE)


def test_contacts_screen(snap_compare, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), press=["8"], terminal_size=SIZE)
