"""The check-in (k on the Cohort screen): filter as you type, mark present, absent, undo, each
saved at once without losing the filter or the cursor; the counts on Cohort and Overview."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select

from kommunestyre.tui.app import KommunestyreApp
from kommunestyre.tui.modals.checkin import CheckInModal
from kommunestyre.tui.widgets.cohort_panel import CohortPanel
from kommunestyre.tui.widgets.virtual_table import VirtualTable
from tests.tui.conftest import SIZE, AppFactory, stored, type_into
from tests.tui.test_plain_text import CLEAR_SCREEN, hostile_db, terminal_output  # noqa: F401


def text_of(app: KommunestyreApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def mark_of(path: Path, name: str, meeting: str = "seminar") -> bool | None:
    register = stored(path)
    person = next(p for p in register.participants.values() if p.name == name)
    return person.attendance.at(person.cohort, meeting)


async def open_check_in(pilot: Pilot[None]) -> CheckInModal:
    await pilot.press("3")
    await pilot.pause()
    await pilot.press("k")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CheckInModal)
    return screen


async def test_filter_mark_absent_and_undo_save_at_once(
    make_app: AppFactory, demo_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_check_in(pilot)
        everyone = len(modal.table.rows)
        assert "present 0 of" in text_of(app, "#checkin-count")
        await type_into(pilot, "#checkin-filter", "møll vej")  # æøå, name and municipality
        table = modal.table
        assert [row[1] for row in table.rows] == ["Ole Møller"]
        await pilot.press("enter")  # from the filter: present
        await pilot.pause()
        assert mark_of(demo_db, "Ole Møller") is True
        assert table.rows[0][0] == "✓"
        assert app.screen.query_one("#checkin-filter", Input).value == "møll vej"
        assert "present 1 of" in text_of(app, "#checkin-count")

        await type_into(pilot, "#checkin-filter", "sønderborg")
        assert len(table.rows) == 4 and len(table.rows) < everyone
        table.focus()
        await pilot.press("down", "down")
        highlighted = table.rows[table.cursor_row][1]
        await pilot.press("a")
        await pilot.pause()
        assert mark_of(demo_db, highlighted) is False
        assert table.rows[table.cursor_row][1] == highlighted  # the cursor stays
        assert table.rows[table.cursor_row][0] == "✗"
        assert "1 absent" in text_of(app, "#checkin-count")
        await pilot.press("space")
        await pilot.pause()
        assert mark_of(demo_db, highlighted) is True
        await pilot.press("u")
        await pilot.pause()
        assert mark_of(demo_db, highlighted) is None
        assert table.rows[table.cursor_row][0] == ""
        assert app.screen.query_one("#checkin-filter", Input).value == "sønderborg"

        await pilot.press("m")  # the follow-up day: nothing recorded there yet
        await pilot.pause()
        assert app.screen.query_one("#checkin-meeting", Select).value == "followup"
        assert "Follow-up day: present 0 of" in text_of(app, "#checkin-count")
        await pilot.press("a")
        await pilot.pause()
        assert mark_of(demo_db, highlighted, "followup") is False
        assert mark_of(demo_db, highlighted, "seminar") is None

        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.is_modal
        title = text_of(app, "#cohort-title")
        assert "present: seminar 1/" in title and "follow-up day 0/" in title
        await pilot.press("1")
        await pilot.pause()
        panel = app.screen.query_one(CohortPanel)
        assert "✓ 0/" in str(panel.border_title)  # the follow-up day, begun


async def test_nothing_recorded_shows_no_counts(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert "present" not in text_of(app, "#cohort-title")
        await pilot.press("1")
        await pilot.pause()
        assert all("✓" not in str(p.border_title) for p in app.screen.query(CohortPanel))


async def test_usable_at_80x24(make_app: AppFactory, demo_db: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_check_in(pilot)
        table = modal.query_one(VirtualTable)
        assert table.region.height >= 4 and table.region.width >= 60
        for selector in ("#checkin-count", "#checkin-filter", "#checkin-meeting"):
            region = modal.query_one(selector).region
            assert region.height >= 1 and region.bottom <= 24, selector
        await pilot.press("down", "enter")
        await pilot.pause()
        name = table.rows[table.cursor_row][1]
        assert mark_of(demo_db, name) is True


async def test_hostile_names_are_shown_as_typed(make_app: AppFactory, hostile_db: Path) -> None:  # noqa: F811
    app = make_app(hostile_db)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_check_in(pilot)
        modal.table.focus()
        for _ in range(6):
            await pilot.press("down")
            await pilot.press("space")
            await pilot.pause()
        await type_into(pilot, "#checkin-filter", "[")
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        output = terminal_output(app)  # type: ignore[arg-type]
        assert CLEAR_SCREEN not in output and "\x1b]0;pwned" not in output
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert "present: seminar" in text_of(app, "#cohort-title")
