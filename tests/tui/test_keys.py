"""The keys: F1's help, the command palette and the bindings agree on every screen; `a` works
everywhere; the contacts screen filters as you type; the palette finds actions by Danish words."""

from __future__ import annotations

from functools import partial

import pytest
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from kommunestyre.domain.municipalities import find_municipality
from kommunestyre.i18n import _
from kommunestyre.tui.app import KommunestyreApp
from kommunestyre.tui.modals.directorate_form import DirectorateForm
from kommunestyre.tui.modals.help import HelpScreen
from kommunestyre.tui.screens.base import SCREENS, offered_keys
from kommunestyre.tui.screens.contacts import ContactsScreen
from kommunestyre.tui.widgets.virtual_table import VirtualTable
from tests.tui.conftest import SIZE, AppFactory, type_into

SCREEN_KEYS = [key for _mode, key, _label in SCREENS]


def key_shown(binding: Binding) -> str:
    return binding.key_display or binding.key


def help_sections(text: str) -> dict[str, list[tuple[str, str]]]:
    """F1's text: each section's title (up to ":") and its key lines (key, what)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    for block in text.split("\n\n"):
        title, *lines = block.split("\n")
        sections[title.split(":")[0]] = [
            (line[2:12].rstrip(), line[13:]) for line in lines if line.startswith("  ")
        ]
    return sections


def offered_by_bindings(app: KommunestyreApp) -> dict[str, tuple[str, str, Binding]]:
    """What the screen's live bindings offer by name, by key: the screen's and the app's keys
    with a description and an id (keys without an id, such as esc to the table or the arrows,
    are navigation: neither F1 nor the palette lists them)."""
    screen = app.screen
    offered = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        forwarded = app._bindings.key_to_bindings.get(key, [])
        if active.node is screen and forwarded and binding.action.startswith("app."):
            # a screen whose footer has no room for an app key forwards it, hidden
            assert forwarded[0].action == binding.action.removeprefix("app.")
            assert not binding.id and not binding.show
            offered[key] = ("app", forwarded[0].action, forwarded[0])
            continue
        if active.node in (screen, app) and binding.description and binding.id:
            where = "app" if active.node is app else "screen"
            offered[key] = (where, binding.action, binding)
    return offered


@pytest.mark.parametrize("language", ["en", "da"])
async def test_help_palette_and_bindings_list_the_same_actions(
    make_app: AppFactory, request: pytest.FixtureRequest, language: str
) -> None:
    if language == "da":
        request.getfixturevalue("danish")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for key in SCREEN_KEYS:
            await pilot.press(key)
            await pilot.pause()
            await agree_on(pilot, app, key)


async def agree_on(pilot: Pilot, app: KommunestyreApp, key: str) -> None:
    """On the screen of ``key``: F1's lines == the palette's actions == the live bindings."""
    screen = app.screen
    focused = screen.focused
    screen.set_focus(None)  # the screen's and the app's keys, nothing a widget consumes
    await pilot.pause()
    bindings = offered_by_bindings(app)
    assert bindings["a"][:2] == ("app", "add_directorate")  # one `a`, the app's, everywhere

    # the palette: every offered action once, run on the node that binds it
    ours = []
    for command in app.get_system_commands(screen):
        callback = command.callback
        if isinstance(callback, partial) and callback.func.__name__ == "run_action":
            node = callback.func.__self__  # type: ignore[attr-defined]
            ours.append(("app" if node is app else "screen", callback.args[0], command))
    assert sorted((w, a) for w, a, _c in ours) == sorted(
        (w, a) for w, a, _b in bindings.values()
    ), key
    titles = {(w, a): c.title for w, a, c in ours}
    for where, action, binding in bindings.values():
        title = titles[where, action]
        assert title == binding.description or (
            action.startswith("switch_mode") and binding.description in title
        )

    # F1: the app's keys under "Everywhere", the screen's under its own heading
    await pilot.press("f1")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    sections = help_sections(app.screen.text.plain)
    label = next(_(label) for _mode, k, label in SCREENS if k == key)
    everywhere, *_others = sections
    listed = {"app": sections[everywhere], "screen": sections[f"{key} {label}"]}
    # F1 is the reference: a key that is off for now (stop, while nothing runs) is listed too
    off = [b for b in offered_keys(type(screen)) if b not in offered_keys(screen)]
    for where, lines in listed.items():
        expected = {key_shown(b): b.description for w, _a, b in bindings.values() if w == where}
        if where == "screen":
            expected |= {key_shown(b): b.description for b in off}
        assert {k for k, _what in lines} == set(expected), (where, key)
        assert len(lines) == len(expected)  # each once
        for shown, what in lines:
            assert what.startswith(expected[shown])
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen is screen
    screen.set_focus(focused)


async def test_a_registers_a_directorate_on_every_screen(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for key in SCREEN_KEYS:
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, DirectorateForm), key
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, DirectorateForm)
        await pilot.press("8", "slash")
        await type_into(pilot, "#filter", "aa")  # in a filter, `a` is a letter
        assert not isinstance(app.screen, DirectorateForm)
        assert app.screen.query_one("#filter", Input).value == "aa"


async def test_contacts_filter_as_you_type(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8")
        await pilot.pause()
        table = app.screen.query_one(VirtualTable)
        assert len(table.rows) == 98
        await pilot.press("slash")  # `/` goes to the filter
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        counts = []
        for letter in "vest":
            await pilot.press(letter)
            await pilot.pause()
            counts.append(len(table.rows))
        assert counts[0] > counts[-1] > 0  # every key narrows at once
        assert all(any("vest" in cell.casefold() for cell in row) for row in table.rows)
        assert "of 98 municipalities" in str(app.screen.query_one("#count").render())

        await pilot.press("space", "h", "i", "m")  # every word must match
        await pilot.pause()
        assert [row[0] for row in table.rows] == ["Vesthimmerland"]
        await pilot.press("enter")  # back to the table, on the row
        assert app.focused is table
        assert table.cursor_key == find_municipality("Vesthimmerland").code

        await type_into(pilot, "#filter", "")
        app.screen.query_one("#filter-status").value = "declined"  # type: ignore[attr-defined]
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        assert len(table.rows) == sum(row.status == "declined" for row in screen.rows)
        await pilot.press("escape")
        assert app.focused is table


#: (screen key, a Danish word, the action the palette shows first)
DANISH_SEARCHES = [
    ("2", "venteliste", "Ryk op fra venteliste"),
    ("2", "afmeld", "Afmeld"),
    ("2", "flyt", "Flyt"),
    ("3", "afmeld", "Afmeld"),
    ("3", "flyt", "Flyt"),
    ("8", "direktion", "Tilføj direktion"),
]


@pytest.mark.usefixtures("danish")
async def test_the_palette_finds_actions_by_danish_words(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for screen_key, query, found in DANISH_SEARCHES:
            await pilot.press(screen_key, "ctrl+p")
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
            palette = app.screen
            await type_into(pilot, "CommandInput", query)
            await palette.workers.wait_for_complete()
            await pilot.pause()
            hits = palette.query_one(CommandList)
            titles = [
                str(hits.get_option_at_index(i).prompt).split("\n")[0]
                for i in range(hits.option_count)
            ]
            assert titles and titles[0] == found, (query, titles)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, CommandPalette)
