"""Crash reports: what an unexpected error leaves behind instead of a traceback on the screen.

A report names the program's version, the command, the type of the error and where in the code
it happened (file, line, function, the line of code). It holds no values: no exception message,
no local variables, no arguments, because any of them can be a participant's name or address.
The file is private (0600) and its path is shown in one line.

Standard library only, imported when something has already gone wrong.
"""

from __future__ import annotations

import os
import platform
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

from kommunestyre import __version__
from kommunestyre.i18n import _

FOLDER_ENV = "KOMMUNESTYRE_CRASH_DIR"

# The report file is for the developers: it stays English in every language.
_TITLE = "crash report (no personal data: no messages, no values)"  # not translated: for developers
_WHILE = "which happened while handling:"  # not translated: a report for the developers


def crash_folder() -> Path:
    """``$KOMMUNESTYRE_CRASH_DIR``, else the user's log folder, else the temporary folder."""
    if os.environ.get(FOLDER_ENV):
        return Path(os.environ[FOLDER_ENV])
    try:
        from platformdirs import user_log_dir

        return Path(user_log_dir("kommunestyre", appauthor=False))
    except Exception:
        return Path(tempfile.gettempdir())


def describe(error: BaseException) -> list[str]:
    """The error's type and its frames, causes included; never a message or a value."""
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        lines.append(f"{kind.__module__}.{kind.__qualname__}")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")
            if frame.line:
                lines.append(f"      {frame.line.strip()}")
        current = current.__cause__ or current.__context__
        if current is not None:
            lines.append(_WHILE)
    return lines


def write_report(error: BaseException, where: str) -> Path | None:
    """Write a report for ``error`` (``where``: the command or the screen); its path, or None
    when not even that was possible."""
    now = datetime.now(UTC)
    text = "\n".join(
        [
            f"kommunestyre {__version__}: {_TITLE}",
            f"when: {now.isoformat(timespec='seconds')}",
            f"where: {where}",
            f"python: {platform.python_version()} on {platform.platform(terse=True)}",
            "",
            *describe(error),
            "",
        ]
    )
    folder = crash_folder()
    name = f"crash-{now:%Y%m%d-%H%M%S}-{os.getpid()}.txt"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / name
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path
    except OSError:
        return None


def one_line(error: BaseException, where: str) -> str:
    """Write the report and say so in one line (for the terminal)."""
    path = write_report(error, where)
    kind = type(error).__name__
    if path is None:
        return _(
            "kommunestyre stopped after an unexpected error ({error}); no report could be saved. "
            "Nothing half-done was saved."
        ).format(error=kind)
    return _(
        "kommunestyre stopped after an unexpected error ({error}); a report without personal "
        "data is in {path}. Nothing half-done was saved."
    ).format(error=kind, path=path)
