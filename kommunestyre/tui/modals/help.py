"""F1: every key binding, and what each screen is for, read from the bindings themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from kommunestyre.i18n import N_, _
from kommunestyre.tui.widgets.plain import Plain

if TYPE_CHECKING:
    from textual.app import App


def _described(binding: Binding) -> str:
    """The key's description and what it does (both already in the language in use)."""
    return f"{binding.description} ({binding.tooltip})" if binding.tooltip else binding.description


def help_text(app: App) -> Text:
    """Generated from the same keys as the command palette (``offered_keys``: the app's and
    each screen's bindings), so it cannot drift from what the keys do. Plain text with bold
    headings: keys such as ``[`` and ``]`` are shown as they are."""
    from kommunestyre.tui.screens.base import SCREENS, key_label, offered_keys

    text = Text()

    def heading(title: str, rest: str = "") -> None:
        if text:
            text.append("\n\n")
        text.append(title, "bold")
        text.append(rest)

    def line(keys: str, what: str) -> None:
        text.append(f"\n  {keys:<10} {what}")

    heading(_("Everywhere"))
    for binding in offered_keys(app):
        line(key_label(binding), binding.description)
    for mode, key, label in SCREENS:
        screen_class = app.MODES[mode]
        heading(f"{key} {_(label)}", f": {_(screen_class.PURPOSE)}")  # type: ignore[union-attr]
        for binding in offered_keys(screen_class):  # type: ignore[arg-type]
            line(key_label(binding), _described(binding))
    heading(_("Finding your way"))
    line("ctrl+p", _("Command palette: every action by name"))
    line("tab", _("Next field or panel; the mouse works too"))
    heading(
        _("Forms"),
        ": "
        + _(
            "ctrl+s saves, esc cancels; a wrong value is marked at its field with the reason. "
            "Every change is saved at once; there is no separate save step."
        ),
    )
    heading(
        _("Other coordinators"),
        ": "
        + _(
            "changes made elsewhere appear within a few seconds. If you save something that "
            "was changed meanwhile, you are told, and the data is reloaded."
        ),
    )
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", N_("Close"), id="help.close")]

    def __init__(self, app: App) -> None:
        super().__init__(classes="modal")
        self.text = help_text(app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide", id="help"):  # not translated: CSS classes
            yield Plain(_("kommunestyre: keys and screens (esc closes)"), classes="dialog-title")
            yield Plain(self.text)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
