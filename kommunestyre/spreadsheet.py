"""Text a spreadsheet shows as text: one rule for every CSV and XLSX the program writes (the
lists, and the manifest of exported letters).

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one)
is a formula to Excel: ``=HYPERLINK(...)`` in a name would become a link, ``-2+3+cmd|...`` a
command. Such text gets a leading apostrophe, which Excel shows as nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet will show as text, never evaluate."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_bytes(
    headers: Sequence[str], rows: Iterable[Sequence[str]], *, delimiter: str = ";"
) -> bytes:
    """A CSV of text cells, neutralised, UTF-8 with a BOM so a Danish Excel reads æ, ø, å."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
