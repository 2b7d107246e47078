"""Opening and creating databases, the one place that decides what a missing file means."""

from __future__ import annotations

from pathlib import Path

from kommunestyre.clock import Clock, system_clock
from kommunestyre.errors import DatabaseNotFound
from kommunestyre.i18n import _
from kommunestyre.locations import DatabaseLocation
from kommunestyre.resources import cohorts_dir
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from kommunestyre.store.storage import backup_path


def init_database(
    path: Path,
    *,
    force: bool = False,
    definition: Path | None = None,
    clock: Clock = system_clock,
) -> Repository:
    """A new database holding the programme in ``definition`` (the shipped ``cohorts/``)."""
    from kommunestyre.definition import load_programme  # only needed to create one

    programme = load_programme(definition or cohorts_dir())
    repository = Repository(Database(path), clock=clock)
    repository.create(programme, overwrite=force)
    return repository


def open_repository(location: DatabaseLocation, *, clock: Clock = system_clock) -> Repository:
    """The repository at ``location``; only the default location is created when missing."""
    database = Database(location.path)
    if not database.exists():
        if location.explicit:
            raise DatabaseNotFound(
                _(
                    "{path} (from {source}) does not exist; create it with: "
                    "kommunestyre init --db {path}"
                ).format(path=location.path, source=location.source)
            )
        backup = backup_path(location.path, 1)
        if backup.exists():
            raise DatabaseNotFound(
                _(
                    "{path} is missing but its backup {backup} exists; copy the backup "
                    "back, or start afresh with: kommunestyre init"
                ).format(path=location.path, backup=backup)
            )
        return init_database(location.path, clock=clock)
    return Repository(database, clock=clock)


def separate_repository(repository: Repository) -> Repository:
    """Another repository on the same database file, with a record memo of its own.

    The letters' workers run in threads; they must not share the app's memo of decoded
    records, so the app's letter service reads through one of these.
    """
    db = repository.database
    own = Database(db.path, lock_timeout=db.lock_timeout, backups=db.backups)
    return Repository(own, clock=repository.clock, user=repository.user)
