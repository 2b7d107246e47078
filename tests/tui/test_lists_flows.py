"""Lists in and out from the app: import a sheet after reading its report; write a list."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

from textual.widgets import Select, Static

from kommunestyre.tui.modals.lists_forms import ExportListForm, ImportForm
from kommunestyre.tui.widgets.form import FormField
from tests.tui.conftest import SIZE, AppFactory, close_dialogs, fill, notices, paste, stored

SHEET = (
    "Kommune;Hold;Navn;Titel;Fagområde;E-mail;EAN\r\n"
    "Albertslund;2;Lene Olsen;Kommunaldirektør;Kommunaldirektør;lene@albertslund.dk;\r\n"
    "Albertslund;2;Jens Bo;Direktør;Teknik og miljø;jens@albertslund.dk;\r\n"
    "Atlantis;2;Ea;Direktør;;ea@atlantis.dk;\r\n"
)


def report(app) -> str:
    return str(app.screen.query_one("#import-report-text", Static).render())


async def check(pilot) -> None:
    await pilot.press("ctrl+r")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_import_after_reading_the_report(
    make_app: AppFactory, demo_db: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "tilmelding.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    before = demo_db.read_bytes()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "i")
        assert isinstance(app.screen, ImportForm)
        await paste(pilot, "#input-file", str(sheet))
        await pilot.press("ctrl+s")  # not checked yet
        assert isinstance(app.screen, ImportForm)
        assert "Check the sheet first" in str(app.screen.query_one("#form-error").render())

        await check(pilot)
        text = report(app)
        assert "row 4, column 'Kommune': 'Atlantis' is not a Danish municipality" in text
        assert "Nothing can be imported" in text
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ImportForm)
        assert demo_db.read_bytes() == before

        await fill(pilot, "#input-exclude", "4")
        await check(pilot)
        assert "row 2: adds Lene Olsen" in report(app)
        assert "Albertslund admitted to hold 2 with 2 participants" in report(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ImportForm)
        assert any(
            "Imported tilmelding.csv: 2 row(s), 2 add, 1 excluded" in n for n in notices(app)
        )
    emails = {p.details.email for p in stored(demo_db).participants.values()}
    assert {"lene@albertslund.dk", "jens@albertslund.dk"} <= emails
    assert "ea@atlantis.dk" not in emails


async def test_a_sheet_with_odd_numbers_is_reported_and_the_app_keeps_running(
    make_app: AppFactory, demo_db: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "hold.csv"
    sheet.write_text(
        "Kommune;Hold;Navn;Titel;Fagområde;E-mail;EAN\r\n"
        "Albertslund;\u00b2;Lene Olsen;Direktør;Kommunaldirektør;lene@albertslund.dk;\r\n"
        f"Albertslund;{'9' * 5000};Jens Bo;Direktør;Teknik og miljø;jens@albertslund.dk;\r\n",
        encoding="utf-8",
    )
    before = demo_db.read_bytes()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "i")
        await paste(pilot, "#input-file", str(sheet))
        await check(pilot)
        text = report(app)
        assert "row 2, column 'Hold'" in text and "row 3, column 'Hold'" in text
        assert "Nothing can be imported" in text
        await close_dialogs(pilot)  # esc, and yes: discard the typed file name
        assert app.is_running and not isinstance(app.screen, ImportForm)
    assert demo_db.read_bytes() == before


async def test_a_missing_file_is_marked_at_its_field(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "i")
        await paste(pilot, "#input-file", str(tmp_path / "nope.xlsx"))
        await check(pilot)
        field = app.screen.query_one("#field-file", FormField)
        assert field.has_class("-invalid") and "is not a file" in str(
            field.query_one(".error", Static).render()
        )


async def test_write_the_invoice_basis_from_the_pricing_screen(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    out = tmp_path / "faktura.csv"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "x")
        form = app.screen
        assert isinstance(form, ExportListForm)
        assert form.query_one("#input-kind", Select).value == "invoices"
        assert form.query_one("#field-out", FormField).value.endswith("invoices.xlsx")
        form.query_one("#input-kind", Select).value = "contacts"
        await pilot.pause()
        assert form.query_one("#field-out", FormField).value.endswith("contacts.xlsx")
        form.query_one("#input-kind", Select).value = "invoices"
        await paste(pilot, "#input-out", str(tmp_path / "faktura.txt"))
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ExportListForm)  # a .txt is refused at the field
        await paste(pilot, "#input-out", str(out))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any(f"Wrote 28 row(s) to {out}" in n for n in notices(app))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[-1][0] == "I alt" and rows[-1][-1] == "1992875,00"
