"""The change log, newest first: who changed what, and when.

The table gives each entry one line; the highlighted entry is shown in full below it, wrapped,
and `v` (or enter) opens it on its own, however long it is.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from kommunestyre.domain.changes import action_label
from kommunestyre.formats import short_date
from kommunestyre.i18n import N_, _
from kommunestyre.services.registry import Snapshot
from kommunestyre.tui.modals.history_entry import HistoryEntryModal
from kommunestyre.tui.screens.base import BaseScreen
from kommunestyre.tui.widgets.plain import Plain
from kommunestyre.tui.widgets.virtual_table import Column, VirtualTable

COLUMNS = [
    Column("when", N_("When"), 16),
    Column("user", N_("Who"), 12),
    Column("action", N_("What"), 12),
    Column("summary", N_("Summary")),
]


class HistoryScreen(BaseScreen):
    MODE = "history"
    PURPOSE = N_(
        "Every change ever saved, newest first: when, by which user account, and what, with "
        "each edit's old and new values. The highlighted entry is shown in full below the "
        "table; v or enter opens it on its own."
    )
    BINDINGS = [
        Binding(
            "v",
            "read",
            N_("Read"),
            id="history.read",
            tooltip=N_("The highlighted entry in full (or enter)"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: (when, who, what, text) of each entry shown, by its id.
        self.entries: dict[Hashable, tuple[str, str, str, str]] = {}

    def compose_body(self) -> ComposeResult:
        yield Plain(_("History, newest first"), classes="screen-title")
        yield VirtualTable(COLUMNS, id="history")
        yield Plain(id="history-detail", classes="detail")

    def show(self, snapshot: Snapshot) -> None:
        entries = self.kapp.registry.repository.history()
        self.entries = {
            e.id: (
                f"{short_date(e.at.date())} {e.at:%H:%M}",
                e.user,
                action_label(e.action),
                e.summary,
            )
            for e in entries
        }
        self.query_one(VirtualTable).set_rows(list(self.entries), list(self.entries.values()))

    @on(VirtualTable.RowHighlighted)
    def show_detail(self, event: VirtualTable.RowHighlighted) -> None:
        entry = self.entries.get(event.key) if event.key is not None else None
        self.query_one("#history-detail", Static).update(entry[3] if entry else "")

    @on(VirtualTable.RowSelected)
    def open_selected(self) -> None:
        self.action_read()

    def action_read(self) -> None:
        key = self.query_one(VirtualTable).cursor_key
        entry = self.entries.get(key) if key is not None else None
        if entry is None:
            self.app.bell()
            return
        self.app.push_screen(HistoryEntryModal(*entry))
