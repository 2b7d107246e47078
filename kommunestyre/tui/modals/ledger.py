"""The ledger: every letter exported or sent, newest first, with stale ones marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from kommunestyre.formats import short_date
from kommunestyre.i18n import N_, _, ngettext
from kommunestyre.tui.widgets.plain import Plain
from kommunestyre.tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from kommunestyre.services.letters import LedgerLine

#: The ledger's columns (headers in English, marked N_(): VirtualTable shows them through _()).
COLUMNS = [
    Column("when", N_("When"), 16),
    Column("letter", N_("Letter"), 12),
    Column("state", N_("State"), 10),
    Column("email", N_("Recipient")),
    Column("cohort", N_("Hold"), 4, align_right=True),
    Column("channel", N_("Channel"), 7),
    Column("changed", N_("What changed")),
    Column("where", N_("Where"), hide_below=140),
]

STATE_KIND = {"stale": "warning", "superseded": "muted", "gone": "muted", "current": ""}

#: A delivery's state and channel in words (the ledger's own values are keys).
STATE_WORDS = {
    "current": N_("current"),
    "stale": N_("stale"),
    "superseded": N_("superseded"),
    "gone": N_("gone"),
}
CHANNEL_WORDS = {"marked": N_("marked")}  # eml, mbox and smtp read the same in both languages

EXPLAIN = N_(
    "stale: the data behind the letter changed after it left (choose the letter, press r and "
    "send the update: its subject begins 'Ændret:' and it names what changed) · superseded: a "
    "newer delivery replaced it · gone: the recipient no longer gets this letter"
)


def _word(words: dict[str, str], key: str) -> str:
    return _(words[key]) if key in words else key


class LedgerScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "dismiss", N_("Close"), id="ledger.close")]

    def __init__(self, lines: Sequence[LedgerLine]) -> None:
        super().__init__(classes="modal")
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        stale = sum(1 for line in self.lines if line.state == "stale")
        total = len(self.lines)
        title = ngettext(
            "Ledger: {n} delivered letter(s), {stale} stale (esc closes)",
            "Ledger: {n} delivered letter(s), {stale} stale (esc closes)",
            total,
        ).format(n=total, stale=stale)
        with Vertical(classes="dialog wide", id="ledger"):  # not translated: CSS classes
            yield Plain(title, classes="dialog-title")
            yield VirtualTable(COLUMNS, id="ledger-table")
            yield Plain(id="ledger-changes")
            yield Plain(_(EXPLAIN), classes="note")

    def on_mount(self) -> None:
        keys, rows, kinds = [], [], []
        for number, line in enumerate(self.lines):
            d = line.delivery
            keys.append(number)
            rows.append(
                (
                    f"{short_date(d.at.date())} {d.at:%H:%M}",
                    d.letter,
                    _word(STATE_WORDS, line.state),
                    d.email or _("(erased)"),
                    str(d.cohort or ""),
                    _word(CHANNEL_WORDS, d.channel),
                    "; ".join(change.summary() for change in line.changes),
                    d.where,
                )
            )
            kinds.append(STATE_KIND.get(line.state, ""))
        table = self.query_one(VirtualTable)
        table.set_rows(keys, rows, kinds)
        table.focus()

    @on(VirtualTable.RowHighlighted)
    def show_changes(self) -> None:
        """The stale letter under the cursor: what changed, in full."""
        key = self.query_one(VirtualTable).cursor_key
        line = self.lines[key] if isinstance(key, int) and 0 <= key < len(self.lines) else None
        text = ""
        if line is not None and line.changes:
            text = "\n".join(
                [_("What changed since it left:"), *(f"  {c.summary()}" for c in line.changes)]
            )
        self.query_one("#ledger-changes", Plain).update(text)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
