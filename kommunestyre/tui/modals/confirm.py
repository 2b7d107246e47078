"""Yes or no before anything destructive."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from kommunestyre.i18n import N_, _
from kommunestyre.tui.widgets.plain import Plain


class ConfirmModal(ModalScreen[bool]):
    """``title``, ``text`` and ``yes`` are shown as given: the caller translates them."""

    BINDINGS = [
        Binding("y,j", "answer(True)", N_("Yes"), id="confirm.yes"),  # j: ja
        Binding("n,escape", "answer(False)", N_("No"), id="confirm.no"),
    ]

    def __init__(self, title: str, text: str, *, yes: str = "", danger: bool = False) -> None:
        super().__init__(classes="modal")
        self.title_text = title
        self.text = text
        self.yes = yes or _("Yes")
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(self.title_text, classes="dialog-title")
            yield Plain(self.text, id="confirm-text")
            with Horizontal(classes="buttons"):
                yield Button(
                    _("{answer} (y)").format(answer=self.yes),
                    id="yes",
                    variant="error" if self.danger else "primary",
                    compact=True,
                )
                yield Button(_("No (n)"), id="no", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
