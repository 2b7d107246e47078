"""Widgets that show text as typed: user data is data, never markup, never a terminal command.

Textual reads ``[b]``, ``[/]`` and ``[@click=...]`` in a string as markup: a note containing
``[/]`` crashes a screen, and ``[@click=app.quit]`` plants a working action. Every text the app
shows goes through these widgets (or is a rich ``Text``), and ``tests/tui/test_plain_text.py``
checks that the app uses no other way. Control characters (a terminal takes ESC and CSI as
commands) are shown as visible symbols.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.widgets import DataTable, Label, Static
from textual.widgets.data_table import ColumnKey, RowKey

from kommunestyre.terminal import printable


def plain(text: object, style: str = "") -> Text:
    """A piece of text shown exactly as typed."""
    return Text(printable(str(text)), style=style)


class Plain(Static):
    """A Static whose strings are shown as typed."""

    def __init__(self, content: object = "", **options: object) -> None:
        options.pop("markup", None)
        super().__init__(_as_text(content), markup=False, **options)  # type: ignore[arg-type]

    def update(self, content: object = "", *, layout: bool = True) -> None:
        super().update(_as_text(content), layout=layout)  # type: ignore[arg-type]


class PlainLabel(Label):
    """A Label whose strings are shown as typed."""

    def __init__(self, content: object = "", **options: object) -> None:
        options.pop("markup", None)
        super().__init__(_as_text(content), markup=False, **options)  # type: ignore[arg-type]


class PlainTable(DataTable[object]):
    """A DataTable whose string cells are shown as typed (DataTable reads them as markup)."""

    def add_row(self, *cells: object, **options: Any) -> RowKey:
        return super().add_row(*(_as_text(cell) for cell in cells), **options)

    def add_columns(self, *labels: Any) -> list[ColumnKey]:
        return super().add_columns(
            *(plain(label) if isinstance(label, str) else label for label in labels)
        )


def _as_text(content: object) -> object:
    if isinstance(content, Group):  # each piece is made from data too (tables clean their own)
        return Group(*(_as_text(piece) for piece in content.renderables))  # type: ignore[arg-type]
    if isinstance(content, str):
        return plain(content)
    if isinstance(content, Text):  # styled text made from data: its characters are data too
        cleaned = printable(content.plain)
        if cleaned != content.plain:
            content = content.copy()
            content.plain = cleaned  # one symbol for one character: the styles stay in place
    return content
