"""The cancellation letter on the Letters screen: in the letter list, its recipients, and its
preview naming the cancelled invitations."""

from __future__ import annotations

from textual.widgets import Select

from tests.tui.conftest import SIZE, AppFactory
from tests.tui.test_letters_screen import open_letters, table_rows, text_of


async def test_the_cancellation_letter_is_in_the_list(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_letters(pilot, "cancellation")
        letters = screen.query_one("#letter", Select)
        assert ("Cancellation", "cancellation") in letters._options
        rows = table_rows(app)
        assert {r[1] for r in rows} == {"Louise Dahl (Vejle)", "Peter Poulsen (Herning)"}
        assert {r[0] for r in rows} == {"ready"}
        preview = text_of(app, "#preview-text")
        assert "Afmelding fra hold" in preview and "sen afmelding" in preview
        assert "kommunestyret-2030-hold-1-seminar.ics" in preview
        assert "(the meetings' invitations cancelled)" in preview
        assert screen.query_one("#letter-status", Select).value == "all"
