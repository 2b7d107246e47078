"""After a dialog or a save the cursor and the focus are on the row the coordinator acted on, so
the next key acts on what they expect (a new member for the directorate just added, not for the
one the cursor happened to be on before)."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from kommunestyre.domain.municipalities import by_code
from kommunestyre.tui.modals.participant_form import ParticipantForm
from kommunestyre.tui.screens.cohort import CohortScreen
from kommunestyre.tui.screens.register import RegisterScreen
from kommunestyre.tui.widgets.virtual_table import VirtualTable
from tests.tui.conftest import SIZE, AppFactory, fill, stored
from tests.tui.test_flows import fill_directorate, open_register_on


async def test_n_after_adding_a_directorate_adds_to_the_new_one(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        screen = app.screen
        assert isinstance(screen, CohortScreen)
        table = screen.query_one("#directorates", DataTable)
        table.focus()
        await pilot.press("down", "down")  # the cursor on someone else
        await pilot.pause()
        before = screen.selected_directorate()
        assert before is not None
        await pilot.press("a")
        await fill_directorate(pilot, "Tønder", "ny@toender.dk")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        chosen = screen.selected_directorate()
        assert chosen is not None and by_code(chosen.municipality_code).name == "Tønder"
        assert app.focused is table
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantForm)
        assert "Tønder" in str(app.screen.heading)


async def test_the_register_shows_the_person_just_added_or_substituted(
    make_app: AppFactory, demo_db
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pid = await open_register_on(pilot, "Mette")
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        assert screen.query_one(VirtualTable).cursor_key == pid
        await pilot.press(
            "s"
        )  # the filter "Mette" would hide the substitute: it is cleared  # substitute
        await fill(pilot, "#input-name", "Vikar Åse")
        await fill(pilot, "#input-email", "vikar@example.dk")
        await pilot.press("ctrl+s")
        await pilot.pause()
        table = screen.query_one(VirtualTable)
        new = next(p for p in stored(demo_db).participants.values() if p.name == "Vikar Åse")
        assert table.cursor_key == new.id
        assert app.focused is table
        assert screen.query_one("#filter", Input).value == ""

        await pilot.press("a")
        await fill_directorate(pilot, "Tønder", "ny@toender.dk")
        await pilot.press("ctrl+s")
        await pilot.pause()
        added = next(p for p in stored(demo_db).participants.values() if p.name == "Ny Direktør")
        assert table.cursor_key == added.id
        assert app.focused is table


async def test_after_a_confirmation_the_cursor_and_focus_stay_on_the_person(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pid = await open_register_on(pilot, "Mette")
        await fill(pilot, "#filter", "")  # every row back: the person is somewhere in the middle
        table = app.screen.query_one(VirtualTable)
        table.focus()
        await pilot.pause()
        assert table.cursor_key == pid
        await pilot.press("c", "y")  # cancel them; the row stays (as cancelled)
        await pilot.pause()
        assert table.cursor_key == pid
        assert app.focused is table
        await pilot.press("m", "escape")  # a dialog closed without a change
        await pilot.pause()
        assert table.cursor_key == pid
        assert app.focused is table
