"""Show a file in the program the system uses for it (a letter's HTML in the browser), without
giving that program the terminal the app runs in.

Files shown this way hold personal data: they are written into a private folder (readable only
by you) that is removed when the app quits. It is made in ``~/kommunestyre-breve`` (the letters'
export folder) rather than the system's temporary folder, because a browser installed as a
sandboxed package (Firefox on Ubuntu is a snap) cannot see the temporary folder, nor hidden ones.
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
    """A private folder for files the app shows; removed when the app quits (or, at the latest,
    when Python exits). Each file gets a name of its own (a browser tab keeps its letter)."""

    def __init__(self, parent: Path | None = None) -> None:
        self.parent = parent
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._count = 0

    def _make_folder(self) -> tempfile.TemporaryDirectory[str]:
        parent = self.parent or Path.home() / "kommunestyre-breve"
        try:
            parent.mkdir(parents=True, exist_ok=True)
            where: str | None = str(parent)
        except (OSError, RuntimeError):  # no home folder to write in: the system's
            where = None
        return tempfile.TemporaryDirectory(prefix="visning-", dir=where, ignore_cleanup_errors=True)

    def write(self, name: str, text: str) -> Path:
        if self._folder is None:
            self._folder = self._make_folder()
        self._count += 1
        path = Path(self._folder.name) / f"{self._count:03d}-{name}"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        return path

    def remove(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
