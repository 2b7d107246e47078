"""Sequences a review of the seat-offer and reinstatement rules found wrong, pinned down."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from kommunestyre.clock import frozen_clock
from kommunestyre.domain import rules
from kommunestyre.domain.capacity import delegations, open_offers
from kommunestyre.domain.model import InvoiceDetails, ParticipantDetails, Register, Status
from kommunestyre.domain.municipalities import find_municipality
from kommunestyre.domain.pricing import cohort_bill, directorate_bill
from kommunestyre.errors import RuleError
from kommunestyre.letters.catalogue import Filters
from kommunestyre.lists.listings import contact_status
from kommunestyre.services.letters import LetterService
from kommunestyre.services.registry import Registry, find_target
from kommunestyre.services.setup import init_database
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from tests.conftest import EARLY, person, register_team
from tests.domain.test_rules import FULL_TEN, OTHER_TEN, after_deadline, fill


def team(register: Register, name: str):  # type: ignore[no-untyped-def]
    found = register.latest_directorate_of_municipality(find_municipality(name).code)
    assert found is not None
    return found


def test_two_separate_offers_stay_separate(register: Register) -> None:
    fill(register)
    kolding = team(register, "Kolding")
    w1, _ = rules.add_participant(register, kolding.id, person("W1"), EARLY)
    w2, _ = rules.add_participant(register, kolding.id, person("W2"), EARLY)
    late = after_deadline(register)
    vejle = register.members(team(register, "Vejle").id)
    rules.cancel_participant(register, vejle[0].id, late)
    rules.cancel_participant(register, vejle[1].id, late + timedelta(days=3))
    for p in register.members(kolding.id):
        if p.status is Status.ADMITTED:  # nobody of Kolding holds a seat any more
            rules.cancel_participant(register, p.id, late + timedelta(days=4))
    offers = open_offers(register, 1)
    assert [[p.id for p in o.participants] for o in offers] == [[w1.id], [w2.id]]
    assert [o.until for o in offers] == [late + timedelta(days=7), late + timedelta(days=10)]
    rules.accept_offer(register, w2.id, late + timedelta(days=5))
    assert (w1.status, w2.status) == (Status.OFFERED, Status.ADMITTED)


def test_a_late_cancellation_is_not_waived_by_a_reinstatement_without_a_seat(
    register: Register,
) -> None:
    fill(register)
    waiting, _ = rules.add_participant(register, team(register, "Kolding").id, person(), EARLY)
    late = after_deadline(register)
    vejle = team(register, "Vejle")
    first = register.members(vejle.id)[0]
    rules.cancel_participant(register, first.id, late)
    rules.accept_offer(register, waiting.id, late)  # the freed seat is gone for good
    assert cohort_bill(register, 1).billable == 41
    with pytest.raises(RuleError, match="the cancellation stays billed"):
        rules.reinstate_participant(register, first.id, late)
    assert first.status is Status.CANCELLED and first.billable_cancellation
    assert cohort_bill(register, 1).billable == 41


def test_an_offer_ends_when_the_seminar_begins_and_nobody_is_promoted_after(
    register: Register,
) -> None:
    fill(register)
    waiting, _ = rules.add_participant(register, team(register, "Kolding").id, person(), EARLY)
    seminar = register.cohort(1).seminar.start
    vejle = register.members(team(register, "Vejle").id)
    outcome = rules.cancel_participant(register, vejle[0].id, seminar - timedelta(days=2))
    assert waiting.offered_until == seminar  # not a week: the seminar starts before that
    assert rules.settle(register, seminar)  # ran out
    with pytest.raises(RuleError, match="no open seat offer"):
        rules.accept_offer(register, waiting.id, seminar + timedelta(hours=1))
    outcome = rules.cancel_participant(register, vejle[1].id, seminar + timedelta(hours=2))
    assert outcome.promotions == []
    assert cohort_bill(register, 1).billable == 40


def test_a_waiting_directorate_is_told_its_cancellation_is_free_because_it_waits(
    register: Register,
) -> None:
    fill(register)
    aarhus = register_team(register, "Aarhus", 1, 2)
    terms = rules.directorate_cancellation_terms(register, aarhus.id, after_deadline(register))
    assert terms == rules.CancellationTerms(False, "free: the directorate is on the waiting list")


def test_a_directorate_with_an_erased_member_can_be_reinstated(register: Register) -> None:
    aarhus = register_team(register, "Aarhus", 1, 3)
    late = after_deadline(register)
    rules.cancel_directorate(register, aarhus.id, late)
    rules.erase_participant(register, register.members(aarhus.id)[2].id, late)
    outcome = rules.reinstate_directorate(register, aarhus.id, late)
    assert outcome.summary == "Aarhus reinstated with 2 participants, 2 admitted"
    assert directorate_bill(register, aarhus.id).billable == 3  # two seats and the erased line


def test_a_directorate_follows_its_people_when_they_move_one_by_one(register: Register) -> None:
    kolding = register_team(register, "Kolding", 1, 2)
    for p in register.members(kolding.id):
        rules.move_participant(register, p.id, 2, EARLY)
    assert kolding.cohort == 2
    assert contact_status(register, kolding.municipality_code, ()) == "tilmeldt, hold 2"
    newcomer, _ = rules.add_participant(register, kolding.id, person(), EARLY)
    assert newcomer.cohort == 2
    assert rules.move_directorate(register, kolding.id, 3, EARLY).admitted
    assert [(d.cohort, len(d.members)) for d in delegations(register)] == [(3, 3)]


def test_the_people_of_a_directorate_in_another_cohort_can_be_moved_together(
    register: Register,
) -> None:
    kolding = register_team(register, "Kolding", 1, 3)
    for p in register.members(kolding.id)[:2]:
        rules.move_participant(register, p.id, 2, EARLY)
    rules.move_directorate(register, kolding.id, 3, EARLY, source=2)
    assert sorted(p.cohort for p in register.members(kolding.id)) == [1, 3, 3]
    assert kolding.cohort == 1


def test_a_waiting_person_cannot_join_a_group_past_the_cap(register: Register) -> None:
    fill(register, cohort=2)  # hold 2 full
    big = register_team(register, "Aarhus", 2, 40)  # waits there as a group of 40
    for name in OTHER_TEN:
        register_team(register, name, 1, 4)  # hold 1 full
    helper, _ = rules.add_participant(register, big.id, person(), EARLY, cohort_number=1)
    assert helper.status is Status.WAITLISTED
    with pytest.raises(RuleError, match="larger than the cap"):
        rules.move_participant(register, helper.id, 2, EARLY)
    assert helper.cohort == 1


# -- through the service and the letters --------------------------------------------------------


@pytest.fixture
def registry(db_path: Path) -> Registry:
    return Registry(init_database(db_path, clock=frozen_clock(EARLY)))


def member(n: int, town: str) -> ParticipantDetails:
    return ParticipantDetails(
        name=f"{town} Person{n}", title="D", field="kommunaldirektor", email=f"p{n}@{town}.dk"
    )


def test_erasing_a_municipality_promotes_nobody_about_to_be_erased(
    registry: Registry, db_path: Path
) -> None:
    for town in FULL_TEN:
        registry.register_directorate(
            town, 1, [member(i, town) for i in range(4)], InvoiceDetails()
        )
    kolding = team(registry.snapshot().register, "Kolding")
    registry.add_participant(
        kolding.id, ParticipantDetails(name="Secret Waiting", email="secret@kolding.dk")
    )
    result = registry.erase_directorate(kolding.id, registry.snapshot().register.directorate(
        kolding.id).rev)  # fmt: skip
    assert "Secret Waiting" not in " ".join(result.lines())
    text = db_path.read_text("utf-8")
    assert "Secret Waiting" not in text and "secret@kolding.dk" not in text
    history = json.loads(text)["history"].values()
    assert not any("Kolding Person" in h["summary"] for h in history)


def test_erasing_a_person_erases_every_record_with_their_address(
    registry: Registry, db_path: Path
) -> None:
    me = ParticipantDetails(name="Jens Hemmelig", field="kommunaldirektor", email="jens@aarhus.dk")
    registry.register_directorate(
        "Aarhus", 1, [me, ParticipantDetails(name="Anden", email="a@aarhus.dk")], InvoiceDetails()
    )
    register = registry.snapshot().register
    jens = next(p for p in register.participants.values() if p.name == "Jens Hemmelig")
    registry.cancel_participant(jens.id, jens.rev)
    registry.add_participant(team(register, "Aarhus").id, me)  # back, as a new record
    target = find_target(registry.snapshot().register, "jens@aarhus.dk", "any")
    registry.erase_participant(target.id, target.rev)
    text = db_path.read_text("utf-8")
    assert "Jens Hemmelig" not in text and "jens@aarhus.dk" not in text


def test_erasing_a_municipality_erases_its_earlier_registrations(
    registry: Registry, db_path: Path
) -> None:
    registry.register_directorate("Aarhus", 1, [member(1, "old")], InvoiceDetails())
    old = team(registry.snapshot().register, "Aarhus")
    registry.cancel_directorate(old.id, registry.snapshot().register.directorate(old.id).rev)
    registry.register_directorate("Aarhus", 2, [member(2, "new")], InvoiceDetails())
    target = find_target(registry.snapshot().register, "Aarhus", "any")
    registry.erase_directorate(target.id, target.rev)
    text = db_path.read_text("utf-8")
    assert "old Person1" not in text and "new Person2" not in text


def test_one_person_moved_does_not_block_the_confirmations(demo_db: Path) -> None:
    repository = Repository(Database(demo_db), clock=frozen_clock(EARLY))
    registry, letters = Registry(repository), LetterService(repository)
    register = registry.snapshot().register
    aarhus = team(register, "Aarhus")
    lead = register.programme.lead_field
    mover = next(p for p in register.members(aarhus.id) if p.details.field != lead)
    registry.move_participant(mover.id, mover.rev, 3)
    batch = letters.prepare("confirmation", Filters())
    assert batch.clean, [(x.recipient.label, x.problems) for x in batch.errors]
    to_aarhus = [x.recipient for x in batch.letters if x.recipient.label == "Aarhus"]
    assert sorted(r.cohort or 0 for r in to_aarhus) == [2, 3]
