"""What every top-level screen shares: the navigation line, the footer, and how it refreshes."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer, Static

from kommunestyre.i18n import N_, _
from kommunestyre.services.registry import Snapshot
from kommunestyre.tui.language import translated

if TYPE_CHECKING:
    from kommunestyre.tui.app import KommunestyreApp

#: (mode, key, label) for the navigation line and the number-key bindings (labels in English;
#: shown through ``_()``).
SCREENS: list[tuple[str, str, str]] = [
    ("overview", "1", N_("Overview")),
    ("register", "2", N_("Register")),
    ("cohort", "3", N_("Cohort")),
    ("networks", "4", N_("Networks")),
    ("pricing", "5", N_("Pricing")),
    ("history", "6", N_("History")),
    ("letters", "7", N_("Letters")),
    ("contacts", "8", N_("Contacts")),
]

SCREEN_LABELS = {mode: label for mode, _key, label in SCREENS}

#: `x` on the screens that have a list to hand out.
LIST_BINDING = Binding(
    "x",
    "export_list",
    N_("Lists"),
    id="lists.export",
    tooltip=N_("Write a list to .xlsx, .csv or .md"),
)


def offered_keys(node: type[DOMNode] | DOMNode) -> list[Binding]:
    """The keys a screen (or the app) offers by name, in the language in use: every binding
    with a description and an id, in the order of its ``BINDINGS``.

    The one source of F1's help and of the command palette, so neither can drift from what
    the keys do. A binding without an id is navigation (esc back to the table, the arrows,
    n/p between letters) and is in neither; whether the footer shows a key is its ``show``.
    Of a live screen, a key its ``check_action`` turns off for now (stop, when nothing runs)
    is left out, as the footer leaves it out.
    """
    cls = node if isinstance(node, type) else type(node)
    keys: dict[str, Binding] = {}
    for base in reversed(cls.__mro__):  # a subclass's key with the same id replaces its base's
        for binding in base.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.description and binding.id:
                keys.pop(binding.id, None)
                keys[binding.id] = translated(binding)
    offered = list(keys.values())
    if isinstance(node, type):
        return offered
    return [b for b in offered if node.check_action(b.action.partition("(")[0], ()) is not False]


def key_label(binding: Binding) -> str:
    """How help and the palette name a key: ``/`` rather than ``slash``."""
    return binding.key_display or binding.key.replace("_", " ")


class NavBar(Static):
    """One line: the screens with their number keys; the current one highlighted; clickable."""

    def __init__(self, current: str) -> None:
        super().__init__(id="nav")
        self.current = current

    def on_mount(self) -> None:
        parts = []
        for mode, key, label in SCREENS:
            text = f" {key} {_(label)} "
            if mode == self.current:
                parts.append(f"[reverse b]{text}[/]")
            else:
                parts.append(f"[@click=app.switch_mode('{mode}')]{text}[/]")
        parts.append(f"[@click=app.help]  F1 {_('Help')} [/]")
        self.update("".join(parts))


class BaseScreen(Screen[None]):
    """A top-level screen drawn from the app's current snapshot of the register."""

    MODE: ClassVar[str] = ""
    PURPOSE: ClassVar[str] = ""  # one sentence for the help screen (N_, shown through _())
    LIST_KIND: ClassVar[str] = "participants"  # the list `x` offers first on this screen

    def __init__(self) -> None:
        super().__init__()
        self.shown: Snapshot | None = None

    @property
    def kapp(self) -> KommunestyreApp:
        return self.app  # type: ignore[return-value]

    def compose_body(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        yield NavBar(self.MODE)
        yield from self.compose_body()
        yield Footer(compact=True)

    def on_screen_resume(self) -> None:
        self.refresh_if_stale()

    def refresh_if_stale(self) -> None:
        snapshot = self.kapp.snapshot
        if snapshot is not self.shown:
            self.shown = snapshot
            self.show(snapshot)

    def show(self, snapshot: Snapshot) -> None:
        """Draw the screen from ``snapshot``; called whenever the data changed."""

    def show_record(self, kind: str, record_id: int) -> None:
        """Put the cursor (and the focus) on a record a change just made: a ``"participant"``
        or a ``"directorate"``. A screen that lists neither leaves its cursor where it is."""

    def action_export_list(self) -> None:
        self.kapp.flows.export_list(self.LIST_KIND)
