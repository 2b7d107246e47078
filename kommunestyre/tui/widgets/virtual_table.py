"""A read-only table that draws only the rows on screen.

Textual's DataTable measures and stores every cell when rows are added (about 2.5 s for 10,000
rows here), which cannot keep up with filtering as you type. This widget takes plain strings,
keeps them in a list and renders the visible lines on demand (Textual's Line API), so replacing
all its rows costs no more than building the list.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kommunestyre.i18n import N_, _
from kommunestyre.tui.widgets.plain import printable


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str  # English, marked N_(): the header shows it through _()
    width: int | None = None  # None: share the remaining width
    align_right: bool = False
    hide_below: int = 0  # a table narrower than this leaves the column out


class VirtualTable(ScrollView, can_focus=True):
    """Rows of text with a header, a cursor, and click-to-sort headers."""

    BINDINGS = [
        Binding("up", "cursor(-1)", N_("Up"), show=False),
        Binding("down", "cursor(1)", N_("Down"), show=False),
        Binding("pageup", "page(-1)", N_("Page up"), show=False),
        Binding("pagedown", "page(1)", N_("Page down"), show=False),
        Binding("home", "jump(0)", N_("First"), show=False),
        Binding("end", "jump(-1)", N_("Last"), show=False),
        Binding("enter", "select", N_("Open"), show=False),
    ]

    COMPONENT_CLASSES = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--section",
        "virtual-table--muted",
        "virtual-table--warning",
        "virtual-table--error",
    }

    DEFAULT_CSS = """
    VirtualTable { height: 1fr; overflow-x: hidden; }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; }
    VirtualTable > .virtual-table--cursor { background: $block-cursor-blurred-background; }
    VirtualTable:focus > .virtual-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    VirtualTable > .virtual-table--section { text-style: bold; color: $accent; }
    VirtualTable > .virtual-table--muted { color: $text-muted; }
    VirtualTable > .virtual-table--warning { color: $warning; text-style: bold; }
    VirtualTable > .virtual-table--error { color: $error; }
    """

    cursor_row: reactive[int] = reactive(0)

    class RowHighlighted(Message):
        def __init__(self, table: VirtualTable, key: Hashable | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

    class RowSelected(Message):
        def __init__(self, table: VirtualTable, key: Hashable) -> None:
            super().__init__()
            self.table = table
            self.key = key

    class HeaderClicked(Message):
        def __init__(self, table: VirtualTable, column: str) -> None:
            super().__init__()
            self.table = table
            self.column = column

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.keys: list[Hashable] = []
        self.rows: list[Sequence[str]] = []
        self.kinds: list[str] = []  # "", "section", "muted", "warning" or "error" per row
        self.sort_column: str | None = None
        self.sort_reverse = False

    # -- data ----------------------------------------------------------------------------------

    def set_rows(
        self,
        keys: Sequence[Hashable],
        rows: Sequence[Sequence[str]],
        kinds: Sequence[str] | None = None,
    ) -> None:
        """Replace every row; the cursor stays on the same key when it is still there."""
        current = self.cursor_key
        self.keys = list(keys)
        self.rows = list(rows)
        self.kinds = list(kinds) if kinds is not None else [""] * len(self.rows)
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        position = self._index_of(current)
        self.cursor_row = (
            position if position is not None else min(self.cursor_row, max(0, len(self.rows) - 1))
        )
        self._skip_sections(1)
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.RowHighlighted(self, self.cursor_key))

    def _index_of(self, key: Hashable | None) -> int | None:
        if key is None:
            return None
        try:
            return self.keys.index(key)
        except ValueError:
            return None

    @property
    def cursor_key(self) -> Hashable | None:
        if 0 <= self.cursor_row < len(self.keys) and self.kinds[self.cursor_row] != "section":
            return self.keys[self.cursor_row]
        return None

    def move_cursor_to(self, key: Hashable) -> None:
        position = self._index_of(key)
        if position is not None:
            self.cursor_row = position
            self._scroll_to_cursor()

    # -- cursor ----------------------------------------------------------------------------------

    def _skip_sections(self, direction: int) -> None:
        row = self.cursor_row
        while 0 <= row < len(self.rows) and self.kinds[row] == "section":
            row += direction
        if 0 <= row < len(self.rows):
            self.cursor_row = row

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh()
        self.post_message(self.RowHighlighted(self, self.cursor_key))

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def _move(self, row: int, direction: int) -> None:
        if not self.rows:
            return
        self.cursor_row = max(0, min(len(self.rows) - 1, row))
        self._skip_sections(direction)
        self._scroll_to_cursor()

    def action_cursor(self, step: int) -> None:
        self._move(self.cursor_row + step, step)

    def action_page(self, direction: int) -> None:
        page = max(1, self.scrollable_content_region.height - 2)
        self._move(self.cursor_row + direction * page, direction)

    def action_jump(self, where: int) -> None:
        self._move(0 if where == 0 else len(self.rows) - 1, 1 if where == 0 else -1)

    def action_select(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.RowSelected(self, key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            for _index, column, start, width in self._layout():
                if start <= offset.x < start + width:
                    self.post_message(self.HeaderClicked(self, column.key))
            return
        row = int(self.scroll_y) + offset.y - 1
        if 0 <= row < len(self.rows) and self.kinds[row] != "section":
            if row == self.cursor_row and event.chain > 1:
                self.action_select()
            self.cursor_row = row

    # -- rendering -------------------------------------------------------------------------------

    def _layout(self) -> list[tuple[int, Column, int, int]]:
        """(index, column, start, width) of the columns that fit the current width."""
        total = self.scrollable_content_region.width
        shown = [(i, c) for i, c in enumerate(self.columns) if total >= c.hide_below]
        fixed = sum(c.width or 0 for _, c in shown) + len(shown)
        flexible = [c for _, c in shown if c.width is None]
        share = max(6, (total - fixed) // max(1, len(flexible)))
        layout, start = [], 0
        for index, column in shown:
            width = column.width or share
            layout.append((index, column, start, width))
            start += width + 1
        return layout

    def _line(self, cells: Sequence[str], style: Style) -> Strip:
        segments = []
        for index, column, _start, width in self._layout():
            text = printable(cells[index]).replace("\n", " ") if index < len(cells) else ""
            if cell_len(text) > width:
                text = set_cell_size(text, width - 1) + "…"
            text = text.rjust(width) if column.align_right else set_cell_size(text, width)
            segments.append(Segment(text + " ", style))
        width = self.scrollable_content_region.width
        return Strip(segments).adjust_cell_length(width, style)

    def _header_cells(self) -> list[str]:
        cells = []
        for column in self.columns:
            mark = ""
            if column.key == self.sort_column:
                mark = " ▼" if self.sort_reverse else " ▲"
            cells.append(_(column.label) + mark)
        return cells

    def render_line(self, y: int) -> Strip:
        if y == 0:
            return self._line(
                self._header_cells(), self.get_component_rich_style("virtual-table--header")
            )
        row = int(self.scroll_y) + y - 1
        base = self.rich_style
        if row >= len(self.rows):
            return Strip.blank(self.scrollable_content_region.width, base)
        kind = self.kinds[row]
        style = base
        if kind:
            style = base + self.get_component_rich_style(f"virtual-table--{kind}")
        if row == self.cursor_row and kind != "section":
            style = style + self.get_component_rich_style("virtual-table--cursor")
        return self._line(self.rows[row], style)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
