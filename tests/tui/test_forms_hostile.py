"""Every form of the app with markup, control characters and the like typed into every field:
saving marks the fields or saves the text as typed; the app never crashes and no action is
planted."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from kommunestyre.tui.modals.form_modal import FormModal
from tests.tui.conftest import SIZE, AppFactory, close_dialogs
from tests.tui.test_flows import open_register_on

VALUES = ["[@click=app.quit]Klik her[/]", "Ole [/] Hansen", "Ole \x1b[31mRød", "²"]

#: (screen key, keys that open the form, a person or cohort to select first)
FORMS = [
    ("1", ["a"], None),  # add a directorate
    ("2", ["e"], "tina kristensen"),  # edit a participant
    ("2", ["s"], "tina kristensen"),  # a substitute
    ("2", ["i"], None),  # import a sheet
    ("2", ["x"], None),  # write a list
    ("3", ["e"], None),  # cohort settings
    ("3", ["i"], None),  # invoice details
    ("3", ["n"], None),  # one more member
    ("8", ["e"], None),  # a municipality's contact
]


@pytest.mark.parametrize(
    ("screen", "keys", "person"), FORMS, ids=[f"{s}{''.join(k)}" for s, k, _ in FORMS]
)
async def test_hostile_text_in_every_field_of_a_form(
    make_app: AppFactory, demo_db: Path, screen: str, keys: list[str], person: str | None
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for shift in (0, 2):  # each field gets two of the values, the form gets all four
            if person:
                await open_register_on(pilot, person)
            else:
                await pilot.press(screen)
                await pilot.pause()
            await pilot.press(*keys)
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormModal), f"{screen}{keys} opened {form}"
            for index, field in enumerate(form.query(Input)):
                field.value = VALUES[(index + shift) % len(VALUES)]
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.is_running, f"{screen}{keys}: the app ended"
            await close_dialogs(pilot)
        assert app.is_running


@pytest.mark.parametrize("keys", [["e"], ["m"]], ids=["export", "send"])
async def test_hostile_text_in_the_letters_forms(
    make_app: AppFactory, keys: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.tui.test_letters_screen import open_letters

    monkeypatch.chdir(tmp_path)  # a value that is a good folder name is exported into it

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for value in [*VALUES, "9" * 5000, "1e400", "nan"]:
            await open_letters(pilot)
            await pilot.press(*keys)
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormModal)
            for field in form.query(Input):
                field.value = value  # typed: each keystroke is checked at once
                await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.is_running, f"{keys} with {value[:20]!r}: the app ended"
            await close_dialogs(pilot)
