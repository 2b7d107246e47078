"""The database file: schema version, generations, migrations, and locked transactions.

Readers never lock: the file is only ever replaced whole (see :mod:`.storage`), so a read sees
either the previous or the next version. Writers take an inter-process lock on a sidecar
``<name>.lock`` file, look at the file afresh *inside* the lock, apply their change to a new
in-memory TinyDB (TinyDB caches next ids and query results per instance, so no instance outlives
its transaction) and write once when the transaction ends.

Every write bumps the database's ``generation``, stored first in the file. Inside the lock, a
transaction reuses the tables this process itself last read or wrote only when the file is
provably the same one: same inode, size and modification time, and the same generation at its
head. Any other writer replaces the file and bumps the generation, so its change is always seen;
a transaction that fails forgets the tables it touched.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from kommunestyre import __version__
from kommunestyre.atomic import private_folder
from kommunestyre.errors import CorruptDatabase, DatabaseBusy, DatabaseError, DatabaseExists
from kommunestyre.i18n import _
from kommunestyre.store.migrations import MIGRATIONS
from kommunestyre.store.storage import (
    BACKUPS,
    FILE_MODE,
    MemoryStorage,
    read_json,
    write_json_atomically,
)

SCHEMA_VERSION = 3
META_TABLE = "meta"
META_ID = "1"

Tables = dict[str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Stamp:
    """Cheap file identity, to notice that another process replaced the file."""

    inode: int
    size: int
    mtime_ns: int


_HEAD = re.compile(rb'^\{"meta":\{"1":\{[^{}]*?"generation":(\d+)')


def head_generation(path: Path) -> int | None:
    """The generation written at the start of the file (None if it is not there)."""
    try:
        with path.open("rb") as handle:
            found = _HEAD.match(handle.read(512))
    except OSError:
        return None
    return int(found.group(1)) if found else None


@dataclass(frozen=True, slots=True)
class _Memo:
    """Tables this process last read or wrote, and how to recognise the file they came from."""

    stamp: Stamp
    generation: int
    tables: Tables


def _meta_first(tables: Tables) -> Tables:
    """The meta table first in the file, so its generation can be read from the first bytes."""
    return {META_TABLE: tables[META_TABLE], **{k: v for k, v in tables.items() if k != META_TABLE}}


def _meta(path: Path, tables: Tables) -> dict[str, Any]:
    meta = tables.get(META_TABLE, {}).get(META_ID)
    if not isinstance(meta, dict) or type(meta.get("schema_version")) is not int:
        raise CorruptDatabase(
            _("{path} is not a kommunestyre database (no schema version)").format(path=path)
        )
    if type(meta.get("generation", 0)) is not int:
        raise CorruptDatabase(
            _(
                "{path}: meta.generation is {value}, not a whole number; it was left untouched"
            ).format(path=path, value=repr(meta["generation"]))
        )
    return meta


def migrate(path: Path, tables: Tables) -> bool:
    """Bring ``tables`` up to :data:`SCHEMA_VERSION`; True when anything was changed."""
    meta = _meta(path, tables)
    version = meta["schema_version"]
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            _(
                "{path} was written by a newer kommunestyre (schema {version}, this one reads up "
                "to {supported}); upgrade kommunestyre"
            ).format(path=path, version=version, supported=SCHEMA_VERSION)
        )
    if version == SCHEMA_VERSION:
        return False
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise DatabaseError(
                _("{path}: no migration from schema {version}").format(path=path, version=version)
            )
        step(tables)
        version += 1
        _meta(path, tables)["schema_version"] = version
    return True


class Database:
    """One database file and its lock."""

    def __init__(self, path: Path, *, lock_timeout: float = 10.0, backups: int = BACKUPS) -> None:
        # A link is followed to the file it names: that file is locked and replaced (with its
        # backups beside it), and the link stays a link. Two paths to one file share one lock.
        self.path = Path(path).resolve() if Path(path).is_symlink() else Path(path)
        self.lock_timeout = lock_timeout
        self.backups = backups
        self._memo: _Memo | None = None  # only touched while holding the lock

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(f"{self.path.name}.lock")

    def exists(self) -> bool:
        return self.path.exists()

    def stamp(self) -> Stamp | None:
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return None
        return Stamp(info.st_ino, info.st_size, info.st_mtime_ns)

    def read(self) -> Tables:
        """A consistent snapshot of every table, without taking the lock."""
        tables = read_json(self.path)
        migrate(self.path, tables)
        return tables

    @staticmethod
    def generation(tables: Tables) -> int:
        """The write counter (checked to be a whole number when the file was read)."""
        return int(tables[META_TABLE][META_ID].get("generation", 0))

    @contextmanager
    def _locked(self) -> Iterator[None]:
        from filelock import FileLock, Timeout  # imported here: read-only commands skip it

        lock = FileLock(self.lock_path, timeout=self.lock_timeout, mode=FILE_MODE)
        try:
            lock.acquire()
        except Timeout:
            raise DatabaseBusy(
                _(
                    "{path} is locked by another process for more than {seconds} s; try again"
                ).format(path=self.path, seconds=f"{self.lock_timeout:g}")
            ) from None
        try:
            self._remove_leftovers()
            yield
        finally:
            lock.release()

    def _remove_leftovers(self) -> None:
        """Temporary files of a writer that was killed mid-write. Only a lock holder writes
        them, so under the lock any that exist are orphans."""
        name = glob.escape(self.path.name)  # "hold[1].json" is a name, not a pattern
        for pattern in (f".{name}.*.tmp", f".{name}.*.bak"):
            for orphan in self.path.parent.glob(pattern):
                with contextlib.suppress(OSError):
                    orphan.unlink()

    def create(self, tables: Tables, *, overwrite: bool = False, created: str = "") -> None:
        """Write a new database; an existing one is only replaced with ``overwrite`` (and is then
        kept as the first backup)."""
        private_folder(self.path.parent)
        with self._locked():
            if self.path.exists() and not overwrite:
                raise DatabaseExists(
                    _("{path} already exists (use --force to replace it)").format(path=self.path)
                )
            self.check_writable()  # --force does not override a file the user protected
            meta = {
                META_ID: {
                    "schema_version": SCHEMA_VERSION,
                    "generation": 1,
                    "created": created,
                    "writer": f"kommunestyre {__version__}",
                }
            }
            data = {META_TABLE: meta, **{k: v for k, v in tables.items() if k != META_TABLE}}
            self._memo = None
            write_json_atomically(self.path, data, backups=self.backups)

    def _tables_under_lock(self) -> tuple[Tables, bool]:
        """The current tables (reused when the file is provably unchanged) and whether they were
        migrated on the way in."""
        memo, self._memo = self._memo, None
        if (
            memo is not None
            and self.stamp() == memo.stamp
            and head_generation(self.path) == memo.generation
        ):
            return memo.tables, False
        tables = read_json(self.path)
        return tables, migrate(self.path, tables)

    # The stamp is taken *before* reading: should anything replace the file in between, the
    # memo describes the older file and the next transaction reads afresh.

    def check_writable(self) -> None:
        """A database made read-only (chmod 0400) is never replaced by a writable copy."""
        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            return
        if not mode & stat.S_IWUSR:
            raise DatabaseError(
                _(
                    "{path} is read-only (mode {mode}); kommunestyre does not replace a file you "
                    "protected. Make it writable (chmod u+w) to change it"
                ).format(path=self.path, mode=f"{stat.S_IMODE(mode):04o}")
            )

    @contextmanager
    def transaction(self, *, forget: bool = False) -> Iterator[TinyDB]:
        """Read-modify-write under the lock; written once, at the end, only if changed.

        ``forget`` (an erasure): the earlier versions kept beside the file go in the same step
        as the new file is written (see :func:`write_json_atomically`)."""
        self.check_writable()
        with self._locked():
            stamp = self.stamp()
            tables, migrated = self._tables_under_lock()
            db = TinyDB(tables, storage=MemoryStorage)
            yield db  # an exception here leaves the memo empty: the next transaction re-reads
            storage: MemoryStorage = db.storage  # type: ignore[assignment]
            data = storage.data
            if storage.dirty or migrated:
                meta = data[META_TABLE][META_ID]
                meta["generation"] = self.generation(data) + 1
                meta["writer"] = f"kommunestyre {__version__}"
                if next(iter(data)) != META_TABLE:  # files from before the meta-first order
                    data = _meta_first(data)
                write_json_atomically(self.path, data, backups=self.backups, forget=forget)
                stamp = self.stamp()
            if stamp is not None:
                self._memo = _Memo(stamp, self.generation(data), data)
