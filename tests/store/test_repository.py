"""The repository: domain records in and out, revisions, conflicts, history, erasure,
schema versions and migrations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kommunestyre.clock import frozen_clock
from kommunestyre.domain import rules
from kommunestyre.domain.capacity import count_cohorts
from kommunestyre.domain.model import Status
from kommunestyre.domain.municipalities import find_municipality
from kommunestyre.errors import ConflictError, DatabaseError
from kommunestyre.letters.ledger import read_ledger
from kommunestyre.services.setup import init_database
from kommunestyre.store import database as database_module
from kommunestyre.store.database import Database
from kommunestyre.store.repository import ERASED_SUMMARY, Repository
from tests.conftest import EARLY, register_team


@pytest.fixture
def repository(db_path: Path) -> Repository:
    return init_database(db_path, clock=frozen_clock(EARLY))


def add_aarhus(repository: Repository, size: int = 3) -> int:
    with repository.change() as change:
        directorate = register_team(change.register, "Aarhus", 1, size)
        change.log("register", "Aarhus registered", directorates=[directorate.id])
    return directorate.id


def test_a_new_database_holds_the_programme(repository: Repository) -> None:
    register = repository.load()
    assert [c.number for c in register.programme.cohorts] == [1, 2, 3, 4]
    assert register.participants == {} and register.directorates == {}


def test_changes_round_trip_and_bump_revisions(repository: Repository) -> None:
    did = add_aarhus(repository)
    register = repository.load()
    directorate = register.directorates[did]
    assert directorate.municipality_code == find_municipality("Aarhus").code
    assert directorate.rev == 1
    assert {p.rev for p in register.participants.values()} == {1}
    first = register.members(did)[0]

    with repository.change() as change:
        rules.cancel_participant(change.register, first.id, change.now)
    after = repository.load()
    assert after.participants[first.id].status is Status.CANCELLED
    assert after.participants[first.id].rev == 2
    others = [p for p in after.participants.values() if p.id != first.id]
    assert {p.rev for p in others} == {1}  # untouched records keep their revision


def test_ids_and_sequence_continue_across_transactions(repository: Repository) -> None:
    add_aarhus(repository, 2)
    with repository.change() as change:
        register_team(change.register, "Odense", 1, 2)
    register = repository.load()
    assert sorted(register.participants) == [1, 2, 3, 4]
    assert sorted(register.directorates) == [1, 2]
    assert len({p.seq for p in register.participants.values()}) == 4


def test_stale_save_raises_a_conflict_and_changes_nothing(repository: Repository) -> None:
    did = add_aarhus(repository)
    mine = repository.load()
    target = mine.members(did)[0]

    with repository.change() as change:  # someone else edits the same person
        other = change.register.participants[target.id]
        other.details = other.details._replace(title="Borgmester")

    before = repository.database.path.read_bytes()
    with (
        pytest.raises(ConflictError, match="changed by someone else"),
        repository.change() as change,
    ):
        change.expect("participant", target.id, target.rev)
        mine_now = change.register.participants[target.id]
        mine_now.details = mine_now.details._replace(title="Direktør")
    assert repository.database.path.read_bytes() == before
    assert repository.load().participants[target.id].details.title == "Borgmester"


def test_expecting_the_current_revision_saves(repository: Repository) -> None:
    did = add_aarhus(repository)
    target = repository.load().members(did)[0]
    with repository.change() as change:
        change.expect("participant", target.id, target.rev)
        current = change.register.participants[target.id]
        current.details = current.details._replace(title="Direktør")
    assert repository.load().participants[target.id].details.title == "Direktør"


def test_expecting_a_removed_record_is_a_conflict(repository: Repository) -> None:
    with pytest.raises(ConflictError, match="removed"), repository.change() as change:
        change.expect("directorate", 99, 1)


def test_history_records_who_when_what(repository: Repository) -> None:
    add_aarhus(repository)
    [entry] = repository.history()
    assert entry.action == "register" and entry.summary == "Aarhus registered"
    assert entry.user == repository.user and entry.user
    assert entry.at == EARLY


def test_history_is_newest_first(repository: Repository) -> None:
    for n in range(3):
        with repository.change() as change:
            change.log("note", f"entry {n}")
    assert [e.summary for e in repository.history()] == ["entry 2", "entry 1", "entry 0"]
    assert [e.summary for e in repository.history(limit=1)] == ["entry 2"]


def test_erasure_removes_the_person_and_their_history_text(repository: Repository) -> None:
    did = add_aarhus(repository, 2)
    person = repository.load().members(did)[0]
    with repository.change() as change:
        change.log("edit", f"{person.name} edited", participants=[person.id])
    with repository.change() as change:
        rules.erase_participant(change.register, person.id, change.now)
        change.forget_in_history(person.id)
    raw = repository.database.path.read_text("utf-8")
    assert person.name not in raw and person.details.email not in raw
    assert person.id not in repository.load().participants
    assert any(e.summary == ERASED_SUMMARY for e in repository.history())


def test_demo_database_tells_its_story(demo_db: Path) -> None:
    register = Repository(Database(demo_db)).load()
    counts = count_cohorts(register)
    admitted = sum(c.directorates for c in counts.values())
    people = sum(c.participants for c in counts.values())
    assert admitted == 28
    assert 100 <= people <= 120
    assert counts[1].waitlisted_directorates == 2
    assert counts[4].directorates < register.cohort(4).min_directorates  # at risk
    statuses = [p.status for p in register.participants.values()]
    assert statuses.count(Status.CANCELLED) == 2
    assert statuses.count(Status.SUBSTITUTED) == 1
    assert sum(p.billable_cancellation for p in register.participants.values()) == 1
    history = Repository(Database(demo_db)).history()
    assert any("offered a seat in hold 1 (answer by 25.01.2027)" in e.summary for e in history)


def test_demo_does_not_depend_on_the_day(tmp_path: Path) -> None:
    from datetime import datetime

    from kommunestyre.clock import local
    from kommunestyre.services.demo import create_demo

    a, b = tmp_path / "a.json", tmp_path / "b.json"
    create_demo(a, clock=frozen_clock(local(datetime(2026, 1, 1))))
    create_demo(b, clock=frozen_clock(local(datetime(2031, 6, 6))))

    def content(path: Path) -> dict:
        data = json.loads(path.read_text("utf-8"))
        del data["meta"]
        return data

    assert content(a) == content(b)


def test_migration_hook_upgrades_old_files(
    repository: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    def add_flag(tables: dict) -> None:
        tables["notes"] = {"1": {"text": "added by the migration"}}

    current = database_module.SCHEMA_VERSION
    monkeypatch.setattr(database_module, "SCHEMA_VERSION", current + 1)
    monkeypatch.setattr(
        database_module, "MIGRATIONS", {**database_module.MIGRATIONS, current: add_flag}
    )
    tables = repository.database.read()  # migrated in memory for readers
    assert tables["meta"]["1"]["schema_version"] == current + 1
    stored = json.loads(repository.database.path.read_text())
    assert stored["meta"]["1"]["schema_version"] == current
    with repository.change():
        pass  # a transaction writes the upgrade even with nothing else to change
    stored = json.loads(repository.database.path.read_text())
    assert stored["meta"]["1"]["schema_version"] == current + 1
    assert stored["notes"]["1"]["text"] == "added by the migration"


def test_newer_schema_is_refused(repository: Repository) -> None:
    data = json.loads(repository.database.path.read_text())
    data["meta"]["1"]["schema_version"] = 99
    repository.database.path.write_text(json.dumps(data))
    with pytest.raises(DatabaseError, match="newer kommunestyre"):
        repository.load()


def test_a_schema_1_file_gains_contacts_and_a_ledger(demo_db: Path) -> None:
    data = json.loads(demo_db.read_text("utf-8"))
    del data["contacts"], data["ledger"]
    data["meta"]["1"]["schema_version"] = 1
    demo_db.write_text(json.dumps(data), "utf-8")
    repository = Repository(Database(demo_db))
    register = repository.load()
    assert len(register.contacts) == 98 and register.contact(751).email == ""
    assert len(register.participants) == 117
    with repository.change() as change:
        change.log("note", "first write after the upgrade")
    stored = json.loads(demo_db.read_text("utf-8"))
    assert stored["meta"]["1"]["schema_version"] == 3 and len(stored["contacts"]) == 98
    assert read_ledger(repository) == []
