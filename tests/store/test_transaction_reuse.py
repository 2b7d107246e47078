"""Transactions reuse what this process last read or wrote only while the file is provably
unchanged; everything else is read afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from kommunestyre.clock import frozen_clock
from kommunestyre.domain import rules
from kommunestyre.domain.model import Status
from kommunestyre.services.setup import init_database
from kommunestyre.store import codec
from kommunestyre.store import database as database_module
from kommunestyre.store.database import Database, head_generation
from kommunestyre.store.repository import Repository
from tests.conftest import EARLY, person, register_team


@pytest.fixture
def repository(db_path: Path) -> Repository:
    repo = init_database(db_path, clock=frozen_clock(EARLY))
    with repo.change() as change:
        register_team(change.register, "Aarhus", 1, 3)
    return repo


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    seen: list[Path] = []
    original = database_module.read_json

    def counting(path: Path) -> dict:
        seen.append(path)
        return original(path)

    monkeypatch.setattr(database_module, "read_json", counting)
    return seen


def encoded(repository: Repository) -> dict:
    register = repository.load()
    return {pid: codec.encode_participant(p) for pid, p in register.participants.items()}


def test_generation_is_at_the_head_of_the_file(repository: Repository) -> None:
    path = repository.database.path
    assert path.read_bytes().startswith(b'{"meta":')
    assert head_generation(path) == Database.generation(repository.database.read())


def test_consecutive_transactions_read_the_file_once(repository: Repository, reads: list) -> None:
    cold = Repository(Database(repository.database.path))
    for n in range(3):
        with cold.change() as change:
            change.log("note", f"{n}")
    assert len(reads) == 1
    assert [e.summary for e in cold.history(limit=3)] == ["2", "1", "0"]


def test_another_writer_is_always_seen(repository: Repository, reads: list) -> None:
    with repository.change() as change:
        change.log("note", "mine")
    other = Repository(Database(repository.database.path), clock=frozen_clock(EARLY))
    with other.change() as change:
        register_team(change.register, "Odense", 2, 2)
    with repository.change() as change:
        assert len(change.register.directorates) == 2  # the other process's directorate is here
        register_team(change.register, "Vejle", 3, 1)
    register = repository.load()
    assert len(register.directorates) == 3 and len(register.participants) == 6


def test_a_failed_transaction_leaves_nothing_behind(repository: Repository) -> None:
    pid = next(iter(repository.load().participants))
    with repository.change():
        pass  # warm up both memos
    with pytest.raises(RuntimeError), repository.change() as change:
        participant = change.register.participants[pid]
        participant.details = participant.details._replace(title="Halvfærdig")
        change.register.participants.pop(pid + 1)
        raise RuntimeError("interrupted")
    with repository.change() as change:
        assert change.register.participants[pid].details.title == "Direktør"
        assert pid + 1 in change.register.participants
        change.log("note", "after the failure")
    assert repository.load().participants[pid].details.title == "Direktør"


def test_records_changed_after_their_transaction_are_not_saved(repository: Repository) -> None:
    with repository.change() as change:
        kept = change.register.participants[1]
    kept.details = kept.details._replace(name="Sneaked In")  # outside any transaction
    kept.status = Status.CANCELLED
    with repository.change() as change:
        assert change.register.participants[1] is not kept
        change.log("note", "unrelated")
    stored = repository.load().participants[1]
    assert stored.name != "Sneaked In" and stored.status is Status.ADMITTED


def test_warm_transactions_store_exactly_what_a_fresh_read_sees(repository: Repository) -> None:
    for n in range(5):
        with repository.change() as change:
            directorate = next(iter(change.register.directorates.values()))
            participant, _ = rules.add_participant(change.register, directorate.id, person(), EARLY)
            if n % 2:
                rules.cancel_participant(change.register, participant.id, EARLY)
        with repository.change() as change:
            warm = {
                pid: codec.encode_participant(p) for pid, p in change.register.participants.items()
            }
        assert warm == encoded(repository)
