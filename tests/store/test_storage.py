"""The storage layer: atomic writes, backups, permissions, and damaged files left alone."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from tinydb import TinyDB

from kommunestyre.errors import CorruptDatabase, DatabaseNotFound
from kommunestyre.store.database import Database
from kommunestyre.store.storage import AtomicJSONStorage, backup_path, read_json


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def database(db_path: Path) -> Database:
    db = Database(db_path)
    db.create({"items": {}})
    return db


def insert(database: Database, **doc: object) -> None:
    with database.transaction() as db:
        db.table("items").insert(doc)


def test_database_backups_and_lock_are_private(database: Database) -> None:
    for n in range(5):
        insert(database, n=n)
    assert mode(database.path) == 0o600
    assert mode(database.lock_path) == 0o600
    backups = [backup_path(database.path, n) for n in (1, 2, 3)]
    assert all(b.exists() and mode(b) == 0o600 for b in backups)
    assert not backup_path(database.path, 4).exists()


def test_private_even_with_a_permissive_umask(db_path: Path) -> None:
    old = os.umask(0)
    try:
        Database(db_path).create({})
    finally:
        os.umask(old)
    assert mode(db_path) == 0o600


def test_backups_rotate_and_hold_the_previous_versions(database: Database) -> None:
    for n in range(4):
        insert(database, n=n)
    counts = [len(read_json(backup_path(database.path, g))["items"]) for g in (1, 2, 3)]
    assert counts == [3, 2, 1]
    assert len(read_json(database.path)["items"]) == 4


def test_no_temporary_files_are_left(database: Database) -> None:
    insert(database, n=1)
    leftovers = [p.name for p in database.path.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_orphans_of_a_killed_writer_are_removed(database: Database) -> None:
    orphan = database.path.with_name(f".{database.path.name}.123.abcd.tmp")
    orphan.write_text("half")
    insert(database, n=1)
    assert not orphan.exists()


def test_generation_counts_writes_and_unchanged_transactions_write_nothing(
    database: Database,
) -> None:
    assert Database.generation(database.read()) == 1
    insert(database, n=1)
    assert Database.generation(database.read()) == 2
    before = database.stamp()
    with database.transaction() as db:
        db.table("items").all()
    assert database.stamp() == before
    assert Database.generation(database.read()) == 2


def test_failed_transaction_writes_nothing(database: Database) -> None:
    before = database.path.read_bytes()
    with pytest.raises(RuntimeError), database.transaction() as db:
        db.table("items").insert({"n": 1})
        raise RuntimeError("boom")
    assert database.path.read_bytes() == before


def test_tinydb_can_use_the_storage_directly(tmp_path: Path) -> None:
    path = tmp_path / "plain.json"
    with TinyDB(path, storage=AtomicJSONStorage) as db:
        db.insert({"name": "Søren"})
    assert json.loads(path.read_text("utf-8"))["_default"]["1"] == {"name": "Søren"}
    assert mode(path) == 0o600


CORRUPTIONS = {
    "empty": b"",
    "whitespace": b"  \n",
    "truncated": b'{"meta": {"1": {"schema_version": 1, "gener',
    "garbage": bytes(range(256)),
    "a list": b"[1, 2, 3]",
    "no schema": b'{"items": {}}',
    "wrong shape": b'{"meta": [1]}',
}


@pytest.mark.parametrize("content", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_damaged_files_are_reported_and_left_untouched(db_path: Path, content: bytes) -> None:
    db_path.write_bytes(content)
    database = Database(db_path)
    with pytest.raises(CorruptDatabase) as caught:
        database.read()
    assert str(db_path) in str(caught.value)
    with pytest.raises(CorruptDatabase), database.transaction() as db:
        db.table("items").insert({"n": 1})
    assert db_path.read_bytes() == content


def test_damage_message_points_at_the_last_good_copy(database: Database) -> None:
    insert(database, n=1)
    database.path.write_bytes(b"{")
    with pytest.raises(CorruptDatabase, match=r"before its last change is kept in .*\.bak1"):
        database.read()


def test_a_truncated_real_database_is_corrupt(database: Database) -> None:
    for n in range(3):
        insert(database, n=n)
    data = database.path.read_bytes()
    database.path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptDatabase, match="truncated"):
        database.read()


def test_missing_file(db_path: Path) -> None:
    with pytest.raises(DatabaseNotFound):
        Database(db_path).read()


def test_create_refuses_to_overwrite(database: Database) -> None:
    insert(database, n=1)
    with pytest.raises(Exception, match="already exists"):
        database.create({"items": {}})
    database.create({"items": {}}, overwrite=True)
    assert database.read()["items"] == {}
    assert len(read_json(backup_path(database.path, 1))["items"]) == 1  # the old one is kept
