"""The use cases the app calls: validated, saved at once, logged, and refused when stale."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from kommunestyre.clock import frozen_clock
from kommunestyre.domain.model import InvoiceDetails, ParticipantDetails, Role, Speaker, Status
from kommunestyre.errors import ConflictError, InvalidRecord, RuleError, ValidationError
from kommunestyre.services.registry import CohortSettings, Registry
from kommunestyre.services.setup import init_database
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from kommunestyre.store.storage import backup_path
from tests.conftest import EARLY, person


@pytest.fixture
def registry(db_path: Path) -> Registry:
    return Registry(init_database(db_path, clock=frozen_clock(EARLY)))


def register(
    registry: Registry, municipality: str = "Aarhus", size: int = 2, cohort: int = 1
) -> int:
    result = registry.register_directorate(
        municipality, cohort, [person() for _ in range(size)], InvoiceDetails(ean="5798009813640")
    )
    assert result.record_id is not None
    return result.record_id


def test_register_validates_saves_and_logs(registry: Registry) -> None:
    result = registry.register_directorate(
        "århus",
        1,
        [ParticipantDetails(name=" Jens Hansen ", field="kommunaldirektor", email="J@Aarhus.DK")],
        InvoiceDetails(ean="5798009813640", reference="PO-1"),
    )
    assert result.message == "Aarhus admitted to hold 1 with 1 participant"
    register = registry.snapshot().register
    [participant] = register.participants.values()
    assert participant.name == "Jens Hansen" and participant.details.email == "J@aarhus.dk"
    assert register.directorates[result.record_id].invoice.reference == "PO-1"
    assert registry.repository.history()[0].summary == result.message


def test_register_reports_bad_members_by_row_and_field(registry: Registry) -> None:
    members = [person(), ParticipantDetails(name="", field="kommunaldirektor", email="nope")]
    with pytest.raises(InvalidRecord) as caught:
        registry.register_directorate("Aarhus", 1, members, InvoiceDetails())
    assert {p.field for p in caught.value.problems} == {"members.2.name", "members.2.email"}
    with pytest.raises(InvalidRecord) as caught:
        registry.register_directorate("Aarhus", 1, [person()], InvoiceDetails(ean="123"))
    assert caught.value.for_field("ean")
    with pytest.raises(ValidationError, match="not a Danish municipality"):
        registry.register_directorate("Narnia", 1, [person()], InvoiceDetails())
    assert registry.snapshot().register.participants == {}


def test_stale_edit_is_refused(registry: Registry) -> None:
    did = register(registry)
    first = registry.snapshot().register.members(did)[0]
    registry.edit_participant(first.id, first.rev, first.details._replace(title="Ny titel"))
    with pytest.raises(ConflictError):
        registry.edit_participant(first.id, first.rev, first.details._replace(title="Gammel"))
    assert registry.snapshot().register.participants[first.id].details.title == "Ny titel"


def test_invalid_edit_changes_nothing(registry: Registry) -> None:
    did = register(registry)
    first = registry.snapshot().register.members(did)[0]
    with pytest.raises(InvalidRecord) as caught:
        registry.edit_participant(first.id, first.rev, first.details._replace(email="bad@"))
    assert caught.value.for_field("email")
    assert registry.snapshot().register.participants[first.id].details == first.details


def test_erase_removes_the_person_everywhere(registry: Registry) -> None:
    did = register(registry)
    first = registry.snapshot().register.members(did)[0]
    registry.edit_participant(first.id, first.rev, first.details._replace(title="X"))
    assert backup_path(registry.database.path, 1).exists()
    current = registry.snapshot().register.participants[first.id]
    registry.erase_participant(first.id, current.rev)
    text = registry.database.path.read_text("utf-8")
    assert first.details.email not in text and first.name not in text
    assert not backup_path(registry.database.path, 1).exists()
    assert first.id not in registry.snapshot().register.participants


def test_erasing_a_seated_person_frees_the_seat(registry: Registry) -> None:
    names = ["Kolding", "Vejle", "Fredericia", "Middelfart", "Haderslev",
             "Aabenraa", "Sønderborg", "Esbjerg", "Odense", "Svendborg"]  # fmt: skip
    for name in names:
        register(registry, name, 4)
    kolding = registry.snapshot().register.directorate_of_municipality(621)
    assert kolding is not None
    waiting = registry.add_participant(kolding.id, person("Venter"))
    assert "waiting list" in waiting.message
    victim = registry.snapshot().register.members(kolding.id)[0]
    result = registry.erase_participant(victim.id, victim.rev)
    assert result.promotions == ("Venter (Kolding) promoted to hold 1",)


def test_admit_waiting_respects_limits(registry: Registry) -> None:
    rev = registry.snapshot().register.cohort(1).rev
    registry.update_cohort(
        1, rev, settings_with(registry, 1, max_directorates=1, min_directorates=1)
    )
    register(registry, "Aarhus", 2)
    waiting = register(registry, "Odense", 2)
    member = registry.snapshot().register.members(waiting)[0]
    assert member.status is Status.WAITLISTED
    with pytest.raises(RuleError, match="no room"):
        registry.admit_waiting(member.id, member.rev)
    cohort = registry.snapshot().register.cohort(1)
    registry.update_cohort(1, cohort.rev, settings_with(registry, 1, max_directorates=3))
    assert registry.snapshot().register.participants[member.id].status is Status.ADMITTED


def settings_with(registry: Registry, number: int, **changes: object) -> CohortSettings:
    cohort = registry.snapshot().register.cohort(number)
    base = CohortSettings(
        seminar=cohort.seminar,
        followup=cohort.followup,
        registration_deadline=cohort.registration_deadline,
        min_directorates=cohort.min_directorates,
        max_directorates=cohort.max_directorates,
        max_participants=cohort.max_participants,
        themes=tuple(cohort.themes),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_update_cohort_checks_the_schedule(registry: Registry) -> None:
    cohort = registry.snapshot().register.cohort(2)
    late = replace(cohort.seminar, end=cohort.seminar.start - timedelta(hours=1))
    with pytest.raises(ValidationError, match="after the start"):
        registry.update_cohort(2, cohort.rev, settings_with(registry, 2, seminar=late))
    blank_venue = replace(cohort.seminar, venue=replace(cohort.seminar.venue, town=" "))
    with pytest.raises(InvalidRecord) as caught:
        registry.update_cohort(2, cohort.rev, settings_with(registry, 2, seminar=blank_venue))
    assert caught.value.for_field("seminar.venue.town")
    moved = replace(
        cohort.followup,
        start=cohort.followup.start + timedelta(days=7),
        end=cohort.followup.end + timedelta(days=7),
    )
    registry.update_cohort(
        2, cohort.rev, settings_with(registry, 2, followup=moved, themes=("Ny", " "))
    )
    stored = Repository(Database(registry.database.path)).load().cohort(2)
    assert stored.followup.start == moved.start and stored.themes == ["Ny"]
    with pytest.raises(ConflictError):
        registry.update_cohort(2, cohort.rev, settings_with(registry, 2))


def test_speakers(registry: Registry) -> None:
    cohort = registry.snapshot().register.cohort(1)
    speakers = [Speaker("Ny Taler", "Professor", "KU", Role.SPEAKER, "Tillid")]
    registry.set_speakers(1, cohort.rev, speakers)
    assert registry.snapshot().register.cohort(1).speakers == speakers
    with pytest.raises(InvalidRecord):
        registry.set_speakers(1, cohort.rev + 1, [Speaker("", "", "", Role.MODERATOR)])
