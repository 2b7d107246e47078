"""A TinyDB storage that never leaves a half-written file and never mistakes damage for "empty".

Writes go to a temporary file in the same folder, which is flushed and fsynced, then renamed
over the database with ``os.replace`` (atomic on POSIX and Windows), and the folder is fsynced
so the rename itself survives a power cut. Before the rename, the previous file is kept as
``<name>.bak1`` (hard link, so no copy), shifting older backups up to ``.bak<N>``.

Reading an empty, truncated or non-JSON file raises :class:`CorruptDatabase`; the file is left
exactly as it is.
"""

from __future__ import annotations

import contextlib
import gc
import glob
import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from kommunestyre.atomic import write_private
from kommunestyre.errors import CorruptDatabase, DatabaseError, DatabaseNotFound
from kommunestyre.i18n import _

FILE_MODE = 0o600
BACKUPS = 3


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during bulk decoding.

    Reading a large database allocates tens of thousands of dicts and records that form no
    reference cycles; the collector's passes over them cost a fifth of a transaction's time.
    Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def backup_path(path: Path, generation: int) -> Path:
    return path.with_name(f"{path.name}.bak{generation}")


def _corrupt(path: Path, problem: str) -> CorruptDatabase:
    """``problem``: a whole sentence naming the file ("{path} is empty")."""
    backups = [backup_path(path, n) for n in range(1, BACKUPS + 1)]
    existing = [str(b) for b in backups if b.exists()]
    if not existing:
        return CorruptDatabase(_("{problem}; it was left untouched").format(problem=problem))
    return CorruptDatabase(
        _(
            "{problem}; it was left untouched; the version before its last change is kept in "
            "{backup}"
        ).format(problem=problem, backup=existing[0])
    )


def _unreadable(path: Path, error: OSError) -> DatabaseError:
    """The system's reason (``strerror``) is in the system's language."""
    return DatabaseError(
        _("{path} cannot be read: {reason}").format(path=path, reason=error.strerror)
    )


#: A programme of 10,000 participants is about 4 MB; a database many times larger than any
#: real one is refused before it is read into memory.
MAX_SIZE = 256 * 1024 * 1024


def read_json(path: Path) -> dict[str, Any]:
    """The file's tables, or a clear error for a missing, damaged or impossible file.

    Only a regular file is opened: a device (``/dev/zero``) would be read until memory runs
    out, and a named pipe would wait for a writer forever.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DatabaseNotFound(_("{path} does not exist").format(path=path)) from None
    except OSError as error:
        raise _unreadable(path, error) from None
    if not stat.S_ISREG(info.st_mode):
        raise DatabaseError(
            _("{path} is not a regular file (a device, a pipe or a folder)").format(path=path)
        )
    if info.st_size > MAX_SIZE:
        raise DatabaseError(
            _(
                "{path} is {size} MB, far larger than any programme database; it was not read"
            ).format(path=path, size=info.st_size // (1024 * 1024))
        )
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DatabaseNotFound(_("{path} does not exist").format(path=path)) from None
    except OSError as error:
        raise _unreadable(path, error) from None
    if not raw.strip():
        raise _corrupt(path, _("{path} is empty").format(path=path))
    try:
        with gc_paused():
            data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        if "UTF-8" in error.msg:
            raise _corrupt(path, _("{path} is not a text file").format(path=path)) from None
        raise _corrupt(
            path,
            _("{path} is not valid JSON (line {line}, column {column}; truncated?)").format(
                path=path, line=error.lineno, column=error.colno
            ),
        ) from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise _corrupt(path, _("{path} is not a kommunestyre database").format(path=path))
    return data


def _rotate_backups(path: Path, keep: int) -> None:
    """bak(N-1) -> bakN, ..., bak1 -> bak2, then the current file -> bak1."""
    if keep <= 0 or not path.exists():
        return
    for generation in range(keep - 1, 0, -1):
        older = backup_path(path, generation)
        if older.exists():
            os.replace(older, backup_path(path, generation + 1))
    staging = path.with_name(f".{path.name}.{secrets.token_hex(4)}.bak")
    try:
        os.link(path, staging)
    except OSError:
        shutil.copy2(path, staging)
        os.chmod(staging, FILE_MODE)
    os.replace(staging, backup_path(path, 1))


def forget_earlier_versions(path: Path, keep: Path) -> None:
    """Delete every earlier version of the file kept beside it: the backups, and what a killed
    writer may have left (a temporary file, a backup being made). After an erasure none of
    them may keep the person."""
    name = glob.escape(path.name)  # "hold[1].json" is a name, not a pattern
    for leftover in path.parent.glob(f"{name}.bak*"):
        leftover.unlink(missing_ok=True)
    for leftover in path.parent.glob(f".{name}.*"):
        if leftover.suffix in (".tmp", ".bak") and leftover != keep and leftover.is_file():
            leftover.unlink(missing_ok=True)


def write_json_atomically(
    path: Path, data: dict[str, Any], *, backups: int = BACKUPS, forget: bool = False
) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file.

    With ``forget`` (an erasure) no backup is made and the earlier ones are deleted just
    before the new file takes the old one's place: a crash in between leaves the old file and
    no backups (the erasure did not happen), never an erased file with a backup of the person.
    """

    def before_replace(new_version: Path) -> None:
        if forget:
            forget_earlier_versions(path, keep=new_version)
        else:
            _rotate_backups(path, backups)

    write_private(path, orjson.dumps(data), before_replace=before_replace)


class AtomicJSONStorage(Storage):
    """TinyDB storage over one JSON file, written atomically with rotating backups.

    Locking is the caller's job (see :mod:`kommunestyre.store.database`): this class only
    guarantees that each single write is all-or-nothing.
    """

    def __init__(self, path: str | os.PathLike[str], backups: int = BACKUPS) -> None:
        self.path = Path(path)
        self.backups = backups

    def read(self) -> dict[str, dict[str, Any]] | None:
        if not self.path.exists():
            return None
        return read_json(self.path)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_json_atomically(self.path, data, backups=self.backups)


class MemoryStorage(Storage):
    """The tables of one transaction, held in memory until the transaction commits."""

    def __init__(self, data: dict[str, dict[str, Any]]) -> None:
        self.data = data
        self.dirty = False

    def read(self) -> dict[str, dict[str, Any]]:
        return self.data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.data = data
        self.dirty = True
