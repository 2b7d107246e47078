"""One history entry in full, however long: when, who, what, and the whole text, wrapped."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen

from kommunestyre.i18n import N_, _
from kommunestyre.tui.widgets.plain import Plain


class HistoryEntryModal(ModalScreen[None]):
    """``when``, ``who``, ``action`` and ``text`` are shown as given (the text is data: it
    holds names and notes as they were typed)."""

    BINDINGS = [Binding("escape,enter,q", "close", N_("Close"), id="history-entry.close")]

    def __init__(self, when: str, who: str, action: str, text: str) -> None:
        super().__init__(classes="modal")
        self.when, self.who, self.action, self.text = when, who, action, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="history-entry"):  # not translated: CSS classes
            yield Plain(_("History entry (esc closes)"), classes="dialog-title")
            yield Plain(
                _("{when} · {who} · {action}").format(
                    when=self.when, who=self.who, action=self.action
                ),
                classes="sub-label",
            )
            with VerticalScroll(id="history-entry-scroll"):
                yield Plain(self.text, id="history-entry-text")

    def on_mount(self) -> None:
        self.query_one("#history-entry-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
