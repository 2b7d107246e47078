"""Sequences that once left the register inconsistent (found in review), pinned down."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kommunestyre.clock import local
from kommunestyre.domain import rules
from kommunestyre.domain.capacity import count_cohort, standing, waiting_list
from kommunestyre.domain.model import Directorate, Register, Status
from kommunestyre.domain.municipalities import find_municipality
from kommunestyre.domain.pricing import directorate_bill
from kommunestyre.errors import RuleError
from tests.conftest import EARLY, register_team
from tests.domain.test_rules import after_deadline, fill


def directorate(register: Register, name: str) -> Directorate:
    found = register.directorate_of_municipality(find_municipality(name).code)
    assert found is not None
    return found


def test_an_emptied_waiting_directorate_is_never_promoted(register: Register) -> None:
    fill(register)  # hold 1 full
    aarhus = register_team(register, "Aarhus", 1, 1)
    aalborg = register_team(register, "Aalborg", 1, 3)
    [only] = register.members(aarhus.id)
    rules.move_participant(register, only.id, 2, EARLY)  # Aarhus now has nobody waiting in hold 1
    assert [e.directorate.id for e in waiting_list(register, 1)] == [aalborg.id]

    kolding = directorate(register, "Kolding")
    outcome = rules.cancel_directorate(register, kolding.id, EARLY)
    assert [p.label for p in outcome.promotions] == ["Aalborg"]
    assert standing(register, aarhus.id) is Status.ADMITTED  # in hold 2, by its only person
    assert count_cohort(register, 1).directorates == 10


def test_a_directorate_with_nobody_left_in_its_cohort_frees_its_place(register: Register) -> None:
    fill(register, size=3)  # 10 directorates, 30 people
    waiting = register_team(register, "Aarhus", 1, 2)
    svendborg = directorate(register, "Svendborg")
    members = register.members(svendborg.id)
    for person in members[:-1]:
        rules.move_participant(register, person.id, 2, EARLY)
    assert standing(register, waiting.id) is Status.WAITLISTED
    outcome = rules.move_participant(register, members[-1].id, 2, EARLY)
    assert [p.label for p in outcome.promotions] == ["Aarhus"]
    assert count_cohort(register, 1).directorates == 10


def test_cancelling_the_last_member_elsewhere_frees_the_directorates_place(
    register: Register,
) -> None:
    fill(register, size=3)
    waiting = register_team(register, "Aarhus", 1, 2)
    svendborg = directorate(register, "Svendborg")
    for person in register.members(svendborg.id):
        rules.move_participant(register, person.id, 2, EARLY)
    # Svendborg's people are all in hold 2 now, so hold 1 already had room for Aarhus.
    assert standing(register, waiting.id) is Status.ADMITTED
    for person in register.members(svendborg.id):
        rules.cancel_participant(register, person.id, EARLY)
    assert standing(register, svendborg.id) is Status.CANCELLED


def test_moving_after_the_deadline_does_not_escape_a_binding_registration(
    register: Register,
) -> None:
    aarhus = register_team(register, "Aarhus", 1, 2)
    first = register.members(aarhus.id)[0]
    late = after_deadline(register, 1)
    rules.move_participant(register, first.id, 2, late)  # hold 2's deadline has not passed
    assert first.bound
    assert rules.cancellation_terms(register, first.id, late).billable
    assert rules.cancel_participant(register, first.id, late).billable
    assert directorate_bill(register, aarhus.id).billable == 2


def test_moving_a_directorate_after_the_deadline_keeps_it_binding(register: Register) -> None:
    aarhus = register_team(register, "Aarhus", 1, 2)
    late = after_deadline(register, 1)
    rules.move_directorate(register, aarhus.id, 3, late)
    assert all(p.bound for p in register.members(aarhus.id))
    rules.cancel_directorate(register, aarhus.id, late)
    assert directorate_bill(register, aarhus.id).billable == 2


def test_a_directorate_larger_than_the_cap_is_refused(register: Register) -> None:
    with pytest.raises(RuleError, match="more than hold 1's cap"):
        register_team(register, "Aarhus", 1, 41)


def test_held_cohorts_take_no_cancellations_or_substitutions(register: Register) -> None:
    aarhus = register_team(register, "Aarhus", 1, 2)
    first = register.members(aarhus.id)[0]
    held = register.cohort(1).followup.end + timedelta(days=1)
    with pytest.raises(RuleError, match="has been held"):
        rules.cancel_participant(register, first.id, held)
    with pytest.raises(RuleError, match="has been held"):
        rules.substitute(register, first.id, first.details._replace(email="x@y.dk"), held)


def test_erasing_a_binding_seat_keeps_an_anonymous_invoice_line(register: Register) -> None:
    aarhus = register_team(register, "Aarhus", 1, 2)
    first, second = register.members(aarhus.id)
    late = after_deadline(register, 1)
    outcome = rules.erase_participant(register, first.id, late)
    assert outcome.billable
    stub = register.participants[first.id]
    assert stub.name == rules.ERASED_NAME and stub.details.email == ""
    assert stub.status is Status.CANCELLED and stub.billable_cancellation
    assert directorate_bill(register, aarhus.id).billable == 2
    rules.cancel_participant(register, second.id, late)
    rules.erase_participant(register, second.id, late)
    assert directorate_bill(register, aarhus.id).billable == 2


def test_erasing_before_the_deadline_removes_the_person_and_an_empty_directorate(
    register: Register,
) -> None:
    fill(register)
    waiting = register_team(register, "Aarhus", 1, 1)
    svendborg = register_team(register, "Randers", 2, 1)
    [only] = register.members(svendborg.id)
    outcome = rules.erase_participant(register, only.id, EARLY)
    assert only.id not in register.participants and not outcome.billable
    assert standing(register, svendborg.id) is Status.CANCELLED
    kolding = directorate(register, "Kolding")
    first = register.members(kolding.id)[0]
    outcome = rules.erase_participant(register, first.id, EARLY)
    assert outcome.promotions == []  # no place freed
    assert standing(register, waiting.id) is Status.WAITLISTED
    noon = local(datetime(2026, 12, 2, 12))
    for person in register.members(kolding.id):
        rules.erase_participant(register, person.id, noon)
    assert standing(register, kolding.id) is Status.CANCELLED
    assert standing(register, waiting.id) is Status.ADMITTED
