"""A season's corrections in the app: move, reinstate, accept and decline seat offers, from the
Register and the Cohort screens; after each, Overview, Cohort and Pricing show the figures the
headcount and the invoice list show."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.widgets import DataTable

from kommunestyre.clock import local
from kommunestyre.domain.capacity import open_offers, standing
from kommunestyre.domain.model import Status
from kommunestyre.lists.listings import Selection, invoices
from kommunestyre.services import headcount
from kommunestyre.tui.modals.confirm import ConfirmModal
from kommunestyre.tui.screens.cohort import CohortScreen
from kommunestyre.tui.widgets.capacity_bar import CapacityBar
from tests.agreement import check_agreement
from tests.tui.conftest import SIZE, AppFactory, notices, stored
from tests.tui.test_flows import open_register_on, text_of

AFTER_DEADLINE = local(datetime(2027, 1, 20, 10))  # hold 1's deadline was 13.01.2027
KOLDING = 621


def cells(table: DataTable, row: int) -> list[str]:
    return [str(cell) for cell in table.get_row_at(row)]


async def screens_agree(pilot, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Overview, Cohort and Pricing show what the headcount and the invoice list say."""
    app = pilot.app
    register = stored(path)
    now = app.snapshot.now
    check_agreement(register, now)
    data = headcount.as_json(register, headcount.select(register, now), now)
    await pilot.press("1")
    await pilot.pause()
    for c in data["cohorts"]:
        panel = app.screen.query_one(f"#cohort-{c['number']}")
        assert panel.query_one("#dir-bar", CapacityBar).value == c["directorates"]
        assert panel.query_one("#people-bar", CapacityBar).value == c["participants"] + c["offers"]
    app.current_cohort = data["cohorts"][0]["number"]
    await pilot.press("3")
    await pilot.pause()
    for index, c in enumerate(data["cohorts"]):
        if index:
            await pilot.press("right_square_bracket")  # the next hold
            await pilot.pause()
        title = text_of(app, "#cohort-title")
        assert title.startswith(f"Hold {c['number']} ")
        assert f"{c['directorates']}/{c['max_directorates']} directorates" in title
        assert f"{c['participants']}/{c['max_participants']} participants" in title
        assert f"billable {c['billable']}" in title
    await pilot.press("5")
    await pilot.pause()
    cohorts = app.screen.query_one("#cohort-prices", DataTable)
    for row, c in zip(range(len(data["cohorts"])), data["cohorts"], strict=True):
        seats, late = cells(cohorts, row)[1:3]
        assert int(seats) + int(late) == c["billable"]
    places = app.screen.query_one("#municipality-prices", DataTable)
    rows = [cells(places, i) for i in range(places.row_count)]
    shown = {(r[0], int(r[1])): (int(r[4]), int(r[5])) for r in rows}
    listed = {(row[0], row[1]): (row[7], row[8]) for row in invoices(register, Selection()).rows}
    assert shown == listed


async def test_move_reinstate_and_offer_agree_on_every_screen(
    make_app: AppFactory, demo_db: Path
) -> None:
    app = make_app(now=AFTER_DEADLINE)
    async with app.run_test(size=SIZE) as pilot:
        await screens_agree(pilot, demo_db)
        # a single move
        pid = await open_register_on(pilot, "tina kristensen")
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert any("moved from hold 1 to hold 2 (admitted)" in n for n in notices(app))
        await screens_agree(pilot, demo_db)
        # a cancellation after the deadline, then its reinstatement
        await open_register_on(pilot, "ole olsen")
        await pilot.press("c", "y")
        await pilot.pause()
        assert any("cancelled (binding, billable)" in n for n in notices(app))
        await screens_agree(pilot, demo_db)
        await open_register_on(pilot, "ole olsen")
        assert "cancelled: r reinstates" in text_of(app, "#detail")
        await pilot.press("r")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert any("Ole Olsen (Kolding) reinstated: admitted to hold 1" in n for n in notices(app))
        await screens_agree(pilot, demo_db)
        # the demo's open seat offer, accepted
        offered = await open_register_on(pilot, "henrik østergaard")
        assert "seat offer: answer by 25.01.2027 (y / d)" in text_of(app, "#detail")
        await pilot.press("y")
        assert "binding" in text_of(app, "#confirm-text")
        await pilot.press("y")
        await pilot.pause()
        assert any("accepted the seat offer" in n for n in notices(app))
        await screens_agree(pilot, demo_db)
    register = stored(demo_db)
    assert register.participants[pid].cohort == 2
    assert register.participants[offered].status is Status.ADMITTED


async def test_decline_from_the_cohort_screen_offers_the_seat_to_the_next(
    make_app: AppFactory, demo_db: Path
) -> None:
    app = make_app(now=AFTER_DEADLINE)
    async with app.run_test(size=SIZE) as pilot:
        app.current_cohort = 1
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CohortScreen)
        table = screen.query_one("#directorates", DataTable)
        kolding = cells(table, 0)
        assert kolding[1] == "Kolding" and kolding[2] == "admitted (+1 offered)"
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmModal)
        assert "Declining is free" in text_of(app, "#confirm-text")
        await pilot.press("y")
        await pilot.pause()
        assert any("declined the seat offer in hold 1 (free)" in n for n in notices(app))
        await screens_agree(pilot, demo_db)
    register = stored(demo_db)
    assert open_offers(register) == []  # nobody else fits: the queue needs a directorate place
    assert standing(register, next(iter(register.directorates))) is Status.ADMITTED


async def test_cancel_and_reinstate_a_directorate_from_the_cohort_screen(
    make_app: AppFactory, demo_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.current_cohort = 4
        await pilot.press("3")
        await pilot.pause()
        table = app.screen.query_one("#directorates", DataTable)
        table.focus()
        table.move_cursor(row=0)
        name = cells(table, 0)[1]
        await pilot.press("x")
        assert "free: before the deadline (hold 4 01.09.2027)" in text_of(app, "#confirm-text")
        await pilot.press("y")
        await pilot.pause()
        rows = [cells(table, i) for i in range(table.row_count)]
        assert [r[2] for r in rows if r[1] == name] == ["cancelled"]
        table.move_cursor(row=table.row_count - 1)
        await pilot.press("r", "y")
        await pilot.pause()
        assert any(f"{name} reinstated with 4 participants, 4 admitted" in n for n in notices(app))
        await screens_agree(pilot, demo_db)
