"""A letter's HTML part as a reader sees it, for the terminal: headings, paragraphs, lists,
tables in columns, bold and links; never the source.

Templates are the coordinators' to edit, so any HTML must come out as text: unknown tags are
read through, the head, styles and scripts are left out, and nothing in it is markup to Rich.
"""

from __future__ import annotations

from html.parser import HTMLParser

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kommunestyre.terminal import printable

#: Tags whose content is never shown.
HIDDEN = {"head", "title", "style", "script", "template"}
#: Tags that end a line of text.
BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "blockquote", "address", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "tr", "hr", "dl", "dt", "dd",
}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
STYLES = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline"}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[RenderableType] = []  # text and tables, in order
        self.out = Text()  # the text since the last table
        self.line = Text()  # the line being filled
        self.styles: list[str] = []
        self.hidden = 0
        self.lists: list[int | None] = []  # per open list: the next number, or None (bullets)
        self.table: list[list[tuple[Text, bool]]] | None = None  # rows of (cell, right-aligned)
        self.cell: Text | None = None
        self.cell_right = False
        self.href: str | None = None
        self.link_text = ""
        self.blank_before = False  # a heading or paragraph wants an empty line above it

    # -- lines ---------------------------------------------------------------------------------

    def _target(self) -> Text:
        return self.cell if self.cell is not None else self.line

    def _end_line(self) -> None:
        line = self.line
        line.rstrip()
        if line.plain.strip():
            if self.blank_before and (self.out.plain or self.blocks):
                self.out.append("\n")
            self.out.append_text(line)
            self.out.append("\n")
            self.blank_before = False
        self.line = Text()

    def _text(self, data: str) -> None:
        target = self._target()
        words = " ".join(data.split())
        if not words:
            if data and target.plain and not target.plain.endswith((" ", "\n")):
                target.append(" ")
            return
        if data[:1].isspace() and target.plain and not target.plain.endswith((" ", "\n")):
            target.append(" ")
        target.append(printable(words), " ".join(self.styles) or None)
        if data[-1:].isspace():
            target.append(" ")

    # -- the parser's events ---------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
            return
        if self.hidden:
            return
        attributes = dict(attrs)
        if tag == "br":
            if self.cell is not None:
                self.cell.rstrip()
                self.cell.append("\n")
            else:
                self._end_line()
            return
        if tag in BLOCKS and self.cell is None:
            self._end_line()
        if tag in HEADINGS or tag == "p":
            self.blank_before = True
        if tag in HEADINGS:
            self.styles.append("bold underline")  # not translated: a style
        elif tag in STYLES:
            self.styles.append(STYLES[tag])
        elif tag == "a":
            self.href = attributes.get("href") or ""
            self.link_text = ""
            self.styles.append("underline")
        elif tag in ("ul", "ol"):
            self.lists.append(1 if tag == "ol" else None)
        elif tag == "li":
            depth = max(len(self.lists), 1)
            number = self.lists[-1] if self.lists else None
            if number is None:
                marker = "•"
            else:
                marker = f"{number}."
                self.lists[-1] = number + 1
            self.line.append("  " * depth + marker + " ")
        elif tag == "hr":
            self.out.append("─" * 40 + "\n")
        elif tag == "table":
            self.table = []
            self.blank_before = True
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self._end_cell()
            self.cell = Text()
            classes = (attributes.get("class") or "").split()
            align = (attributes.get("align") or "").lower()
            style = (attributes.get("style") or "").replace(" ", "").lower()
            self.cell_right = "amount" in classes or align == "right" or "text-align:right" in style
            if tag == "th":
                self.styles.append("bold")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
            return
        if self.hidden:
            return
        styled = tag in HEADINGS or tag in STYLES or tag in ("a", "th")
        if styled and self.styles:
            self.styles.pop()
        if tag == "a":
            self._link_end()
        if tag in ("td", "th"):
            self._end_cell()
        elif tag == "table":
            self._end_table()
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in BLOCKS and self.cell is None and self.table is None:
            self._end_line()
        if tag in HEADINGS or tag == "p":
            self.blank_before = True

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.href is not None:
            self.link_text += data
        self._text(data)

    def _link_end(self) -> None:
        """A link shows where it goes when its text does not say it."""
        href, text = self.href or "", " ".join(self.link_text.split())
        self.href = None
        target = href.removeprefix("mailto:")
        if target and target != text and not target.startswith("#"):
            self._target().append(f" ({printable(target)})", "dim")

    # -- tables ----------------------------------------------------------------------------------

    def _end_cell(self) -> None:
        if self.cell is not None and self.table is not None:
            self.cell.rstrip()
            if not self.table:  # a cell outside any row
                self.table.append([])
            self.table[-1].append((self.cell, self.cell_right))
        self.cell = None

    def _end_table(self) -> None:
        """The table as columns that wrap to the width there is (a right-aligned cell, such as
        an amount, right-aligns its column)."""
        self._end_cell()
        rows = [row for row in (self.table or []) if row]
        self.table = None
        if not rows:
            return
        self._end_line()
        self._flush()
        if self.blocks:
            self.blocks.append(Text())  # an empty line above the table
        columns = max(len(row) for row in rows)
        table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
        for index in range(columns):
            right = any(index < len(row) and row[index][1] for row in rows)
            table.add_column(justify="right" if right else "left", overflow="fold")
        for row in rows:
            table.add_row(*(cell for cell, _right in row))
        self.blocks.append(table)
        self.blank_before = True

    def _flush(self) -> None:
        """The text so far as one block (a table comes next)."""
        self.out.rstrip()
        if self.out.plain:
            self.blocks.append(self.out)
        self.out = Text()

    def close(self) -> None:
        super().close()
        if self.table is not None:
            self._end_table()
        self._end_line()


def readable(html: str) -> Group:
    """``html`` as text a person reads: the structure kept, the markup gone."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader._flush()
    return Group(*reader.blocks)
