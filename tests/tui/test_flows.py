"""Every flow of the app driven by keys, checked on the screen and in the database."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from textual.widgets import Static

from kommunestyre.clock import local
from kommunestyre.domain.capacity import standing
from kommunestyre.domain.model import Status
from kommunestyre.domain.municipalities import find_municipality
from kommunestyre.services.registry import Registry
from kommunestyre.services.setup import init_database
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from kommunestyre.tui.modals.confirm import ConfirmModal
from kommunestyre.tui.modals.directorate_form import DirectorateForm
from kommunestyre.tui.modals.participant_form import ParticipantForm
from kommunestyre.tui.screens.register import RegisterScreen
from kommunestyre.tui.widgets.form import FormField
from kommunestyre.tui.widgets.virtual_table import VirtualTable
from tests.conftest import EARLY
from tests.tui.conftest import SIZE, AppFactory, fill, notices, stored, type_into


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_register_on(pilot, name: str) -> int:
    """Go to the register, filter to one person and return their id."""
    await pilot.press("2")
    await fill(pilot, "#filter", name)
    await pilot.press("enter")  # leaves the filter for the table
    table = pilot.app.screen.query_one(VirtualTable)
    assert table.cursor_key is not None, f"{name} not found"
    return int(table.cursor_key)


# -- add a directorate ------------------------------------------------------------------------


async def fill_directorate(pilot, municipality: str, email: str) -> None:
    await fill(pilot, "#input-municipality", municipality)
    await fill(pilot, "#input-ean", "5798009813640")
    await fill(pilot, "#input-reference", "PO 77")
    await fill(pilot, "#input-members-1-name", "Ny Direktør")
    await fill(pilot, "#input-members-1-email", email)


async def test_add_a_directorate_that_is_admitted(make_app: AppFactory, tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    init_database(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, DirectorateForm)
        await fill_directorate(pilot, "århus", "ny.direktoer@aarhus.dk")
        assert "→ Aarhus Kommune, code 751" in text_of(app, "#municipality-info")
        assert "get seats in hold 1" in text_of(app, "#admission")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await fill(pilot, "#input-members-2-name", "Anden Direktør")
        await fill(pilot, "#input-members-2-email", "anden@aarhus.dk")
        assert "With 2 members" in text_of(app, "#admission")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, DirectorateForm)
        assert "Aarhus admitted to hold 1 with 2 participants" in notices(app)
        assert "1/40 directorates" in str(app.screen.query_one("#totals", Static).render())
    register = stored(path)
    [directorate] = register.directorates.values()
    assert standing(register, directorate.id) is Status.ADMITTED
    assert directorate.invoice.reference == "PO 77"
    assert sorted(p.name for p in register.participants.values()) == [
        "Anden Direktør",
        "Ny Direktør",
    ]


async def test_add_a_directorate_to_a_full_cohort_is_waitlisted(
    make_app: AppFactory, demo_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await fill_directorate(pilot, "Randers", "a@randers.dk")
        assert "already registered in hold 2" in text_of(app, "#municipality-info")
        await fill(pilot, "#input-municipality", "Billund")
        assert "WAITING LIST of hold 1" in text_of(app, "#admission")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Billund put on the waiting list of hold 1 with 1 participant" in notices(app)
    register = stored(demo_db)
    billund = register.directorate_of_municipality(find_municipality("Billund").code)
    assert billund is not None and standing(register, billund.id) is Status.WAITLISTED


async def test_directorate_form_marks_bad_fields_and_keeps_the_typing(
    make_app: AppFactory, demo_db: Path
) -> None:
    before = demo_db.read_bytes()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await fill_directorate(pilot, "Narnia", "not-an-address")
        await fill(pilot, "#input-ean", "5798009813641")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DirectorateForm)  # not saved
        marked = {f.field_name for f in app.screen.query(FormField) if f.has_class("-invalid")}
        assert marked == {"municipality", "ean", "members.1.email"}
        ean = app.screen.query_one("#field-ean", FormField)
        assert "check digit" in str(ean.query_one(".error", Static).render())
        # An error only the rules know (the municipality is taken) reopens the form as typed.
        await fill(pilot, "#input-municipality", "Kolding")
        await fill(pilot, "#input-ean", "5798009813640")
        await fill(pilot, "#input-members-1-email", "new@kolding.dk")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DirectorateForm)
        assert "Kolding is already registered" in text_of(app, "#form-error")
        assert app.screen.query_one("#input-members-1-email").value == "new@kolding.dk"
        await pilot.press("escape")
    assert demo_db.read_bytes() == before


async def test_a_field_is_checked_at_every_keystroke(make_app: AppFactory) -> None:
    """The one test that types key by key: the mark follows the value as it is typed."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        ean = app.screen.query_one("#field-ean", FormField)
        await type_into(pilot, "#input-ean", "57980098136")
        assert ean.has_class("-invalid")
        assert "13 digits" in str(ean.query_one(".error", Static).render())
        await pilot.press("4", "0")
        await pilot.pause()
        assert not ean.has_class("-invalid")
        await pilot.press("escape")


# -- register: edit, move, cancel, substitute, promote, erase --------------------------------


async def test_filter_the_register(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        total = len(screen.all_rows)
        assert text_of(app, "#count") == f"{total} of {total} participants"
        await fill(pilot, "#filter", "kolding")
        rows = screen.query_one(VirtualTable).rows
        assert rows and all(row[3] == "Kolding" for row in rows)
        await fill(pilot, "#filter", "kolding tina")
        assert [row[0] for row in screen.query_one(VirtualTable).rows] == ["Tina Kristensen"]
        await fill(pilot, "#filter", "")
        screen.query_one("#filter-status").value = "waitlisted"
        await pilot.pause()
        statuses = {row[5] for row in screen.query_one(VirtualTable).rows}
        assert statuses == {"waiting #1", "waiting #2"}
        screen.query_one("#filter-status").value = ""
        screen.query_one("#filter-cohort").value = 4
        await pilot.pause()
        assert {row[4] for row in screen.query_one(VirtualTable).rows} == {"4"}
        assert text_of(app, "#count").startswith("14 of")


async def test_edit_refuses_a_bad_email_then_saves_a_good_one(
    make_app: AppFactory, demo_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pid = await open_register_on(pilot, "tina kristensen")
        await pilot.press("e")
        assert isinstance(app.screen, ParticipantForm)
        await fill(pilot, "#input-email", "tina@@kolding")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantForm)
        field = app.screen.query_one("#field-email", FormField)
        assert field.has_class("-invalid")
        assert stored(demo_db).participants[pid].details.email.startswith("tina.kristensen@")
        await fill(pilot, "#input-email", "tina.k@kolding.dk")
        assert not field.has_class("-invalid")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RegisterScreen)
        assert "tina.k@kolding.dk" in app.screen.query_one(VirtualTable).rows[0]
    assert stored(demo_db).participants[pid].details.email == "tina.k@kolding.dk"
    assert "Tina Kristensen (Kolding)" in Repository(Database(demo_db)).history()[0].summary


async def test_move_a_participant(make_app: AppFactory, demo_db: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pid = await open_register_on(pilot, "tina kristensen")
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("1")  # the current cohort: refused
        await pilot.press("3")
        await pilot.pause()
        assert any("moved from hold 1 to hold 3 (admitted)" in n for n in notices(app))
        assert app.screen.query_one(VirtualTable).rows[0][4] == "3"
    assert stored(demo_db).participants[pid].cohort == 3


async def test_cancel_before_the_deadline_is_free(make_app: AppFactory, demo_db: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pid = await open_register_on(pilot, "tina kristensen")
        await pilot.press("c")
        assert isinstance(app.screen, ConfirmModal)
        assert "free: the deadline of hold 1 is 13.01.2027" in text_of(app, "#confirm-text")
        await pilot.press("y")
        await pilot.pause()
    person = stored(demo_db).participants[pid]
    assert person.status is Status.CANCELLED and not person.billable_cancellation


async def test_cancel_after_the_deadline_is_binding(make_app: AppFactory, demo_db: Path) -> None:
    late = local(datetime(2027, 1, 20, 10))
    app = make_app(now=late)
    async with app.run_test(size=SIZE) as pilot:
        pid = await open_register_on(pilot, "tina kristensen")
        await pilot.press("c")
        assert "binding: the deadline of hold 1 passed on 13.01.2027" in text_of(
            app, "#confirm-text"
        )
        await pilot.press("n")  # said no: nothing happens
        await pilot.pause()
        assert stored(demo_db).participants[pid].status is Status.ADMITTED
        await pilot.press("c", "y")
        await pilot.pause()
        assert any("cancelled (binding, billable)" in n for n in notices(app))
    assert stored(demo_db).participants[pid].billable_cancellation


async def test_substitute(make_app: AppFactory, demo_db: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pid = await open_register_on(pilot, "tina kristensen")
        await pilot.press("s")
        await fill(pilot, "#input-name", "Vera Vikar")
        await fill(pilot, "#input-email", "vera@kolding.dk")
        await pilot.press("ctrl+s")
        await pilot.pause()
    register = stored(demo_db)
    original = register.participants[pid]
    assert original.status is Status.SUBSTITUTED
    replacement = register.participants[original.replaced_by]  # type: ignore[index]
    assert replacement.name == "Vera Vikar" and replacement.status is Status.ADMITTED


async def test_promote_from_the_waiting_list(make_app: AppFactory, demo_db: Path) -> None:
    registry = Registry(Repository(Database(demo_db)))
    nyborg = registry.snapshot().register.directorate_of_municipality(
        find_municipality("Nyborg").code
    )
    assert nyborg is not None
    cohort = registry.snapshot().register.cohort(1)
    from tests.test_registry import settings_with

    registry.update_cohort(1, cohort.rev, settings_with(registry, 1, max_participants=40))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pid = await open_register_on(pilot, "nyborg")
        await pilot.press("p")
        await pilot.pause()
        assert any("no room" in n for n in notices(app))  # hold 1 is full
        kolding = await open_register_on(pilot, "tina kristensen")
        await pilot.press("c", "y")
        await pilot.pause()
        await open_register_on(pilot, "nyborg")
        await pilot.press("p")
        await pilot.pause()
    assert stored(demo_db).participants[kolding].status is Status.CANCELLED
    del pid


async def test_erase_removes_the_person_for_good(make_app: AppFactory, demo_db: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pid = await open_register_on(pilot, "tina kristensen")
        email = stored(demo_db).participants[pid].details.email
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmModal)
        assert "cannot be undone" in text_of(app, "#confirm-text")
        await pilot.press("y")
        await pilot.pause()
        assert (
            "tina"
            not in " ".join(" ".join(r) for r in app.screen.query_one(VirtualTable).rows).lower()
        )
    assert pid not in stored(demo_db).participants
    assert "Tina Kristensen" not in demo_db.read_text("utf-8") and email not in demo_db.read_text(
        "utf-8"
    )
    assert not Path(f"{demo_db}.bak1").exists()


# -- cohort settings ----------------------------------------------------------------------------


async def test_edit_cohort_settings(make_app: AppFactory, demo_db: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "right_square_bracket")  # hold 2
        await pilot.pause()
        assert "Hold 2" in text_of(app, "#cohort-title")
        await pilot.press("e")
        await fill(pilot, "#input-seminar-end_date", "27.04.2027")  # before the start: refused
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "must be after the start" in str(
            app.screen.query_one("#field-seminar-end_date").query_one(".error", Static).render()
        )
        await fill(pilot, "#input-seminar-end_date", "29.04.2027")
        await fill(pilot, "#input-followup-venue-town", "Vejle")
        await fill(pilot, "#input-max_participants", "35")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "settings of hold 2 updated" in notices(app)
        assert "at most 35 participants" in text_of(app, "#schedule")
    cohort = stored(demo_db).cohort(2)
    assert cohort.max_participants == 35 and cohort.followup.venue.town == "Vejle"
    assert cohort.seminar.end.date().isoformat() == "2027-04-29"


async def test_edit_speakers(make_app: AppFactory, demo_db: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "s")
        await pilot.pause()
        await pilot.press("x")  # remove the first
        await pilot.press("a")
        await fill(pilot, "#input-name", "Nina Ny")
        await fill(pilot, "#input-organisation", "SDU")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Nina Ny" in text_of(app, "#people")
    names = [s.name for s in stored(demo_db).cohort(1).speakers]
    assert names == ["Anders Bech Lauritsen", "Nina Ny"]


async def test_overview_opens_a_cohort(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "Hold 4 · open" in str(app.screen.query_one("#cohort-4").border_title)
        assert "at risk" in str(app.screen.query_one("#cohort-4 .warnings", Static).render())
        await pilot.click("#cohort-3")
        await pilot.pause()
        assert "Hold 3" in text_of(app, "#cohort-title")


# -- other processes ----------------------------------------------------------------------------


async def test_a_change_from_another_process_appears(make_app: AppFactory, demo_db: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        before = len(app.screen.all_rows)
        other = Registry(Repository(Database(demo_db), clock=lambda: EARLY))
        kolding = other.snapshot().register.directorate_of_municipality(621)
        assert kolding is not None
        other.add_participant(
            kolding.id,
            other.snapshot()
            .register.members(kolding.id)[0]
            .details._replace(email="x@kolding.dk", name="Fra Andetsteds"),
        )
        app.check_for_changes()
        await pilot.pause()
        assert len(app.screen.all_rows) == before + 1
        assert "The register was changed elsewhere; showing the latest." in notices(app)


async def test_help_lists_every_screen_and_key(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        text = str(app.screen.query_one("#help Static:last-of-type", Static).render())
        for needle in (
            "2 Register",
            "GDPR erasure",
            "Next hold",
            "ctrl+p",
        ):
            assert needle in text
        await pilot.press("escape")


async def test_command_palette_offers_the_screens_actions(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Go to Pricing", "Edit", "Substitute", "Erase", "Help"):
            assert title in titles
        del pilot


async def test_usable_at_80_by_24(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for key in "123456":
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("2", "e")
        await pilot.pause()
        save = app.screen.query_one("#save")
        app.screen.query_one("#participant-form").scroll_to_widget(save)
        await pilot.pause()
        assert save.region.bottom <= 24


def test_held_and_late_clock_is_injectable(tmp_path: Path) -> None:
    late = EARLY + timedelta(days=3650)
    repository = init_database(tmp_path / "x.json")
    assert Registry(Repository(repository.database, clock=lambda: late)).now() == late
