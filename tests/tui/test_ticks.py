"""Tick boxes differ by shape, not only by colour: a plain terminal shows which are ticked."""

from __future__ import annotations

from textual.app import App, ComposeResult

from kommunestyre.tui.widgets.ticks import TICKED, UNTICKED, TickList


class Ticks(App[None]):
    def compose(self) -> ComposeResult:
        yield TickList(("Social og sundhed", "a", True), ("Teknik og miljø", "b", False))


async def test_ticked_and_unticked_boxes_look_different_without_colour() -> None:
    app = Ticks()
    async with app.run_test(size=(40, 5)) as pilot:
        ticks = app.query_one(TickList)
        first, second = (ticks.render_line(y).text for y in (0, 1))
        assert first[1] == TICKED and second[1] == UNTICKED
        ticks.focus()
        await pilot.press("down", "space")  # tick the second
        await pilot.pause()
        assert ticks.render_line(1).text[1] == TICKED
