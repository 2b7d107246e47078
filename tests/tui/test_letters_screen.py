"""The Letters and Contacts screens driven by keys: preview, pre-flight, export, send (to a real
SMTP server), cancel, the ledger with stale letters, and editing a municipality's contact."""

from __future__ import annotations

import csv
import email
import email.policy
import os
import signal
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from textual.widgets import Select, Static

from kommunestyre.domain.municipalities import find_municipality
from kommunestyre.letters.ledger import read_ledger
from kommunestyre.services.registry import Registry, Result
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from kommunestyre.tui.modals.contact_form import ContactForm
from kommunestyre.tui.modals.delivery_forms import ExportForm, SendForm
from kommunestyre.tui.modals.ledger import LedgerScreen
from kommunestyre.tui.screens.letters import LettersScreen
from kommunestyre.tui.widgets.form import FormField
from kommunestyre.tui.widgets.virtual_table import VirtualTable
from tests.smtp_server import Mailbox, start
from tests.test_registry import settings_with
from tests.tui.conftest import SIZE, AppFactory, fill, notices, paste, stored


def text_of(app, selector: str) -> str:
    """What a Static shows, as plain text (a letter's HTML part is text and tables)."""
    content = app.screen.query_one(selector, Static).content
    if isinstance(content, (str, Text)):
        return str(content)
    console = Console(width=200, color_system=None, legacy_windows=False)
    with console.capture() as captured:
        console.print(content)
    return captured.get()


async def settle(pilot) -> None:
    """Let the screen's workers (rendering, export, send) finish and their results land."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_letters(pilot, letter: str = "invitation", **selects: object) -> LettersScreen:
    await pilot.press("7")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LettersScreen)
    if letter != "invitation":
        screen.query_one("#letter", Select).value = letter
        await settle(pilot)
    for name, value in selects.items():
        screen.query_one(f"#letter-{name}", Select).value = value
        await settle(pilot)
    screen.query_one(VirtualTable).focus()
    await pilot.pause()
    return screen


def table_rows(app) -> list[tuple[str, ...]]:
    return [tuple(r) for r in app.screen.query_one(VirtualTable).rows]


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    controller = start(mailbox, None)
    yield mailbox, controller.port
    controller.stop()


# -- choosing and previewing ------------------------------------------------------------------


async def test_preview_steps_through_every_recipient(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_letters(pilot)
        rows = table_rows(app)
        assert len(rows) == 66  # 98 municipalities: 30 registered, 2 declined
        assert "66 recipient(s), 66 ready" in text_of(app, "#preflight")
        first = text_of(app, "#preview-text")
        assert f"<{rows[0][2]}>" in first and "Kære " in first
        await pilot.press("n")
        second = text_of(app, "#preview-text")
        assert f"<{rows[1][2]}>" in second and second != first
        await pilot.press("p")
        assert text_of(app, "#preview-text") == first
        await pilot.press("h")  # the HTML part as it reads, never its source
        html = text_of(app, "#preview-text")
        assert "Kære " in html and "Pladser" in html  # the cohorts' table, as columns
        assert "<" not in html.partition("──")[2].replace(f"<{rows[0][2]}>", "")


async def test_filters_choose_the_recipients(make_app: AppFactory, demo_db: Path) -> None:
    app = make_app()
    register = stored(demo_db)
    admitted_in_1 = [
        p for p in register.participants.values() if p.cohort == 1 and p.status.value == "admitted"
    ]
    async with app.run_test(size=SIZE) as pilot:
        await open_letters(pilot, "practical", cohort=1)
        rows = table_rows(app)
        assert len(rows) == len(admitted_in_1)
        assert {r[3] for r in rows} == {"1"}
        preview = text_of(app, "#preview-text")
        assert "Attachment: " in preview and ".ics" in preview


async def test_declined_municipalities_are_left_out_of_invitations(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_letters(pilot, status="declined")
        assert sorted(r[1] for r in table_rows(app)) == ["Fanø", "Læsø"]


# -- pre-flight ---------------------------------------------------------------------------------


def blank_contact_email(path: Path, town: str) -> int:
    code = find_municipality(town).code
    registry = Registry(Repository(Database(path)))
    contact = registry.snapshot().register.contacts[code]
    registry.edit_contact(code, contact.rev, replace(contact, email=""))
    return code


async def test_nothing_leaves_until_the_preflight_is_clean(
    make_app: AppFactory, demo_db: Path, tmp_path: Path
) -> None:
    code = blank_contact_email(demo_db, "Dragør")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_letters(pilot)
        assert "Pre-flight failed for 1" in text_of(app, "#preflight")
        row = next(r for r in table_rows(app) if r[1] == "Dragør")
        assert row[0] == "error" and "e-mail" in row[4]
        await pilot.press("e")
        assert not isinstance(app.screen, ExportForm)
        assert any("Fix the data, or skip" in n for n in notices(app))

        screen.query_one(VirtualTable).move_cursor_to(f"contact:{code}")
        await pilot.press("x")  # skip Dragør on purpose
        await settle(pilot)
        assert "Clean: 65 ready" in text_of(app, "#preflight")
        assert next(r for r in table_rows(app) if r[1] == "Dragør")[0] == "skipped"

        await pilot.press("e")
        assert isinstance(app.screen, ExportForm)
        await paste(pilot, "#input-folder", str(tmp_path / "breve"))
        await pilot.press("ctrl+s")
        await settle(pilot)
    names = sorted(p.name for p in (tmp_path / "breve").iterdir())
    assert len(names) == 66 and "manifest.csv" in names  # 65 letters
    assert not any("dragoer" in n for n in names)


# -- export -------------------------------------------------------------------------------------


async def test_export_writes_the_letters_and_the_ledger(
    make_app: AppFactory, demo_db: Path, tmp_path: Path
) -> None:
    app = make_app()
    out = tmp_path / "hold1"
    async with app.run_test(size=SIZE) as pilot:
        await open_letters(pilot, "practical", cohort=1)
        count = len(table_rows(app))
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ExportForm)
        form.query_one("#input-format", Select).value = "mbox"
        await paste(pilot, "#input-folder", str(out))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any(f"Exported {count} letter(s)" in n for n in notices(app))
        assert {r[0] for r in table_rows(app)} == {"exported"}  # drafts, not sent
        assert f"{count} of them exported before, not marked as sent (k)" in text_of(
            app, "#preflight"
        )
        await pilot.press("k")
        assert "Record" in text_of(app, "#confirm-text")
        await pilot.press("y")
        await settle(pilot)
        assert {r[0] for r in table_rows(app)} == {"sent"}
        assert "Nothing left to send" in text_of(app, "#preflight")

        await pilot.press("e")  # a second export has nothing to do
        assert not isinstance(app.screen, ExportForm)
    import mailbox

    box = mailbox.mbox(out / "letters.mbox", factory=None)
    messages = [email.message_from_bytes(m.as_bytes(), policy=email.policy.default) for m in box]
    assert len(messages) == count
    assert all(m.get_content_type() == "multipart/mixed" for m in messages)
    with (out / "manifest.csv").open(encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == count
    ledger = read_ledger(Repository(Database(demo_db)), "practical")
    exported = [d for d in ledger if d.channel == "mbox"]
    marked = [d for d in ledger if d.channel == "marked"]
    assert len(exported) == len(marked) == count == len(ledger) // 2
    assert {d.status for d in exported} == {"exported"} and {d.status for d in marked} == {"sent"}


async def test_export_into_a_folder_that_has_files_is_refused_at_the_field(
    make_app: AppFactory, tmp_path: Path
) -> None:
    used = tmp_path / "used"
    used.mkdir()
    (used / "old.eml").write_text("x")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_letters(pilot)
        await pilot.press("e")
        await paste(pilot, "#input-folder", str(used))
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ExportForm)
        field = app.screen.query_one("#field-folder", FormField)
        assert field.has_class("-invalid")
        assert "not empty" in str(field.query_one(".error", Static).render())
    assert sorted(p.name for p in used.iterdir()) == ["old.eml"]


# -- send ---------------------------------------------------------------------------------------


async def fill_send_form(pilot, port: int, *, rate: str = "") -> None:
    assert isinstance(pilot.app.screen, SendForm)
    await fill(pilot, "#input-host", "127.0.0.1")
    await fill(pilot, "#input-port", str(port))
    pilot.app.screen.query_one("#input-security", Select).value = "none"
    await fill(pilot, "#input-rate", rate)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_send_over_smtp_after_confirming(
    make_app: AppFactory, demo_db: Path, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_letters(pilot, "confirmation", cohort=2)
        addresses = {r[2] for r in table_rows(app)}
        await pilot.press("m")
        await fill_send_form(pilot, port)
        assert f"Send {len(addresses)} letter(s)?" in text_of(app, ".dialog-title")
        await pilot.press("y")
        await settle(pilot)
        assert any(f"{len(addresses)} sent, 0 failed" in n for n in notices(app))
    assert {rcpt for _, rcpts, _ in mailbox.messages for rcpt in rcpts} == addresses
    subjects = {
        email.message_from_bytes(raw, policy=email.policy.default)["Subject"]
        for _, _, raw in mailbox.messages
    }
    assert all("Hold 2" in s or "hold 2" in s for s in subjects)
    ledger = read_ledger(Repository(Database(demo_db)), "confirmation")
    assert {d.email for d in ledger} == addresses and {d.channel for d in ledger} == {"smtp"}


async def test_answering_no_sends_nothing(
    make_app: AppFactory, demo_db: Path, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_letters(pilot, "confirmation", cohort=2)
        await pilot.press("m")
        await fill_send_form(pilot, port)
        await pilot.press("n")
        await settle(pilot)
    assert mailbox.messages == []
    assert read_ledger(Repository(Database(demo_db)), "confirmation") == []


async def test_a_send_form_with_bad_values_marks_them(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_letters(pilot)
        await pilot.press("m")
        await fill(pilot, "#input-host", "")
        await fill(pilot, "#input-port", "70000")
        await fill(pilot, "#input-rate", "-3")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SendForm)
        invalid = {f.field_name for f in app.screen.query(FormField) if f.has_class("-invalid")}
        assert invalid == {"host", "port", "rate"}
        # a user without a password over an unencrypted connection is refused too
        await fill(pilot, "#input-host", "smtp.example.dk")
        await fill(pilot, "#input-port", "")
        await fill(pilot, "#input-rate", "")
        await fill(pilot, "#input-user", "koordinator")
        app.screen.query_one("#input-security", Select).value = "none"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SendForm)
        assert "unencrypted" in text_of(app, "#form-error")


async def test_a_slow_send_can_be_stopped(
    make_app: AppFactory, demo_db: Path, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_letters(pilot, "practical", cohort=1)
        total = len(table_rows(app))
        await pilot.press("m")
        await fill_send_form(pilot, port, rate="2")  # a letter every 30 seconds
        await pilot.press("y")
        for _ in range(100):  # until the first letter has left
            await pilot.pause(0.05)
            if mailbox.messages:
                break
        assert app.screen.query_one("#job").display
        await pilot.press("c")
        await settle(pilot)
        assert not app.screen.query_one("#job").display
        assert any("(cancelled)" in n for n in notices(app))
    assert 1 <= len(mailbox.messages) < total
    assert len(read_ledger(Repository(Database(demo_db)), "practical")) == len(mailbox.messages)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP"])
async def test_a_kill_or_a_closed_terminal_stops_the_send_in_order(
    make_app: AppFactory, demo_db: Path, smtp: tuple[Mailbox, int], stop: str
) -> None:
    mailbox, port = smtp
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_letters(pilot, "practical", cohort=1)
        total = len(table_rows(app))
        await pilot.press("m")
        await fill_send_form(pilot, port, rate="2")  # a letter every 30 seconds
        await pilot.press("y")
        for _ in range(100):  # until the first letter has left
            await pilot.pause(0.05)
            if mailbox.messages:
                break
        os.kill(os.getpid(), getattr(signal, stop))  # to this process: the app's handler takes it
        for _ in range(200):
            await pilot.pause(0.05)
            if not app.is_running:
                break
        assert not app.is_running
    assert 1 <= len(mailbox.messages) < total
    assert len(read_ledger(Repository(Database(demo_db)), "practical")) == len(mailbox.messages)


# -- the ledger ---------------------------------------------------------------------------------


async def test_the_ledger_marks_letters_stale_after_a_venue_moves(
    make_app: AppFactory, demo_db: Path, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_letters(pilot, "practical", cohort=1)
        count = len(table_rows(app))
        await pilot.press("e")
        await paste(pilot, "#input-folder", str(tmp_path / "out"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("k", "y")  # sent from the mail program
        await settle(pilot)

        cohort = app.snapshot.register.cohort(1)
        moved = replace(cohort.seminar, venue=replace(cohort.seminar.venue, town="Vejle"))
        settings = settings_with(app.registry, 1, seminar=moved)
        result = app.apply(lambda: app.registry.update_cohort(1, cohort.rev, settings))
        assert isinstance(result, Result)
        await settle(pilot)
        assert {r[0] for r in table_rows(app)} == {"stale"}

        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen)
        table = app.screen.query_one(VirtualTable)
        assert [r[2] for r in table.rows if r[2] != "superseded"] == ["stale"] * count
        assert set(table.kinds) == {"warning", "muted"}  # stale; the drafts superseded
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen)

        await pilot.press("r")  # resend: the update may go out
        await settle(pilot)
        assert "Clean" in text_of(app, "#preflight") and "Resend is on" in text_of(
            app, "#preflight"
        )


# -- contacts -----------------------------------------------------------------------------------


async def test_edit_a_contact_with_hostile_input_then_fix_it(
    make_app: AppFactory, demo_db: Path
) -> None:
    code = find_municipality("Læsø").code
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8")
        await fill(pilot, "#filter", "læsø")
        await pilot.press("enter", "enter")
        assert isinstance(app.screen, ContactForm)
        await paste(pilot, "#input-email", "ny@laesoe.dk, bcc@evil.example")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ContactForm)
        invalid = {f.field_name for f in app.screen.query(FormField) if f.has_class("-invalid")}
        assert invalid == {"email"}
        assert stored(demo_db).contacts[code].email != "ny@laesoe.dk, bcc@evil.example"

        await paste(pilot, "#input-email", "kommunaldirektoer@laesoe.dk")
        await paste(pilot, "#input-name", "=?utf-8?q?Bcc=3A_x=0D=0A?=")  # an encoded-word trick
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ContactForm)
        row = app.screen.query_one(VirtualTable).rows[0]
        assert row[3] == "kommunaldirektoer@laesoe.dk"

        await open_letters(pilot, status="declined")  # the pre-flight refuses the name
        row = next(r for r in table_rows(app) if r[1] == "Læsø")
        assert row[0] == "error" and "encoded" in row[4]
    contact = stored(demo_db).contacts[code]
    assert (contact.email, contact.declined) == ("kommunaldirektoer@laesoe.dk", True)


async def test_mark_a_municipality_as_declined(make_app: AppFactory, demo_db: Path) -> None:
    code = find_municipality("Dragør").code
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8")
        await fill(pilot, "#filter", "dragør")
        await pilot.press("enter", "d")
        await pilot.pause()
        assert app.screen.query_one(VirtualTable).rows[0][4] == "declined"
        assert any("Dragør marked as declined" in n for n in notices(app))
        await open_letters(pilot)
        assert "Dragør" not in {r[1] for r in table_rows(app)}
    assert stored(demo_db).contacts[code].declined


async def test_o_opens_the_letter_in_the_browser_from_a_private_file(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(
        "kommunestyre.tui.screens.letters.open_file", lambda path: opened.append(path) or True
    )
    monkeypatch.setenv("HOME", str(tmp_path))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_letters(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert len(opened) == 1
        html = opened[0].read_text("utf-8")
        assert html.startswith("<!DOCTYPE html>") and "Kære " in html
        assert opened[0].stat().st_mode & 0o077 == 0  # personal data: yours only
        assert any("Opening in your browser" in n for n in notices(app))
        monkeypatch.setattr("kommunestyre.tui.screens.letters.open_file", lambda path: False)
        await pilot.press("o")  # no browser (a terminal-only session): say where it is
        await pilot.pause()
        assert any("No browser can be started" in n for n in notices(app))
    assert opened[0].is_relative_to(tmp_path / "kommunestyre-breve")
    assert not opened[0].parent.exists()  # removed when the app quit
