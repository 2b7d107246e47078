"""Forms that never lose what the coordinator typed, at the smallest size the app supports
(80×24): every field reachable and visible, the focus on the first field in error after a
failed save, Esc on a changed form asks, a stale save keeps the typing."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget
from textual.widgets import Input

from kommunestyre.services.registry import Registry
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from kommunestyre.tui.modals.confirm import ConfirmModal
from kommunestyre.tui.modals.directorate_form import DirectorateForm
from kommunestyre.tui.modals.form_modal import FormModal
from kommunestyre.tui.modals.participant_form import ParticipantForm
from kommunestyre.tui.widgets.form import FormField
from tests.conftest import EARLY
from tests.tui.conftest import AppFactory, fill, stored
from tests.tui.test_flows import open_register_on

SMALL = (80, 24)


def visible(widget: Widget) -> bool:
    """Is the whole widget on the screen (not scrolled away, not below the edge)?"""
    screen, shown = widget.screen, widget.region
    if shown.height == 0 or not screen.region.contains_region(shown):
        return False
    try:  # what the screen shows at the widget's first and last cell is the widget
        first = screen.get_widget_at(shown.x, shown.y)[0]
        last = screen.get_widget_at(shown.right - 1, shown.bottom - 1)[0]
    except Exception:
        return False
    return widget in (first, *first.ancestors) and widget in (last, *last.ancestors)


async def test_every_field_of_a_three_member_directorate_is_reachable(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, DirectorateForm)
        await pilot.press("ctrl+n", "ctrl+n")  # members 2 and 3
        await pilot.pause()
        form = app.screen
        inputs = list(form.query(Input))
        assert inputs[-1].id == "input-members-3-needs"
        inputs[0].focus()
        await pilot.pause()
        for expected in inputs[1:]:  # the Tab key, through every field to the last
            while app.focused is not expected:
                await pilot.press("tab")
                await pilot.pause()
            assert visible(expected), f"{expected.id} has the focus but is off the screen"
        await pilot.press(*"Ole")  # typing lands where the coordinator sees it
        await pilot.pause()
        assert inputs[-1].value == "Ole"


async def test_a_failed_save_focuses_the_first_field_in_error_and_shows_it(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("a")
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.pause()
        await fill(pilot, "#input-municipality", "Vejle")
        await fill(pilot, "#input-ean", "5798009813640")
        for n in (1, 2):
            await fill(pilot, f"#input-members-{n}-name", f"Person {n}")
            await fill(pilot, f"#input-members-{n}-email", f"p{n}@vejle.dk")
        await fill(pilot, "#input-members-3-name", "Tredje")
        await fill(pilot, "#input-members-3-email", "ikke en adresse")
        await fill(pilot, "#input-municipality", "Vejle")  # the focus back at the top
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DirectorateForm)
        assert app.focused is not None and app.focused.id == "input-members-3-email"
        field = app.screen.query_one("#field-members-3-email", FormField)
        assert field.has_class("-invalid")
        assert visible(app.focused) and visible(field.query_one(".error"))


async def test_esc_on_a_changed_form_asks_and_an_unchanged_one_closes(
    make_app: AppFactory, demo_db: Path
) -> None:
    before = demo_db.read_bytes()
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_register_on(pilot, "tina kristensen")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantForm)
        await pilot.press("escape")  # nothing changed: closes at once
        await pilot.pause()
        assert not isinstance(app.screen, FormModal)

        await pilot.press("e")
        await pilot.pause()
        await fill(pilot, "#input-title", "Direktør for det hele")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # keep typing
        await pilot.pause()
        assert isinstance(app.screen, ParticipantForm)
        assert app.screen.query_one("#input-title", Input).value == "Direktør for det hele"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # discard
        await pilot.pause()
        assert not isinstance(app.screen, (FormModal, ConfirmModal))
    assert demo_db.read_bytes() == before


async def test_a_stale_save_keeps_the_typing_and_shows_theirs(
    make_app: AppFactory, demo_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        pid = await open_register_on(pilot, "tina kristensen")
        await pilot.press("e")
        await pilot.pause()
        # Meanwhile another coordinator changes the same person's title.
        other = Registry(Repository(Database(demo_db), clock=lambda: EARLY))
        theirs = other.snapshot().register.participants[pid]
        other.edit_participant(pid, theirs.rev, theirs.details._replace(title="Borgmester"))
        await fill(pilot, "#input-title", "Min titel")
        await fill(pilot, "#input-phone", "70 10 20 30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ParticipantForm), "the form stays, with what was typed"
        assert form.query_one("#input-title", Input).value == "Min titel"
        assert form.query_one("#input-phone", Input).value == "70 10 20 30"
        note = str(form.query_one("#field-title .note").render())
        assert "Borgmester" in note  # what they saved, beside what I typed
        assert stored(demo_db).participants[pid].details.title == "Borgmester"
        await pilot.press("ctrl+s")  # mine on top
        await pilot.pause()
        assert not isinstance(app.screen, FormModal)
    details = stored(demo_db).participants[pid].details
    assert (details.title, details.phone) == ("Min titel", "70 10 20 30")
