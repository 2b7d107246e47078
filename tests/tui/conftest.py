"""Apps for Pilot tests: built from injected parts (a temporary database, a frozen clock)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from kommunestyre.clock import frozen_clock
from kommunestyre.services.registry import Registry
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from kommunestyre.tui.app import KommunestyreApp
from tests.conftest import EARLY

SIZE = (120, 40)
AppFactory = Callable[..., KommunestyreApp]


@pytest.fixture
def make_app(demo_db: Path) -> AppFactory:
    def make(path: Path = demo_db, now: datetime = EARLY) -> KommunestyreApp:
        repository = Repository(Database(path), clock=frozen_clock(now))
        return KommunestyreApp(Registry(repository), poll_seconds=3600)

    return make


def stored(path: Path):
    return Repository(Database(path)).load()


async def fill(pilot: Pilot, selector: str, text: str) -> None:
    """Focus an input and set its value to ``text`` (as a paste would: one change event).

    Typing key by key is what ``type_into`` does; it costs a screen update per character, so
    only the test of per-keystroke behaviour uses it.
    """
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    await pilot.pause()
    widget.value = text
    widget.cursor_position = len(text)
    await pilot.pause()


async def type_into(pilot: Pilot, selector: str, text: str) -> None:
    """Focus an input, clear it and type ``text`` key by key."""
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    await pilot.pause()
    await pilot.press("end", "ctrl+u")
    if text:
        await pilot.press(*text)
    await pilot.pause()


async def paste(pilot: Pilot, selector: str, text: str) -> None:
    """Focus an input, clear it and paste ``text`` (as a terminal delivers a paste)."""
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    await pilot.pause()
    await pilot.press("end", "ctrl+u")
    widget.post_message(events.Paste(text))
    await pilot.pause()


def notices(app: KommunestyreApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def close_dialogs(pilot: Pilot) -> None:
    """Esc out of every open form and dialog, discarding what was typed when asked."""
    from kommunestyre.tui.modals.confirm import ConfirmModal

    for _ in range(20):
        if not pilot.app.screen.is_modal:
            return
        discard = isinstance(pilot.app.screen, ConfirmModal)
        await pilot.press("y" if discard else "escape")
        await pilot.pause()
    raise AssertionError(f"{pilot.app.screen} does not close")
