"""In the app: a save that moves a cohort's seminar says how many delivered letters it made
stale; the Letters screen and the ledger say what changed; the Contacts screen shows where each
municipality stands, and its filter narrows by it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select

from kommunestyre.clock import frozen_clock
from kommunestyre.domain.municipalities import find_municipality
from kommunestyre.services.letters import LetterService
from kommunestyre.services.registry import Registry
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from kommunestyre.tui.modals.ledger import LedgerScreen
from kommunestyre.tui.screens.contacts import ContactsScreen
from kommunestyre.tui.widgets.virtual_table import VirtualTable
from tests.conftest import EARLY
from tests.tui.conftest import SIZE, AppFactory, fill, notices, paste
from tests.tui.test_letters_screen import open_letters, settle, table_rows, text_of


def services(demo_db: Path) -> tuple[Registry, LetterService]:
    repository = Repository(Database(demo_db), clock=frozen_clock(EARLY))
    return Registry(repository), LetterService(repository)


async def test_moving_a_seminar_says_which_letters_are_now_stale(
    make_app: AppFactory, demo_db: Path, tmp_path: Path
) -> None:
    _registry, letters = services(demo_db)
    letters.export(letters.prepare("confirmation"), tmp_path / "sent", "eml")
    letters.mark_sent("confirmation")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", *["right_square_bracket"] * 3)  # hold 4
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await fill(pilot, "#input-seminar-start_date", "07.10.2027")
        await fill(pilot, "#input-seminar-end_date", "08.10.2027")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "settings of hold 4 updated" in notices(app)
        assert "4 letters are now out of date – see Letters (7)" in notices(app)

        await open_letters(pilot, "confirmation", cohort=4)
        rows = table_rows(app)
        assert {row[1] for row in rows} == {"Aalborg", "Hjørring", "Thisted", "Frederikshavn"}
        assert {row[0] for row in rows} == {"stale"}
        assert all(
            row[4].endswith("changed since: hold 4: the seminar moved to 07.10.2027 12:00")
            for row in rows
        )
        preview = text_of(app, "#preview-text")
        assert "Subject: Ændret: Bekræftelse: " in preview
        assert "- 12-12-seminaret er flyttet til torsdag den 7. oktober 2027 kl. 12.00." in preview
        assert "4 changed since they were sent: r sends the updates ('Ændret:')." in text_of(
            app, "#preflight"
        )
        await pilot.press("r")  # resend: the updates are ready to go, and still say so
        await settle(pilot)
        assert {row[0] for row in table_rows(app)} == {"ready"}
        assert "Subject: Ændret: Bekræftelse: " in text_of(app, "#preview-text")
        await pilot.press("r")
        await settle(pilot)

        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen)
        ledger = app.screen.query_one(VirtualTable)
        changed = [row for row in ledger.rows if row[2] == "stale"]
        assert len(changed) == 4
        assert {row[6] for row in changed} == {"hold 4: the seminar moved to 07.10.2027 12:00"}
        index = next(i for i, row in enumerate(ledger.rows) if row[2] == "stale")
        ledger.move_cursor_to(index)
        await pilot.pause()
        assert "hold 4: the seminar moved" in text_of(app, "#ledger-changes")
        await pilot.press("escape")
        await pilot.pause()

        # a change that touches no cohort's dates says nothing about letters
        await pilot.press("8")
        await pilot.pause()
        before = len(notices(app))
        await pilot.press("d")  # the first municipality declines
        await pilot.pause()
        assert not any("out of date" in n for n in notices(app)[before:])


def status_of(app, name: str) -> str:
    screen = app.screen
    assert isinstance(screen, ContactsScreen)
    return next(row.cells[4] for row in screen.rows if row.cells[0] == name)


async def test_contacts_show_where_each_municipality_stands(
    make_app: AppFactory, demo_db: Path, tmp_path: Path
) -> None:
    registry, _letters = services(demo_db)
    herning = registry.snapshot().register.directorate_of_municipality(
        find_municipality("Herning").code
    )
    assert herning is not None
    registry.cancel_directorate(herning.id, herning.rev)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8")
        await pilot.pause()
        assert status_of(app, "Kolding") == "registered, hold 1"
        assert status_of(app, "Nyborg") == "waiting list, hold 1"
        assert status_of(app, "Læsø") == "declined"
        assert status_of(app, "Herning") == "cancelled (free)"
        assert status_of(app, "Ringsted") == "not invited"

        # the invitation goes to those who have not answered: exported, they stand invited
        await open_letters(pilot)
        assert len(table_rows(app)) == 66
        await pilot.press("e")
        await paste(pilot, "#input-folder", str(tmp_path / "invitations"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("8")
        await pilot.pause()
        assert status_of(app, "Ringsted") == "invited, no answer"
        assert status_of(app, "Herning") == "cancelled (free)"  # not invited again

        app.screen.query_one("#filter-status", Select).value = "invited"
        await pilot.pause()
        rows = app.screen.query_one(VirtualTable).rows
        assert len(rows) == 66 and all(row[4] == "invited, no answer" for row in rows)
        app.screen.query_one("#filter-status", Select).value = "cancelled"
        await pilot.pause()
        assert [row[0] for row in app.screen.query_one(VirtualTable).rows] == ["Herning"]
        await pilot.press("d")  # Herning says no thanks, for good
        await pilot.pause()
        app.screen.query_one("#filter-status", Select).value = "declined"
        await pilot.pause()
        declined = [row[0] for row in app.screen.query_one(VirtualTable).rows]
        assert declined == ["Fanø", "Herning", "Læsø"]
