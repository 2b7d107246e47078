"""Files that hold personal data: written whole or not at all, readable only by the owner."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

PRIVATE = 0o600


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - folders cannot be opened on Windows
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private(
    path: Path, data: bytes, *, before_replace: Callable[[Path], None] | None = None
) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file:
    a temporary file beside it (mode 0600), fsync, ``before_replace(temporary)`` (the database
    rotates its backups there), rename, fsync of the folder."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), PRIVATE)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if before_replace is not None:
            before_replace(temporary)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    fsync_folder(path.parent)


def private_folder(path: Path) -> Path:
    """Create ``path`` and any missing folders above it, readable only by the owner (0700)
    whatever the umask; folders that exist are left as they are."""
    missing = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, 0o700)
            os.chmod(folder, 0o700)  # the umask may have taken bits off (or a 000 umask none)
    return path
