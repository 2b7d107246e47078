"""The registration rules: admission, waiting lists, promotion, moves, cancellation,
substitution and double registration."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kommunestyre.clock import local
from kommunestyre.domain import rules
from kommunestyre.domain.capacity import count_cohort, standing, waiting_list
from kommunestyre.domain.model import InvoiceDetails, Register, Status
from kommunestyre.domain.municipalities import find_municipality
from kommunestyre.errors import RuleError, ValidationError
from tests.conftest import EARLY, person, register_team

FULL_TEN = ["Kolding", "Vejle", "Fredericia", "Middelfart", "Haderslev",
            "Aabenraa", "Sønderborg", "Esbjerg", "Odense", "Svendborg"]  # fmt: skip


#: Ten more, none of them in FULL_TEN (nor Aarhus or Randers, which the tests register).
OTHER_TEN = ["Viborg", "Skive", "Herning", "Holstebro", "Silkeborg", "Horsens", "Skanderborg",
             "Favrskov", "Syddjurs", "Norddjurs"]  # fmt: skip


def fill(register: Register, cohort: int = 1, size: int = 4) -> None:
    """Ten directorates of ``size``: with 4 each, hold 1 is exactly full (10/10, 40/40)."""
    for name in FULL_TEN:
        register_team(register, name, cohort, size)


def after_deadline(register: Register, cohort: int = 1) -> datetime:
    deadline = register.cohort(cohort).registration_deadline
    return local(datetime(deadline.year, deadline.month, deadline.day, 9)) + timedelta(days=1)


# -- admission --------------------------------------------------------------------------------


def test_directorate_is_admitted_while_there_is_room(register: Register) -> None:
    directorate = register_team(register, "Aarhus", 1, 4)
    assert standing(register, directorate.id) is Status.ADMITTED
    assert all(p.status is Status.ADMITTED for p in register.members(directorate.id))
    count = count_cohort(register, 1)
    assert (count.directorates, count.participants) == (1, 4)


def test_eleventh_directorate_goes_on_the_waiting_list(register: Register) -> None:
    fill(register, size=3)  # 10 directorates, 30 people: directorates are full, seats are not
    eleventh = register_team(register, "Aarhus", 1, 2)
    assert standing(register, eleventh.id) is Status.WAITLISTED
    assert {p.status for p in register.members(eleventh.id)} == {Status.WAITLISTED}
    count = count_cohort(register, 1)
    assert (count.directorates, count.waitlisted_directorates, count.waitlisted_participants) == (
        10,
        1,
        2,
    )


def test_directorate_that_does_not_fit_under_the_cap_waits(register: Register) -> None:
    for name in FULL_TEN[:9]:
        register_team(register, name, 1, 4)  # 9 directorates, 36 people
    too_big = register_team(register, "Aarhus", 1, 5)
    assert standing(register, too_big.id) is Status.WAITLISTED
    fits = register_team(register, "Randers", 1, 4)
    assert standing(register, fits.id) is Status.ADMITTED
    assert count_cohort(register, 1).participants == 40


def test_would_admit_tells_the_form_in_advance(register: Register) -> None:
    assert rules.would_admit_directorate(register, 1, 4)
    fill(register)
    assert not rules.would_admit_directorate(register, 1, 1)


def test_single_participant_takes_a_free_seat_or_waits(register: Register, now: datetime) -> None:
    for name in FULL_TEN[:9]:
        register_team(register, name, 1, 4)
    kolding = register.directorate_of_municipality(find_municipality("Kolding").code)
    assert kolding is not None
    seated, outcome = rules.add_participant(register, kolding.id, person(), now)
    assert seated.status is Status.ADMITTED and outcome.admitted
    for _ in range(3):
        rules.add_participant(register, kolding.id, person(), now)
    assert count_cohort(register, 1).participants == 40
    waiting, outcome = rules.add_participant(register, kolding.id, person(), now)
    assert waiting.status is Status.WAITLISTED and outcome.admitted is False
    entry = waiting_list(register, 1)[-1]
    assert not entry.whole_directorate and entry.participants == (waiting,)


def test_participant_added_to_a_waiting_directorate_waits_with_it(
    register: Register, now: datetime
) -> None:
    fill(register, size=3)
    waiting = register_team(register, "Aarhus", 1, 2)
    extra, _ = rules.add_participant(register, waiting.id, person(), now)
    assert extra.status is Status.WAITLISTED
    [entry] = waiting_list(register, 1)
    assert entry.whole_directorate and len(entry.participants) == 3


def test_waiting_list_keeps_registration_order(register: Register) -> None:
    fill(register)
    names = ["Aarhus", "Randers", "Viborg"]
    for name in names:
        register_team(register, name, 1, 2)
    order = [find_municipality(n).code for n in names]
    assert [e.directorate.municipality_code for e in waiting_list(register, 1)] == order


def test_a_municipality_cannot_register_twice(register: Register) -> None:
    register_team(register, "Aarhus", 1, 2)
    with pytest.raises(RuleError, match="Aarhus is already registered"):
        register_team(register, "Århus", 2, 2)


def test_a_cancelled_municipality_may_register_again(register: Register, now: datetime) -> None:
    first = register_team(register, "Aarhus", 1, 2)
    rules.cancel_directorate(register, first.id, now)
    again = register_team(register, "Aarhus", 2, 2)
    assert standing(register, again.id) is Status.ADMITTED


def test_one_person_cannot_hold_two_registrations(register: Register, now: datetime) -> None:
    register_team(register, "Aarhus", 1, 1)
    taken = next(iter(register.participants.values())).details.email
    with pytest.raises(ValidationError, match="already registered"):
        rules.register_directorate(
            register,
            find_municipality("Odense"),
            1,
            [person(email=taken.upper())],
            InvoiceDetails(),
            now,
        )
    with pytest.raises(ValidationError, match="two people"):
        rules.register_directorate(
            register,
            find_municipality("Odense"),
            1,
            [person(email="same@x.dk"), person(email="same@x.dk")],
            InvoiceDetails(),
            now,
        )


def test_empty_directorate_is_refused(register: Register, now: datetime) -> None:
    with pytest.raises(RuleError, match="at least one"):
        rules.register_directorate(
            register, find_municipality("Odense"), 1, [], InvoiceDetails(), now
        )


def test_held_cohort_takes_nobody(register: Register) -> None:
    later = register.cohort(1).followup.end + timedelta(days=1)
    with pytest.raises(RuleError, match="has been held"):
        register_team(register, "Aarhus", 1, 2, at=later)


def test_registration_after_the_deadline_is_allowed_when_there_is_room(register: Register) -> None:
    late = register_team(register, "Aarhus", 1, 2, at=after_deadline(register))
    assert standing(register, late.id) is Status.ADMITTED


# -- promotion --------------------------------------------------------------------------------


def test_cancellation_promotes_the_first_waiting_entry_that_fits(
    register: Register, now: datetime
) -> None:
    for name in FULL_TEN[:9]:
        register_team(register, name, 1, 4)
    register_team(register, "Randers", 1, 4)  # full: 10 directorates, 40 people
    kolding = register.directorate_of_municipality(find_municipality("Kolding").code)
    assert kolding is not None
    waiting_person, _ = rules.add_participant(register, kolding.id, person("Ny Person"), now)
    big = register_team(register, "Aarhus", 1, 3)  # waits: no directorate place
    assert standing(register, big.id) is Status.WAITLISTED

    victim = register.members(kolding.id)[0]
    outcome = rules.cancel_participant(register, victim.id, now)

    assert [str(p) for p in outcome.promotions] == ["Ny Person (Kolding) promoted to hold 1"]
    assert waiting_person.status is Status.ADMITTED
    assert standing(register, big.id) is Status.WAITLISTED
    assert count_cohort(register, 1).participants == 40


def test_later_entry_that_fits_goes_before_an_earlier_one_that_does_not(
    register: Register, now: datetime
) -> None:
    for name in FULL_TEN[:9]:
        register_team(register, name, 1, 4)  # 9 directorates, 36 people
    big = register_team(register, "Aarhus", 1, 5)  # 41 > 40: waits
    small = register_team(register, "Randers", 1, 4)  # fits exactly
    assert (standing(register, big.id), standing(register, small.id)) == (
        Status.WAITLISTED,
        Status.ADMITTED,
    )
    # Randers withdraws: 9 directorates, 36 people; Aarhus (5) still does not fit...
    outcome = rules.cancel_directorate(register, small.id, now)
    assert outcome.promotions == []
    # ... until one more seat frees up.
    kolding = register.directorate_of_municipality(find_municipality("Kolding").code)
    assert kolding is not None
    victim = register.members(kolding.id)[0]
    outcome = rules.cancel_participant(register, victim.id, now)
    assert [p.label for p in outcome.promotions] == ["Aarhus"]
    assert standing(register, big.id) is Status.ADMITTED
    assert {p.status for p in register.members(big.id)} == {Status.ADMITTED}


def test_raising_the_cap_promotes(register: Register, now: datetime) -> None:
    rules.change_capacity(
        register, 1, min_directorates=5, max_directorates=10, max_participants=30, now=now
    )
    for name in FULL_TEN[:7]:
        register_team(register, name, 1, 4)  # 28 people
    waiting = register_team(register, "Aarhus", 1, 4)  # 32 > 30: waits
    assert standing(register, waiting.id) is Status.WAITLISTED
    outcome = rules.change_capacity(
        register, 1, min_directorates=5, max_directorates=10, max_participants=40, now=now
    )
    assert [str(p) for p in outcome.promotions] == ["Aarhus promoted to hold 1"]
    assert standing(register, waiting.id) is Status.ADMITTED


def test_lowering_the_cap_pushes_nobody_out(register: Register, now: datetime) -> None:
    fill(register)
    rules.change_capacity(
        register, 1, min_directorates=5, max_directorates=10, max_participants=30, now=now
    )
    assert count_cohort(register, 1).participants == 40
    assert {p.status for p in register.participants.values()} == {Status.ADMITTED}


def test_capacity_limits_are_checked(register: Register, now: datetime) -> None:
    for bad in (
        {"min_directorates": 6, "max_directorates": 5, "max_participants": 40},
        {"min_directorates": 5, "max_directorates": 11, "max_participants": 40},
        {"min_directorates": 5, "max_directorates": 10, "max_participants": 41},
        {"min_directorates": 5, "max_directorates": 10, "max_participants": 29},
        {"min_directorates": 0, "max_directorates": 10, "max_participants": 40},
    ):
        with pytest.raises(ValidationError):
            rules.change_capacity(register, 1, now=now, **bad)


def test_promotion_after_raising_directorate_limit(register: Register, now: datetime) -> None:
    rules.change_capacity(
        register, 1, min_directorates=1, max_directorates=2, max_participants=40, now=now
    )
    register_team(register, "Aarhus", 1, 2)
    register_team(register, "Odense", 1, 2)
    waiting = register_team(register, "Vejle", 1, 2)
    assert standing(register, waiting.id) is Status.WAITLISTED
    outcome = rules.change_capacity(
        register, 1, min_directorates=1, max_directorates=3, max_participants=40, now=now
    )
    assert [str(p) for p in outcome.promotions] == ["Vejle promoted to hold 1"]


# -- moves ------------------------------------------------------------------------------------


def test_move_directorate_with_its_members(register: Register, now: datetime) -> None:
    aarhus = register_team(register, "Aarhus", 1, 3)
    outcome = rules.move_directorate(register, aarhus.id, 2, now)
    assert outcome.admitted and aarhus.cohort == 2
    assert {p.cohort for p in register.members(aarhus.id)} == {2}
    assert count_cohort(register, 1).participants == 0
    assert count_cohort(register, 2).participants == 3


def test_move_into_a_full_cohort_joins_the_back_of_its_queue(
    register: Register, now: datetime
) -> None:
    fill(register, cohort=2)
    register_team(register, "Aarhus", 2, 2)  # first in hold 2's queue
    for name in OTHER_TEN:
        register_team(register, name, 1, 4)  # hold 1 full
    odense = register_team(register, "Randers", 1, 2)  # waits in hold 1
    outcome = rules.move_directorate(register, odense.id, 2, now)
    assert outcome.admitted is False and standing(register, odense.id) is Status.WAITLISTED
    queue = [e.directorate.municipality_code for e in waiting_list(register, 2)]
    assert queue == [find_municipality("Aarhus").code, find_municipality("Randers").code]


def test_moving_out_promotes_in_the_old_cohort(register: Register, now: datetime) -> None:
    fill(register)
    waiting = register_team(register, "Aarhus", 1, 4)
    kolding = register.directorate_of_municipality(find_municipality("Kolding").code)
    assert kolding is not None
    outcome = rules.move_directorate(register, kolding.id, 3, now)
    assert [str(p) for p in outcome.promotions] == ["Aarhus promoted to hold 1"]
    assert standing(register, waiting.id) is Status.ADMITTED


def test_move_participant(register: Register, now: datetime) -> None:
    aarhus = register_team(register, "Aarhus", 1, 3)
    one = register.members(aarhus.id)[1]
    outcome = rules.move_participant(register, one.id, 3, now)
    assert outcome.admitted and one.cohort == 3 and one.status is Status.ADMITTED
    assert count_cohort(register, 1).participants == 2
    assert count_cohort(register, 3).participants == 1
    assert count_cohort(register, 3).directorates == 1  # Aarhus is represented there by them
    assert count_cohort(register, 1).directorates == 1
    with pytest.raises(RuleError, match="already in hold 3"):
        rules.move_participant(register, one.id, 3, now)


def test_a_seated_person_is_not_moved_into_a_full_cohort(register: Register, now: datetime) -> None:
    fill(register, cohort=2)
    aarhus = register_team(register, "Aarhus", 1, 2)
    one = register.members(aarhus.id)[0]
    with pytest.raises(RuleError, match="cannot move to hold 2: hold 2 has no directorate place"):
        rules.move_participant(register, one.id, 2, now)
    assert one.cohort == 1 and one.status is Status.ADMITTED


def test_a_waiting_person_moved_into_a_full_cohort_waits_there(
    register: Register, now: datetime
) -> None:
    fill(register, cohort=1)
    aarhus = register_team(register, "Aarhus", 1, 2)  # waits in hold 1
    one = register.members(aarhus.id)[0]
    for name in OTHER_TEN:
        register_team(register, name, 2, 4)  # hold 2 full
    outcome = rules.move_participant(register, one.id, 2, now)
    assert outcome.admitted is False and one.status is Status.WAITLISTED and one.cohort == 2


def test_moves_to_unknown_or_held_cohorts_are_refused(register: Register) -> None:
    aarhus = register_team(register, "Aarhus", 2, 2)
    with pytest.raises(Exception, match="no hold 9"):
        rules.move_directorate(register, aarhus.id, 9, EARLY)
    held = register.cohort(1).followup.end + timedelta(hours=1)
    with pytest.raises(RuleError, match="has been held"):
        rules.move_directorate(register, aarhus.id, 1, held)


# -- cancellation -----------------------------------------------------------------------------


def test_cancellation_before_the_deadline_is_free(register: Register, now: datetime) -> None:
    aarhus = register_team(register, "Aarhus", 1, 2)
    one = register.members(aarhus.id)[0]
    terms = rules.cancellation_terms(register, one.id, now)
    assert not terms.billable and "free" in terms.explanation
    outcome = rules.cancel_participant(register, one.id, now)
    assert outcome.billable is False
    assert one.status is Status.CANCELLED and not one.is_billable
    assert count_cohort(register, 1).participants == 1


def test_cancellation_on_the_deadline_day_is_still_free(register: Register) -> None:
    aarhus = register_team(register, "Aarhus", 1, 2)
    deadline = register.cohort(1).registration_deadline
    last_minute = local(datetime(deadline.year, deadline.month, deadline.day, 23, 59))
    one = register.members(aarhus.id)[0]
    assert rules.cancel_participant(register, one.id, last_minute).billable is False


def test_cancellation_after_the_deadline_is_binding(register: Register) -> None:
    aarhus = register_team(register, "Aarhus", 1, 2)
    one = register.members(aarhus.id)[0]
    late = after_deadline(register)
    terms = rules.cancellation_terms(register, one.id, late)
    assert terms.billable and "binding" in terms.explanation
    outcome = rules.cancel_participant(register, one.id, late)
    assert outcome.billable is True and one.is_billable
    count = count_cohort(register, 1)
    assert count.participants == 1  # the seat is free either way
    assert count.late_cancellations == 1


def test_cancelling_a_waiting_person_is_always_free(register: Register) -> None:
    fill(register)
    waiting = register_team(register, "Aarhus", 1, 2)
    one = register.members(waiting.id)[0]
    assert rules.cancel_participant(register, one.id, after_deadline(register)).billable is False


def test_last_member_cancelling_cancels_the_directorate(register: Register, now: datetime) -> None:
    aarhus = register_team(register, "Aarhus", 1, 2)
    first, second = register.members(aarhus.id)
    rules.cancel_participant(register, first.id, now)
    assert standing(register, aarhus.id) is Status.ADMITTED
    rules.cancel_participant(register, second.id, now)
    assert standing(register, aarhus.id) is Status.CANCELLED
    with pytest.raises(RuleError, match="cancelled"):
        rules.cancel_participant(register, second.id, now)


def test_cancel_directorate_cancels_everyone_wherever_they_sit(register: Register) -> None:
    aarhus = register_team(register, "Aarhus", 1, 3)
    moved = register.members(aarhus.id)[2]
    rules.move_participant(register, moved.id, 2, EARLY)
    outcome = rules.cancel_directorate(register, aarhus.id, after_deadline(register, 1))
    assert standing(register, aarhus.id) is Status.CANCELLED
    assert {p.status for p in register.members(aarhus.id)} == {Status.CANCELLED}
    # Hold 1's deadline has passed (binding), hold 2's has not (free).
    assert [p.billable_cancellation for p in register.members(aarhus.id)] == [True, True, False]
    assert outcome.billable is True


# -- substitution -----------------------------------------------------------------------------


def test_substitute_takes_over_the_seat(register: Register, now: datetime) -> None:
    aarhus = register_team(register, "Aarhus", 1, 2)
    original = register.members(aarhus.id)[0]
    replacement, outcome = rules.substitute(register, original.id, person("Vikar Vikarsen"), now)
    assert replacement.status is Status.ADMITTED
    assert replacement.seq == original.seq and replacement.cohort == original.cohort
    assert original.status is Status.SUBSTITUTED and original.replaced_by == replacement.id
    assert replacement.replaces == original.id
    assert "Vikar Vikarsen takes over from" in outcome.summary
    assert count_cohort(register, 1).participants == 2
    assert not original.is_billable and replacement.is_billable


def test_substitute_keeps_a_waiting_place(register: Register, now: datetime) -> None:
    fill(register)
    waiting = register_team(register, "Aarhus", 1, 2)
    original = register.members(waiting.id)[0]
    replacement, _ = rules.substitute(register, original.id, person(), now)
    assert replacement.status is Status.WAITLISTED
    [entry] = waiting_list(register, 1)
    assert replacement in entry.participants and original not in entry.participants


def test_substitute_may_reuse_the_originals_address_but_not_anothers(
    register: Register, now: datetime
) -> None:
    aarhus = register_team(register, "Aarhus", 1, 2)
    first, second = register.members(aarhus.id)
    rules.substitute(register, first.id, person(email=first.details.email), now)
    with pytest.raises(ValidationError, match="already registered"):
        rules.substitute(register, second.id, person(email=first.details.email), now)


def test_cannot_substitute_a_cancelled_person(register: Register, now: datetime) -> None:
    aarhus = register_team(register, "Aarhus", 1, 2)
    first = register.members(aarhus.id)[0]
    rules.cancel_participant(register, first.id, now)
    with pytest.raises(RuleError):
        rules.substitute(register, first.id, person(), now)


def test_edit_participant_checks_the_address(register: Register, now: datetime) -> None:
    aarhus = register_team(register, "Aarhus", 1, 2)
    first, second = register.members(aarhus.id)
    new = person("Nyt Navn", email=first.details.email)
    rules.edit_participant(register, first.id, new)
    assert first.name == "Nyt Navn"
    with pytest.raises(ValidationError):
        rules.edit_participant(register, second.id, person(email=first.details.email))
