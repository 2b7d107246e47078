"""The app's import form takes replies by mail (an mbox file, a folder of .eml files) on the
Register screen, and municipality contacts on the Contacts screen: the report first, then the
import of a clean one."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from kommunestyre.clock import frozen_clock
from kommunestyre.lists.signup import signup_sheet
from kommunestyre.tui.modals.lists_forms import ImportForm
from kommunestyre.tui.widgets.form import FormField
from kommunestyre.tui.widgets.plain import PlainLabel
from tests.conftest import EARLY
from tests.lists.mail_helpers import fill_signup, reply, write_mbox
from tests.tui.conftest import SIZE, AppFactory, fill, notices, paste, stored
from tests.tui.test_lists_flows import check, report

ALBERTSLUND = 165
MEMBERS = [
    ("Lene Olsen", "Kommunaldirektør", "Kommunaldirektør", "lene@albertslund.dk", "", ""),
    ("Jens Bo", "Direktør", "Teknik og miljø", "jens@albertslund.dk", "", "Glutenfri"),
]


def label(app, name: str) -> str:
    return str(app.screen.query_one(f"#field-{name}", FormField).query_one(PlainLabel).render())


async def test_register_i_imports_the_replies_in_an_mbox(
    make_app: AppFactory, demo_db: Path, tmp_path: Path
) -> None:
    from kommunestyre.services.registry import Registry
    from kommunestyre.store.database import Database
    from kommunestyre.store.repository import Repository

    register = Registry(Repository(Database(demo_db), clock=frozen_clock(EARLY))).snapshot()
    sheet = fill_signup(signup_sheet(register.register, ALBERTSLUND, EARLY), cohort=3,
                        members=MEMBERS)  # fmt: skip
    mbox = write_mbox(
        tmp_path / "svar.mbox",
        [
            reply("Lene Olsen <lene@albertslund.dk>", [("tilmelding-albertslund.xlsx", sheet)]),
            reply("Lene Olsen <lene@albertslund.dk>", [("igen.xlsx", sheet)]),
        ],
    )
    before = demo_db.read_bytes()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "i")
        assert isinstance(app.screen, ImportForm)
        assert label(app, "exclude") == "Leave out rows"
        await paste(pilot, "#input-file", str(mbox))
        assert label(app, "exclude") == "Exclude replies"
        await check(pilot)
        text = report(app)
        assert "Reply 1: Lene Olsen <lene@albertslund.dk>" in text
        assert "row 21: adds Lene Olsen <lene@albertslund.dk> (Albertslund, hold 3)" in text
        assert "problem: igen.xlsx is the same sheet as in reply 1" in text
        assert "list the replies under 'Exclude replies'" in text
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ImportForm)  # only a clean report is imported
        assert demo_db.read_bytes() == before

        await fill(pilot, "#input-exclude", "2")
        await check(pilot)
        assert "Albertslund admitted to hold 3 with 2 participants" in report(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ImportForm)
        assert any("Imported svar.mbox: 2 replies, 1 sheet, 2 row(s), 2 add" in n
                   for n in notices(app))  # fmt: skip
    emails = {p.details.email for p in stored(demo_db).participants.values()}
    assert {"lene@albertslund.dk", "jens@albertslund.dk"} <= emails


async def test_contacts_i_imports_the_contacts(
    make_app: AppFactory, demo_db: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "kontakter.csv"
    sheet.write_text(
        "Kommune;Navn;Titel;E-mail\r\n"
        "Albertslund;Lene Olsen;Kommunaldirektør;lene@albertslund.dk\r\n"
        "Atlantis;Ea;;ea@atlantis.dk\r\n",
        encoding="utf-8",
    )
    before = demo_db.read_bytes()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8", "i")
        assert isinstance(app.screen, ImportForm)
        title = app.screen.query_one(".dialog-title", Static).render()
        assert str(title) == "Import municipality contacts from a sheet"
        assert not app.screen.query("#field-cohort")  # contacts have no cohort
        await paste(pilot, "#input-file", str(sheet))
        await check(pilot)
        text = report(app)
        assert "row 3, column 'Kommune': 'Atlantis' is not a Danish municipality" in text
        assert "Nothing can be imported" in text
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ImportForm) and demo_db.read_bytes() == before

        await fill(pilot, "#input-exclude", "3")
        await check(pilot)
        assert "row 2: " in report(app) and "Albertslund" in report(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ImportForm)
        assert any("Imported kontakter.csv" in n for n in notices(app))
    contact = stored(demo_db).contacts[ALBERTSLUND]
    assert (contact.name, contact.email) == ("Lene Olsen", "lene@albertslund.dk")
