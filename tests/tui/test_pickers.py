"""Paths without typing them: ctrl+o in the import and export forms opens a file or folder
picker that starts in the folder last used, fills the field, and leaves it alone when
cancelled."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input
from textual_fspicker.base_dialog import Dialog
from textual_fspicker.parts import DirectoryNavigation

from kommunestyre.tui.modals.delivery_forms import ExportForm
from kommunestyre.tui.modals.lists_forms import ExportListForm, ImportForm
from kommunestyre.tui.modals.pickers import (
    ChooseFolder,
    ChooseListFile,
    ChooseSheet,
    start_folder,
)
from kommunestyre.tui.widgets.form import FormField
from tests.tui.conftest import SIZE, AppFactory, stored
from tests.tui.test_letters_screen import open_letters, settle


def field_value(app, name: str) -> str:
    return app.screen.query_one(f"#field-{name}", FormField).value


def opened_in(app) -> Path:
    return Path(app.screen.query_one(DirectoryNavigation).location)


async def choose_file(pilot, name: str) -> None:
    """Type a name into the picker's own field and press enter, as a coordinator would."""
    entry = pilot.app.screen.query_one(Input)
    entry.focus()
    entry.value = name
    await pilot.press("enter")
    await pilot.pause()


async def test_the_import_picker_fills_the_sheet_and_the_folder_is_remembered(
    make_app: AppFactory, demo_db: Path, tmp_path: Path
) -> None:
    downloads = tmp_path / "Overførsler"
    downloads.mkdir()
    (downloads / "tilmelding.csv").write_text(
        "Kommune;Hold;Navn;Titel;Fagområde;E-mail\n"
        "Tønder;1;Åse Ærø;Direktør;andet;aase@toender.dk\n",
        "utf-8",
    )
    app = make_app()
    app.last_folder = downloads
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "i")
        assert isinstance(app.screen, ImportForm)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ChooseSheet)
        assert opened_in(app) == downloads
        await choose_file(pilot, "tilmelding.csv")
        assert isinstance(app.screen, ImportForm)
        assert field_value(app, "file") == str(downloads / "tilmelding.csv")
        await pilot.press("ctrl+r")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any(p.name == "Åse Ærø" for p in stored(demo_db).participants.values())

        app.last_folder = None  # the picker opens where the field points, then
        await pilot.press("i", "ctrl+o")
        await pilot.pause()
        assert opened_in(app) == Path.home()
        await pilot.press("escape")  # cancelled: the field keeps what it held
        await pilot.pause()
        assert isinstance(app.screen, ImportForm)
        assert field_value(app, "file") == ""


async def test_the_list_picker_keeps_the_suggested_name_in_the_folder_chosen(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    app.last_folder = tmp_path
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "x")
        assert isinstance(app.screen, ExportListForm)
        assert field_value(app, "out").startswith(str(tmp_path))  # the last folder, not ~
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ChooseListFile)
        assert app.screen.query_one(Input).value.endswith(".xlsx")
        await choose_file(pilot, "netværk.xlsx")
        assert field_value(app, "out") == str(tmp_path / "netværk.xlsx")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert (tmp_path / "netværk.xlsx").is_file()


async def test_the_letters_folder_picker_makes_a_new_folder_in_a_used_one(
    make_app: AppFactory, tmp_path: Path
) -> None:
    used = tmp_path / "breve"
    used.mkdir()
    (used / "old.eml").write_text("x")
    empty = tmp_path / "tom"
    empty.mkdir()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_letters(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, ExportForm)
        suggested = Path(field_value(app, "folder")).name
        for folder, expected in ((used, used / suggested), (empty, empty)):
            app.screen.query_one("#field-folder", FormField).input.value = str(folder)
            await pilot.press("ctrl+o")
            await pilot.pause()
            assert isinstance(app.screen, ChooseFolder)
            assert opened_in(app) == folder
            app.screen.query_one("#select").press()
            await pilot.pause()
            assert isinstance(app.screen, ExportForm)
            assert field_value(app, "folder") == str(expected)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any(empty.iterdir())
        assert app.last_folder == tmp_path


@pytest.mark.parametrize(
    "typed", ["~nosuchuser/tilmelding.xlsx", "/ikke/her.csv", "{tmp}/" + "x" * 300, "{tmp}/a\x00b"]
)
def test_a_picker_starts_somewhere_whatever_the_field_holds(
    typed: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = typed.format(tmp=tmp_path)
    assert start_folder(typed, tmp_path) == tmp_path
    home = tmp_path / "hjem"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    expected = tmp_path if typed.startswith(str(tmp_path)) else home
    assert start_folder(typed, None) == expected


async def test_a_name_the_system_cannot_take_is_an_error_in_the_picker(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    app.last_folder = tmp_path
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "i")
        app.screen.query_one("#field-file", FormField).input.value = "~nosuchuser/x.xlsx"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ChooseSheet)
        assert opened_in(app) == tmp_path
        for name in ("x" * 300 + ".xlsx", "~nosuchuser/x.xlsx"):
            await choose_file(pilot, name)
            assert app.is_running and isinstance(app.screen, ChooseSheet)
            assert app.screen.query_one(Dialog).border_subtitle  # the reason, in the picker
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ImportForm)


@pytest.mark.parametrize(
    "typed", ["~nosuchuser/x.xlsx", "a\x00b.xlsx", "{tmp}/" + "x" * 300 + "/l.xlsx", "/ikke/l.csv"]
)
def test_a_path_the_system_refuses_is_a_reason_at_its_field(typed: str, tmp_path: Path) -> None:
    from kommunestyre.errors import ValidationError
    from kommunestyre.tui.modals import delivery_forms, lists_forms

    value = typed.format(tmp=tmp_path)
    for check in (lists_forms._sheet, lists_forms._out, delivery_forms._folder):
        try:
            check(value)
        except ValidationError as error:
            assert error.message
        else:
            assert check is delivery_forms._folder and "\x00" not in value  # a new folder
