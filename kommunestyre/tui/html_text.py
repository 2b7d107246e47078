"""A letter's HTML part as a reader sees it, for the terminal: headings, paragraphs, lists,
tables in columns, bold and links; never the source.

Templates are the coordinators' to edit, so any HTML must come out as text, with none of it
lost: unknown tags are read through, end tags HTML lets one leave out are supplied, a table in a
table becomes lines in its cell, and the head, styles and scripts are left out. Every piece of
text goes through ``printable`` (no terminal commands) and is never read as Rich markup. HTML
the parser cannot follow at all is shown with its tags taken out.
"""

from __future__ import annotations

import html as entities
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kommunestyre.terminal import printable

#: Tags whose content is never shown.
HIDDEN = {"head", "title", "style", "script", "template", "noscript"}
#: What a head may hold; any other tag starts the body (HTML lets one leave out </head>).
IN_HEAD = HIDDEN | {"meta", "link", "base"}
#: Tags that end a line of text.
BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "blockquote", "address", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "tr", "hr", "dl", "dt", "dd",
    "main", "nav", "aside", "figure", "figcaption", "center",
}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
STYLES = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline"}
HEADING_STYLE = "bold underline"  # not translated: a style


@dataclass
class _Table:
    rows: list[list[tuple[Text, bool]]] = field(default_factory=list)  # (cell, right-aligned)
    cell: Text | None = None
    right: bool = False
    header: bool = False

    def end_cell(self) -> None:
        if self.cell is None:
            return
        self.cell.rstrip()
        if self.header:
            self.cell.stylize("bold")
        if not self.rows:  # a cell outside any row
            self.rows.append([])
        self.rows[-1].append((self.cell, self.right))
        self.cell = None

    def as_lines(self) -> Text:
        """The table as lines of text (a table inside another table's cell)."""
        out = Text()
        for row in self.rows:
            if out:
                out.append("\n")
            for index, (cell, _right) in enumerate(row):
                if index:
                    out.append("  ")
                out.append_text(cell)
        return out


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[RenderableType] = []  # text and tables, in order
        self.out = Text()  # the text since the last table
        self.line = Text()  # the line being filled
        self.styles: list[str] = []
        self.hiding: list[str] = []  # the open tags whose content is not shown
        self.lists: list[int | None] = []  # per open list: the next number, or None (bullets)
        self.marker = ""  # a list item's bullet, written with its first text
        self.tables: list[_Table] = []  # the open tables, innermost last
        self.pre = 0
        self.href: str | None = None
        self.link_text = ""
        self.blank_before = False  # a heading or paragraph wants an empty line above it

    # -- where text goes -------------------------------------------------------------------------

    def _cell(self) -> Text | None:
        return self.tables[-1].cell if self.tables else None

    def _target(self) -> Text:
        cell = self._cell()
        return cell if cell is not None else self.line

    def _break(self) -> None:
        """A new line: in a table's cell, a line of the cell; elsewhere, the end of a line."""
        cell = self._cell()
        if cell is not None:
            cell.rstrip()
            if cell.plain and not cell.plain.endswith("\n"):
                cell.append("\n")
        elif not self.tables:
            self._end_line()

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

    def _append(self, words: str) -> None:
        target = self._target()
        if self.marker:
            target.append(self.marker)
            self.marker = ""
        target.append(printable(words), " ".join(self.styles) or None)

    def _text(self, data: str) -> None:
        if self.pre:  # as written, line by line
            for number, part in enumerate(data.expandtabs(4).split("\n")):
                if number:
                    self._break()
                if part:
                    self._append(part)
            return
        target = self._target()
        words = " ".join(data.split())
        after_space = not target.plain or target.plain.endswith((" ", "\n"))
        if not words:
            if data and not after_space:
                target.append(" ")
            return
        if data[:1].isspace() and not after_space:
            target.append(" ")
        self._append(words)
        if data[-1:].isspace():
            self._target().append(" ")

    # -- the parser's events ---------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.hiding == ["head"] and tag not in IN_HEAD:
            self.hiding.clear()  # the body began without </head>
        if tag == "body":
            self.hiding.clear()
            return
        if tag in HIDDEN:
            self.hiding.append(tag)
            return
        if self.hiding:
            return
        attributes = dict(attrs)
        if tag == "br":
            self._break()
            return
        if tag in ("tr", "td", "th") and self.tables:
            self._table_start(tag, attributes)
            return
        if tag in BLOCKS:
            self._break()
        if tag in HEADINGS or tag == "p":
            self.blank_before = True
        if tag in HEADINGS:
            self.styles.append(HEADING_STYLE)
        elif tag in STYLES:
            self.styles.append(STYLES[tag])
        elif tag == "a":
            self.href = attributes.get("href") or ""
            self.link_text = ""
            self.styles.append("underline")
        elif tag == "pre":
            self.pre += 1
        elif tag in ("ul", "ol"):
            self.lists.append(1 if tag == "ol" else None)
        elif tag == "li":
            number = self.lists[-1] if self.lists else None
            if number is None:
                bullet = "•"
            else:
                bullet = f"{number}."
                self.lists[-1] = number + 1
            indent = "" if self._cell() is not None else "  " * max(len(self.lists), 1)
            self.marker = f"{indent}{bullet} "
        elif tag == "img" and attributes.get("alt"):
            self._target().append(f"[{printable(attributes['alt'] or '')}]", "dim")
        elif tag == "hr" and self._cell() is None:
            self.out.append("─" * 40 + "\n")
        elif tag == "table":
            self._end_line()
            self.tables.append(_Table())
            self.blank_before = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr", "meta", "link", "base"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            if tag in self.hiding:
                del self.hiding[len(self.hiding) - 1 - self.hiding[::-1].index(tag) :]
            return
        if self.hiding:
            return
        if tag in ("td", "th") and self.tables:
            self.tables[-1].end_cell()
            return
        if tag == "table" and self.tables:
            self._table_end()
            return
        if (tag in HEADINGS or tag in STYLES or tag == "a") and self.styles:
            self.styles.pop()
        if tag == "a":
            self._link_end()
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "li":
            self.marker = ""  # an empty item
        if tag in BLOCKS:
            self._break()
        if tag in HEADINGS or tag == "p":
            self.blank_before = True

    def handle_data(self, data: str) -> None:
        if self.hiding:
            return
        if self.href is not None:
            self.link_text += data
        self._text(data)

    def parse_html_declaration(self, i: int) -> int:
        """A declaration the parser does not know (a typo such as ``<![ x``) is skipped as a
        comment would be, not a reason to give up on the letter."""
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            end = self.rawdata.find(">", i)
            return -1 if end < 0 else end + 1

    def _link_end(self) -> None:
        """A link shows where it goes when its text does not say it."""
        href, text = self.href or "", " ".join(self.link_text.split())
        self.href = None
        target = href.removeprefix("mailto:")
        if target and target != text and not target.startswith("#"):
            self._target().append(f" ({printable(target)})", "dim")

    # -- tables ----------------------------------------------------------------------------------

    def _table_start(self, tag: str, attributes: dict[str, str | None]) -> None:
        """A row or a cell; an open cell or row ends first (HTML lets one leave out its end)."""
        table = self.tables[-1]
        table.end_cell()
        if tag == "tr":
            table.rows.append([])
            return
        table.cell = Text()
        classes = (attributes.get("class") or "").split()
        align = (attributes.get("align") or "").lower()
        style = (attributes.get("style") or "").replace(" ", "").lower()
        table.right = "amount" in classes or align == "right" or "text-align:right" in style
        table.header = tag == "th"

    def _table_end(self) -> None:
        """The table as columns that wrap to the width there is (a right-aligned cell, such as
        an amount, right-aligns its column); a table inside a cell becomes lines of that cell."""
        table = self.tables.pop()
        table.end_cell()
        # text outside any cell (a stray row's words) stays, before the table
        if self.tables:
            self._break()
            outer = self.tables[-1]
            if outer.cell is None:
                outer.cell = Text()
            outer.cell.append_text(table.as_lines())
            return
        rows = [row for row in table.rows if row]
        self._end_line()
        if not rows:
            return
        self._flush()
        if self.blocks:
            self.blocks.append(Text())  # an empty line above the table
        columns = max(len(row) for row in rows)
        grid = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
        for index in range(columns):
            right = any(index < len(row) and row[index][1] for row in rows)
            grid.add_column(justify="right" if right else "left", overflow="fold")
        for row in rows:
            grid.add_row(*(cell for cell, _right in row))
        self.blocks.append(grid)
        self.blank_before = True

    def _flush(self) -> None:
        """The text so far as one block (a table comes next)."""
        self.out.rstrip()
        if self.out.plain:
            self.blocks.append(self.out)
        self.out = Text()

    def finish(self) -> Group:
        self.close()
        while self.tables:
            self._table_end()
        self._end_line()
        self._flush()
        return Group(*self.blocks)


def readable(html: str) -> Group:
    """``html`` as text a person reads: the structure kept, the markup gone."""
    reader = _Reader()
    try:
        reader.feed(html)
        return reader.finish()
    except (AssertionError, ValueError):  # HTML the parser cannot follow: the text, untagged
        words = " ".join(entities.unescape(re.sub(r"<[^>]*>", " ", html)).split())
        return Group(Text(printable(words)))
