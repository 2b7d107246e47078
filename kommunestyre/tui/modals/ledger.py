"""The ledger: every letter exported or sent, newest first, with stale ones marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from kommunestyre.formats import short_date
from kommunestyre.tui.widgets.plain import Plain
from kommunestyre.tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from kommunestyre.services.letters import LedgerLine

COLUMNS = [
    Column("when", "When", 16),
    Column("letter", "Letter", 12),
    Column("state", "State", 10),
    Column("email", "Recipient"),
    Column("cohort", "Hold", 4, align_right=True),
    Column("channel", "Channel", 7),
    Column("where", "Where", hide_below=120),
]

STATE_KIND = {"stale": "warning", "superseded": "muted", "gone": "muted", "current": ""}

EXPLAIN = (
    "stale: the data behind the letter changed after it left (select the letter, tick Resend, "
    "send the update) · superseded: a newer delivery replaced it · gone: the recipient no "
    "longer gets this letter"
)


class LedgerScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "dismiss", "Close", id="ledger.close")]

    def __init__(self, lines: Sequence[LedgerLine]) -> None:
        super().__init__(classes="modal")
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        stale = sum(1 for line in self.lines if line.state == "stale")
        title = f"Ledger: {len(self.lines)} delivered letter(s), {stale} stale (esc closes)"
        with Vertical(classes="dialog wide", id="ledger"):
            yield Plain(title, classes="dialog-title")
            yield VirtualTable(COLUMNS, id="ledger-table")
            yield Plain(EXPLAIN, classes="note")

    def on_mount(self) -> None:
        keys, rows, kinds = [], [], []
        for number, line in enumerate(self.lines):
            d = line.delivery
            keys.append(number)
            rows.append(
                (
                    f"{short_date(d.at.date())} {d.at:%H:%M}",
                    d.letter,
                    line.state,
                    d.email or "(erased)",
                    str(d.cohort or ""),
                    d.channel,
                    d.where,
                )
            )
            kinds.append(STATE_KIND.get(line.state, ""))
        table = self.query_one(VirtualTable)
        table.set_rows(keys, rows, kinds)
        table.focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
