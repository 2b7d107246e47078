"""F1: every key binding, and what each screen is for, read from the bindings themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import App


def _keys(binding: Binding) -> str:
    return binding.key_display or binding.key.replace("_", " ")


def help_text(app: App) -> str:
    """Generated from the screens' BINDINGS, so it cannot drift from what the keys do."""
    from kommunestyre.tui.screens.base import SCREENS

    lines = ["[b]Everywhere[/]"]
    for _, key, label in SCREENS:
        lines.append(f"  {key:<10} {label}")
    for binding in app.BINDINGS:
        if isinstance(binding, Binding) and binding.show:
            lines.append(f"  {_keys(binding):<10} {binding.description}")
    lines.append(f"  {'ctrl+p':<10} Command palette: every action by name")
    lines.append(f"  {'tab':<10} Next field or panel; the mouse works too")
    for mode, key, label in SCREENS:
        screen_class = app.MODES[mode]
        lines += ["", f"[b]{key} {label}[/]: {screen_class.PURPOSE}"]  # type: ignore[union-attr]
        for binding in screen_class.BINDINGS:  # type: ignore[union-attr]
            if isinstance(binding, Binding) and binding.show:
                hint = f" ({binding.tooltip})" if binding.tooltip else ""
                lines.append(f"  {_keys(binding):<10} {binding.description}{hint}")
    lines += [
        "",
        "[b]Forms[/]: ctrl+s saves, esc cancels; a wrong value is marked at its field with the "
        "reason. Every change is saved at once; there is no separate save step.",
        "[b]Other coordinators[/]: changes made elsewhere appear within a few seconds. If you save "
        "something that was changed meanwhile, you are told, and the data is reloaded.",
    ]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help.close")]

    def __init__(self, app: App) -> None:
        super().__init__(classes="modal")
        self.text = help_text(app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide", id="help"):
            yield Static("kommunestyre: keys and screens (esc closes)", classes="dialog-title")
            yield Static(self.text)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
