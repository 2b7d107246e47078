"""Text for a terminal: control characters shown as symbols, never obeyed.

A terminal takes ESC (``\\x1b[31m``) and CSI (U+009B) as commands: a name that holds one
could recolour, move or hide what is printed after it. Whatever the program shows (the app's
widgets, and everything the command line prints) passes through :func:`printable`.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control characters made visible (U+241B for ESC, U+FFFD for the rest);
    line breaks and tabs stay."""
    return _CONTROLS.sub(lambda m: "\u241b" if m.group() == "\x1b" else "\ufffd", text)


class PrintableStream:
    """Wraps a text stream so that everything written to it is :func:`printable`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
