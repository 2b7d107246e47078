"""Show a file in the program the system uses for it (a letter's HTML in the browser), without
giving that program the terminal the app runs in.

Files shown this way hold personal data: they are written into a private temporary folder
(readable only by you) that is removed when the app quits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def opener() -> list[str] | None:
    """The command that opens a file the way a double click does, or None where there is none
    a terminal program may start: a Linux session without a display would get a text browser
    that fights the app for the terminal."""
    if sys.platform == "darwin":
        return ["open"]
    if sys.platform == "win32":
        return []  # os.startfile
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return None
    command = shutil.which("xdg-open")
    return [command] if command else None


def open_file(path: Path) -> bool:
    """Open ``path`` in its program, in the background; False when the system has no way."""
    command = opener()
    if command is None:
        return False
    try:
        if not command:
            os.startfile(path)  # type: ignore[attr-defined]  # Windows only
        else:
            subprocess.Popen(
                [*command, str(path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
    except OSError:
        return False
    return True


class PrivateFiles:
    """A private temporary folder for files the app shows; removed when the app quits (or, at
    the latest, when Python exits)."""

    def __init__(self) -> None:
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def write(self, name: str, text: str) -> Path:
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="kommunestyre-")
        path = Path(self._folder.name) / name
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        return path

    def remove(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
