"""User text is data: the hostile corpus in every place the app shows text, and no way to show
text that is not plain.

The database here is filled past the validators (as a hand edit or an older version could),
so every screen meets markup, control characters, bidirectional overrides and very long text.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App
from textual.widgets import DataTable

from kommunestyre.domain.model import Speaker
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from kommunestyre.tui.modals.help import HelpScreen
from kommunestyre.tui.widgets.virtual_table import VirtualTable
from tests.conftest import EARLY
from tests.tui.conftest import SIZE, AppFactory

TUI = Path(__file__).resolve().parents[2] / "kommunestyre" / "tui"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "hostile" / "strings.json"


#: Terminal commands a name could carry: the output must never hold them.
CLEAR_SCREEN, SET_TITLE = "\x1b[2J", "\x1b]0;pwned\x07"


def terminal_output(app: App[object]) -> str:
    """What the app writes to the terminal for its screen, escape sequences and all."""
    update = app.screen._compositor.render_update(full=True)
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor")
    rendered = update.render_segments(console)
    return "".join(s if isinstance(s, str) else s.text for s in rendered)


def hostile_values() -> list[str]:
    """The shared corpus (when present) and the project's own cases; JSON-storable ones."""
    values = ["Ole [/] Hansen", "[@click=app.quit]Klik her[/]", "[b]fed", "Ole \x1b[31mRød",
              f"Ole {CLEAR_SCREEN}Hansen", f"Ole {SET_TITLE}Hansen"]  # fmt: skip
    if CORPUS.exists():
        values += [entry["text"] for entry in json.loads(CORPUS.read_text("utf-8"))]
    return [v for v in dict.fromkeys(values) if not re.search(r"[\ud800-\udfff]", v)]


def test_the_app_shows_text_only_through_plain_widgets() -> None:
    """Static, Label and DataTable read strings as markup; the app uses the plain ones."""
    allowed = {"widgets/plain.py", "screens/base.py"}  # base: the fixed navigation line
    for path in TUI.rglob("*.py"):
        rel = str(path.relative_to(TUI))
        source = path.read_text("utf-8")
        assert "markup=True" not in source, rel
        if rel in allowed:
            continue
        for widget in ("Static", "Label", "DataTable"):
            assert not re.search(rf"(?<![\w.]){widget}\(", source), f"{rel} makes a {widget}"


@pytest.fixture
def hostile_db(demo_db: Path) -> Path:
    values = hostile_values()
    repository = Repository(Database(demo_db))
    with repository.change() as change:
        register = change.register
        for i, p in enumerate(sorted(register.participants.values(), key=lambda p: p.id)):
            value = values[i % len(values)]
            p.details = p.details._replace(name=value, title=value, needs=value, notes=value)
        for i, d in enumerate(register.directorates.values()):
            value = values[(i + 7) % len(values)]
            d.invoice = d.invoice._replace(reference=value, contact_name=value, ean=value[:13])
        for i, c in enumerate(register.contacts.values()):
            c.name = c.notes = values[(i + 3) % len(values)]
        for i, cohort in enumerate(register.programme.cohorts):
            value = values[(i + 11) % len(values)]
            cohort.seminar.venue.name = value
            cohort.themes = [value]
            cohort.speakers = [Speaker(value, value, value, topic=value)]
        change.log("hostile", values[0])
    return demo_db


async def test_every_screen_survives_the_corpus(make_app: AppFactory, hostile_db: Path) -> None:
    app = make_app(hostile_db, EARLY)
    async with app.run_test(size=SIZE) as pilot:
        for key in "12345678":
            await pilot.press(key)
            await pilot.pause()
            for table in app.screen.query(VirtualTable):
                table.focus()
                for _ in range(min(len(table.rows), 4)):  # rows highlighted in turn
                    await pilot.press("down")
            for table in app.screen.query(DataTable):
                table.focus()
                for _ in range(min(table.row_count, 4)):
                    await pilot.press("down")
            await pilot.pause()
            assert app.is_running, f"screen {key} ended the app"
            output = terminal_output(app)
            assert CLEAR_SCREEN not in output and "\x1b]0;pwned" not in output, key
        await pilot.press("3")
        for _ in range(4):
            await pilot.press("right_square_bracket")
            await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.text)
        assert "  ]          Next hold" in help_text  # a key that is a markup character
        await pilot.press("escape")
        await pilot.press("2")
        await pilot.press("e")  # the edit form with hostile values in every field
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        # shown as typed: the planted action is text, not a link
        await pilot.press("slash")
        app.screen.query_one("#filter").value = "klik her"
        await pilot.press("enter")
        await pilot.pause()
        detail = str(app.screen.query_one("#detail").render())
        assert "[@click=app.quit]Klik her[/]" in detail


async def test_no_screen_writes_a_name_s_terminal_commands(
    make_app: AppFactory, demo_db: Path
) -> None:
    """Names held in an older database (before the validators refused controls) are shown
    with their ESC as a symbol on every screen, in tables, details and boxes alike."""
    repository = Repository(Database(demo_db))
    with repository.change() as change:
        for p in change.register.participants.values():
            p.details = p.details._replace(
                name=f"Ole {CLEAR_SCREEN}{SET_TITLE}Hansen", notes=f"n{CLEAR_SCREEN}"
            )
        for cohort in change.register.programme.cohorts:
            cohort.seminar.venue.name = f"Sted {CLEAR_SCREEN}"
            cohort.speakers = [
                Speaker(f"Ole {SET_TITLE}", "x", "y", topic="z"),
                Speaker("Ole [/] Hansen", "[@click=app.quit]x[/]", "y", topic="[b]"),
            ]
        change.log("hostile", "names with terminal commands")
    app = make_app(demo_db, EARLY)
    async with app.run_test(size=SIZE) as pilot:
        for key in "12345678":
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("down")
            await pilot.pause()
            output = terminal_output(app)
            assert CLEAR_SCREEN not in output and "\x1b]0;pwned" not in output, f"screen {key}"
        await pilot.press("3", "s")  # the speakers' list
        await pilot.pause()
        output = terminal_output(app)
        assert app.is_running and "Ole [/] Hansen" in output  # markup in a name is text
        assert "\x1b]0;pwned" not in output and "Ole \u241b]0;pwned" in output


async def test_the_letter_preview_writes_no_terminal_commands(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The letter preview (the plain text, and the HTML part as it reads) shows a template's
    own terminal commands with ESC as a symbol."""
    from kommunestyre.resources import templates_dir
    from kommunestyre.services.letters import TEMPLATES_ENV

    own = tmp_path / "skabeloner"
    shutil.copytree(templates_dir(), own)
    for part in ("practical.txt", "practical.html"):
        text = (own / part).read_text("utf-8")
        planted = f"{{% block body %}}Hilsen {CLEAR_SCREEN}{SET_TITLE}\x1b[31mRød "
        (own / part).write_text(text.replace("{% block body %}", planted, 1), "utf-8")
    monkeypatch.setenv(TEMPLATES_ENV, str(own))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        await app.workers.wait_for_complete()
        app.screen.query_one("#letter").value = "practical"
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.query_one(VirtualTable).focus()
        for view in ("text", "html"):
            for _ in range(3):
                output = terminal_output(app)
                assert CLEAR_SCREEN not in output and "\x1b]0;pwned" not in output, view
                assert "\x1b[31mRød" not in output and "Hilsen" in output
                await pilot.press("n")
                await pilot.pause()
            await pilot.press("h")
            await pilot.pause()
        assert app.is_running
