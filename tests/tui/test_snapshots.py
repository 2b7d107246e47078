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
