"""The change log, newest first: who changed what, and when."""

from __future__ import annotations

from textual.app import ComposeResult

from kommunestyre.formats import short_date
from kommunestyre.i18n import N_, _
from kommunestyre.services.registry import Snapshot
from kommunestyre.tui.screens.base import BaseScreen
from kommunestyre.tui.widgets.plain import Plain
from kommunestyre.tui.widgets.virtual_table import Column, VirtualTable

COLUMNS = [
    Column("when", N_("When"), 16),
    Column("user", N_("Who"), 12),
    Column("action", N_("What"), 10),
    Column("summary", N_("Summary")),
]


class HistoryScreen(BaseScreen):
    MODE = "history"
    PURPOSE = N_("Every change ever saved, newest first: when, by which user account, and what.")

    def compose_body(self) -> ComposeResult:
        yield Plain(_("History, newest first"), classes="screen-title")
        yield VirtualTable(COLUMNS, id="history")

    def show(self, snapshot: Snapshot) -> None:
        entries = self.kapp.registry.repository.history()
        rows = [
            (f"{short_date(e.at.date())} {e.at:%H:%M}", e.user, e.action, e.summary)
            for e in entries
        ]
        self.query_one(VirtualTable).set_rows([e.id for e in entries], rows)
