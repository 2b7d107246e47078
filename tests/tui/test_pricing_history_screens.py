"""Pricing at 120 and 80 columns (every column, or the total never cut), and History showing
each edit's old → new, in full on request."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.app import App

from kommunestyre.clock import frozen_clock
from kommunestyre.domain.model import InvoiceDetails
from kommunestyre.domain.municipalities import by_code
from kommunestyre.domain.pricing import invoice_lines, programme_bill
from kommunestyre.formats import money
from kommunestyre.i18n import _
from kommunestyre.services.registry import Registry
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from kommunestyre.tui.modals.history_entry import HistoryEntryModal
from kommunestyre.tui.screens.pricing import AMOUNT_COLUMNS, fit_columns
from tests.conftest import EARLY, person
from tests.test_registry import settings_with
from tests.tui.conftest import SIZE, AppFactory, stored

NARROW = (80, 24)


def screen_lines(app: App[Any]) -> list[str]:
    """The screen as the terminal shows it, line by line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def line_with(lines: list[str], *texts: str) -> str:
    found = [line for line in lines if all(t in line for t in texts)]
    assert found, f"no line holds {texts}:\n" + "\n".join(lines)
    return found[0]


def registry_on(path: Path) -> Registry:
    return Registry(Repository(Database(path), clock=frozen_clock(EARLY)))


@pytest.fixture(params=["en", "da"])
def language(request: pytest.FixtureRequest) -> str:
    if request.param == "da":
        request.getfixturevalue("danish")
    return str(request.param)


# -- pricing ------------------------------------------------------------------------------------


async def test_pricing_shows_every_column_at_120_with_amounts_aligned_right(
    make_app: AppFactory, demo_db: Path, language: str
) -> None:
    # a long municipality name and a long order reference must not push a column out
    registry_on(demo_db).register_directorate(
        "Ringkøbing-Skjern",
        4,
        [person() for _ in range(2)],
        InvoiceDetails(ean="5798009813640", reference="PO-2027-000123-KOMMUNE-INDKØB"),
    )
    register = stored(demo_db)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await pilot.pause()
        lines = screen_lines(app)
        amounts = [_(label) for label in AMOUNT_COLUMNS]
        header = line_with(lines, _("Municipality"), _("EAN"), _("Reference"), *amounts)
        total = programme_bill(register)
        figures = [
            money(total.amount.excl_vat),
            money(total.amount.vat),
            money(total.amount.incl_vat),
        ]
        line_with(lines, _("Programme"), *figures)
        end = header.rindex(amounts[-1]) + len(amounts[-1])
        for line in invoice_lines(register):
            name = by_code(line.directorate.municipality_code).name
            incl = money(line.bill.amount.incl_vat)
            shown = line_with(lines, f" {name[:10]}", line.directorate.invoice.ean, incl)
            assert shown.rindex(incl) + len(incl) == end  # right-aligned under its header
        assert all(len(line) <= SIZE[0] for line in lines)


async def test_pricing_at_80_columns_never_cuts_the_total(
    make_app: AppFactory, demo_db: Path, language: str
) -> None:
    register = stored(demo_db)
    total = programme_bill(register)
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("5")
        await pilot.pause()
        lines = screen_lines(app)
        row = line_with(lines, _("Programme"))
        assert money(total.amount.excl_vat) in row and money(total.amount.incl_vat) in row
        assert "…" not in row
        assert str(total.seats) in row
        first = invoice_lines(register)[0]
        line_with(
            lines,
            money(first.bill.amount.excl_vat),
            money(first.bill.amount.incl_vat),
        )


async def test_pricing_follows_a_resize(make_app: AppFactory, demo_db: Path) -> None:
    total = programme_bill(stored(demo_db))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await pilot.pause()
        assert _("EAN") in line_with(screen_lines(app), _("Municipality"))
        await pilot.resize_terminal(*NARROW)
        await pilot.pause()
        lines = screen_lines(app)
        assert _("EAN") not in line_with(lines, _("Municipality"))
        assert money(total.amount.incl_vat) in line_with(lines, _("Programme"))
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert _("EAN") in line_with(screen_lines(app), _("Municipality"))


def test_columns_give_way_in_the_order_given_and_never_below_their_header() -> None:
    labels = {"name": "Name", "ref": "Reference", "amount": "Amount"}
    rows = [{"name": "Ringkøbing-Skjern", "ref": "PO-2027-000123", "amount": "DKK 1.00"}]
    steps = [("shrink", "ref", 4), ("drop", "name", 0)]
    assert fit_columns(labels, rows, 100, steps) == {"name": 17, "ref": 14, "amount": 8}
    # widths + 2 padding each: 19 + 16 + 10 = 45; 41 shrinks the reference by 4
    assert fit_columns(labels, rows, 41, steps) == {"name": 17, "ref": 10, "amount": 8}
    # no narrower than "Reference": then the name goes
    assert fit_columns(labels, rows, 30, steps) == {"ref": 9, "amount": 8}


# -- history ------------------------------------------------------------------------------------


def edit_hold_1(path: Path) -> tuple[str, str]:
    """Hold 1: a later deadline and another town; returns the old and new deadline."""
    registry = registry_on(path)
    cohort = registry.snapshot().register.cohort(1)
    day = cohort.registration_deadline
    venue = dataclasses.replace(cohort.seminar.venue, postcode="7100", town="Vejle")
    registry.update_cohort(
        1,
        cohort.rev,
        settings_with(
            registry,
            1,
            registration_deadline=day + timedelta(days=7),
            seminar=dataclasses.replace(cohort.seminar, venue=venue),
            themes=(*cohort.themes, "Et nyt og meget langt tema om ledelse på tværs af kommunen"),
        ),
    )
    return f"{day:%d.%m.%Y}", f"{day + timedelta(days=7):%d.%m.%Y}"


@pytest.mark.parametrize("size", [SIZE, NARROW], ids=["120x40", "80x24"])
async def test_history_shows_old_and_new_and_the_whole_entry(
    make_app: AppFactory, demo_db: Path, size: tuple[int, int]
) -> None:
    old, new = edit_hold_1(demo_db)
    summary = Repository(Database(demo_db)).history(1)[0].summary
    assert f"deadline {old} → {new}" in summary and "→ 7100 Vejle" in summary
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("6")
        await pilot.pause()
        lines = screen_lines(app)
        line_with(lines, "cohort", "settings of hold 1 updated")
        # the highlighted entry, wrapped below the table: nothing of it is lost
        detail = " ".join(line.strip() for line in lines[-8:-1])
        assert f"deadline {old} → {new}" in detail
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HistoryEntryModal)
        assert app.screen.text == summary
        shown = " ".join(line.strip("│ ") for line in screen_lines(app))
        assert "langt tema om ledelse på tværs af kommunen" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryEntryModal)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, HistoryEntryModal)
