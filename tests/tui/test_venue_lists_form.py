"""The venue's lists from the app's list form (x): the room list, badges and sign-in sheets;
the file name decides the format, a PDF option suggests a .pdf name."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from textual.widgets import Select

from kommunestyre.domain.model import Status
from kommunestyre.tui.modals.lists_forms import ExportListForm
from kommunestyre.tui.widgets.form import FormField
from tests.tui.conftest import SIZE, AppFactory, notices, paste


async def test_write_a_followup_signin_sheet_and_a_room_list(
    make_app: AppFactory, demo_db: Path, tmp_path: Path
) -> None:
    app = make_app()
    signin = tmp_path / "underskrift.pdf"
    rooms = tmp_path / "rooms.xlsx"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "x")
        form = app.screen
        assert isinstance(form, ExportListForm)
        kind = form.query_one("#input-kind", Select)
        out = form.query_one("#field-out", FormField)
        kind.value = "signin-followup"
        await pilot.pause()
        assert out.value.endswith("signin-followup.pdf")
        kind.value = "rooms"
        await pilot.pause()
        assert out.value.endswith("rooms.xlsx")  # back from a PDF: a sheet again
        kind.value = "signin-followup"
        await pilot.pause()
        await paste(pilot, "#input-out", str(signin))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any(str(signin) in n for n in notices(app))
        await pilot.press("x")
        app.screen.query_one("#input-kind", Select).value = "rooms"
        await pilot.pause()
        await paste(pilot, "#input-out", str(rooms))
        await pilot.press("ctrl+s")
        await pilot.pause()
    register = app.registry.repository.load()
    text = "\n".join(page.extract_text() for page in PdfReader(signin).pages)
    assert "opfølgningsdag" in text
    for p in register.participants.values():
        if p.status is Status.ADMITTED:
            assert p.name in text
    assert rooms.read_bytes().startswith(b"PK")
