"""Seat offers after the deadline, reinstatement, the promotion order, and moves that keep one
truth: each rule as the issue that asked for it describes it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kommunestyre.domain import rules
from kommunestyre.domain.capacity import (
    count_cohort,
    open_offers,
    standing,
    waiting_list,
    waiting_places,
)
from kommunestyre.domain.model import Register, Status
from kommunestyre.domain.pricing import cohort_bill, directorate_bill, invoice_lines
from kommunestyre.errors import RuleError
from tests.conftest import EARLY, person, register_team
from tests.domain.test_rules import FULL_TEN, after_deadline, fill


def full_with_a_queue(register: Register) -> None:
    """Hold 1 full (10 x 4), then Aarhus (4), Randers (2) and Viborg (2) waiting, in order."""
    fill(register)
    for name, size in (("Aarhus", 4), ("Randers", 2), ("Viborg", 2)):
        register_team(register, name, 1, size)


def team(register: Register, name: str):
    found = register.latest_directorate_of_municipality(
        next(d.municipality_code for d in register.directorates.values()
             if rules.municipality_name(register, d) == name)
    )  # fmt: skip
    assert found is not None
    return found


# -- the promotion order ------------------------------------------------------------------------


def test_the_first_waiting_entry_that_fits_is_promoted_not_a_later_one(register: Register) -> None:
    """Two entries fit: the earlier registration gets the seats (pinned: promoting the last
    entry that fits must fail here)."""
    full_with_a_queue(register)
    svendborg = team(register, "Svendborg")
    outcome = rules.cancel_directorate(register, svendborg.id, EARLY)  # frees a place, 4 seats
    # Aarhus (4) fits; so would Randers and Viborg (2 each): Aarhus registered first.
    assert [p.label for p in outcome.promotions] == ["Aarhus"]
    assert standing(register, team(register, "Randers").id) is Status.WAITLISTED
    assert [e.directorate.id for e in waiting_list(register, 1)] == [
        team(register, "Randers").id,
        team(register, "Viborg").id,
    ]


def test_an_entry_that_does_not_fit_is_passed_over_for_the_next_that_does(
    register: Register,
) -> None:
    full_with_a_queue(register)
    kolding = team(register, "Kolding")
    members = register.members(kolding.id)
    rules.cancel_participant(register, members[0].id, EARLY)
    outcome = rules.cancel_participant(register, members[1].id, EARLY)
    assert outcome.promotions == []  # 2 seats, but no directorate place: nobody fits
    outcome = rules.cancel_directorate(register, kolding.id, EARLY)  # a place and 4 seats
    assert [p.label for p in outcome.promotions] == ["Aarhus"]


# -- seat offers after the deadline -------------------------------------------------------------


def test_after_the_deadline_a_freed_seat_is_offered_and_not_billed(register: Register) -> None:
    full_with_a_queue(register)
    late = after_deadline(register)
    svendborg = team(register, "Svendborg")
    outcome = rules.cancel_directorate(register, svendborg.id, late)
    [promotion] = outcome.promotions
    aarhus = team(register, "Aarhus")
    until = late + timedelta(days=register.programme.offer_days)
    assert promotion.offered_until == until
    assert str(promotion) == "Aarhus offered a seat in hold 1 (answer by 21.01.2027)"
    assert {p.status for p in register.members(aarhus.id)} == {Status.OFFERED}
    count = count_cohort(register, 1)
    assert (count.directorates, count.participants, count.offered) == (10, 36, 4)
    assert directorate_bill(register, aarhus.id).billable == 0  # held, not billed
    assert [o.directorate.id for o in open_offers(register)] == [aarhus.id]
    # The seats are held: nobody else is promoted into them.
    assert standing(register, team(register, "Randers").id) is Status.WAITLISTED


def test_accepting_an_offer_admits_and_binds(register: Register) -> None:
    full_with_a_queue(register)
    late = after_deadline(register)
    rules.cancel_directorate(register, team(register, "Svendborg").id, late)
    aarhus = team(register, "Aarhus")
    first = register.members(aarhus.id)[0]
    outcome = rules.accept_offer(register, first.id, late + timedelta(days=2))
    assert outcome.summary == "Aarhus accepted the seat offer: admitted to hold 1 (binding)"
    assert {p.status for p in register.members(aarhus.id)} == {Status.ADMITTED}
    assert directorate_bill(register, aarhus.id).billable == 4
    terms = rules.cancellation_terms(register, first.id, late + timedelta(days=3))
    assert terms.billable


def test_declining_offers_the_seat_to_the_next(register: Register) -> None:
    full_with_a_queue(register)
    late = after_deadline(register)
    rules.cancel_directorate(register, team(register, "Svendborg").id, late)
    aarhus = team(register, "Aarhus")
    outcome = rules.decline_offer(register, register.members(aarhus.id)[0].id, late)
    assert standing(register, aarhus.id) is Status.CANCELLED
    assert not directorate_bill(register, aarhus.id).billable  # declining is free
    # 4 seats and a place: Randers (2) is offered the place; Viborg needs a place of its own.
    assert [p.label for p in outcome.promotions] == ["Randers"]
    assert standing(register, team(register, "Randers").id) is Status.OFFERED


def test_an_offer_that_runs_out_goes_to_the_next_at_the_moment_it_ran_out(
    register: Register,
) -> None:
    full_with_a_queue(register)
    late = after_deadline(register)
    rules.cancel_directorate(register, team(register, "Svendborg").id, late)
    days = timedelta(days=register.programme.offer_days)
    assert rules.settle(register, late + days - timedelta(minutes=1)) == []
    outcomes = rules.settle(register, late + days + timedelta(days=1))  # nobody looked for a day
    assert [o.summary for o in outcomes] == [
        "the seat offer to Aarhus in hold 1 ran out on 21.01.2027"
    ]
    [offer] = open_offers(register)
    assert offer.directorate.id == team(register, "Randers").id
    assert offer.until == late + 2 * days  # offered when Aarhus's offer ran out, not today
    assert rules.settle(register, late + days + timedelta(days=1)) == []  # idempotent
    # Nobody answers for a month: each offer runs out in turn, each at its own moment.
    outcomes = rules.settle(register, late + timedelta(days=40))
    assert [o.summary.split(" in hold")[0] for o in outcomes] == [
        "the seat offer to Randers",
        "the seat offer to Viborg",
    ]
    assert open_offers(register) == [] and count_cohort(register, 1).offered == 0


def test_before_the_deadline_promotion_stays_immediate(register: Register) -> None:
    full_with_a_queue(register)
    outcome = rules.cancel_directorate(register, team(register, "Svendborg").id, EARLY)
    assert outcome.promotions[0].offered_until is None
    assert standing(register, team(register, "Aarhus").id) is Status.ADMITTED


def test_an_offer_is_answered_once(register: Register) -> None:
    full_with_a_queue(register)
    late = after_deadline(register)
    rules.cancel_directorate(register, team(register, "Svendborg").id, late)
    first = register.members(team(register, "Aarhus").id)[0]
    rules.accept_offer(register, first.id, late)
    with pytest.raises(RuleError, match="has no open seat offer"):
        rules.decline_offer(register, first.id, late)


# -- reinstatement ------------------------------------------------------------------------------


def test_reinstating_a_mistaken_cancellation_gives_the_seat_back(register: Register) -> None:
    aarhus = register_team(register, "Aarhus", 1, 3)
    one = register.members(aarhus.id)[0]
    rules.cancel_participant(register, one.id, EARLY)
    outcome = rules.reinstate_participant(register, one.id, EARLY)
    assert one.status is Status.ADMITTED and outcome.admitted
    assert outcome.summary.endswith("reinstated: admitted to hold 1")
    assert directorate_bill(register, aarhus.id).billable == 3


def test_a_reinstated_late_cancellation_is_billed_once(register: Register) -> None:
    aarhus = register_team(register, "Aarhus", 1, 3)
    one = register.members(aarhus.id)[0]
    late = after_deadline(register)
    assert rules.cancel_participant(register, one.id, late).billable
    assert directorate_bill(register, aarhus.id).billable == 3
    rules.reinstate_participant(register, one.id, late)
    bill = directorate_bill(register, aarhus.id)
    assert (bill.seats, bill.late_cancellations) == (3, 0)
    assert [line.bill.billable for line in invoice_lines(register)] == [3]


def test_reinstating_without_room_returns_the_person_to_their_place_in_the_queue(
    register: Register,
) -> None:
    fill(register)
    kolding = team(register, "Kolding")
    one = register.members(kolding.id)[0]
    rules.cancel_participant(register, one.id, EARLY)
    register_team(register, "Aarhus", 1, 2)  # waits: no directorate place
    newcomer, _ = rules.add_participant(register, team(register, "Vejle").id, person(), EARLY)
    assert newcomer.status is Status.ADMITTED  # took the freed seat
    outcome = rules.reinstate_participant(register, one.id, EARLY)
    assert one.status is Status.WAITLISTED
    assert outcome.summary.endswith(
        "reinstated: on the waiting list of hold 1 as no. 1 (no room: "
        "hold 1 has 0 free seats (40 of 40 taken) and 1 is needed)"
    )
    assert waiting_places(register)[one.id] == 1  # registered before Aarhus: first in line


def test_reinstating_a_directorate_brings_back_those_cancelled_with_it(register: Register) -> None:
    aarhus = register_team(register, "Aarhus", 1, 3)
    first = register.members(aarhus.id)[0]
    rules.cancel_participant(register, first.id, EARLY)  # left on her own, earlier
    rules.cancel_directorate(register, aarhus.id, EARLY + timedelta(days=1))
    outcome = rules.reinstate_directorate(register, aarhus.id, EARLY + timedelta(days=2))
    assert outcome.summary == "Aarhus reinstated with 2 participants, 2 admitted"
    assert first.status is Status.CANCELLED
    assert standing(register, aarhus.id) is Status.ADMITTED


def test_reinstating_is_refused_when_the_municipality_registered_again(register: Register) -> None:
    aarhus = register_team(register, "Aarhus", 1, 2)
    rules.cancel_directorate(register, aarhus.id, EARLY)
    register_team(register, "Aarhus", 2, 2)
    with pytest.raises(RuleError, match="Aarhus has registered again"):
        rules.reinstate_directorate(register, aarhus.id, EARLY)
    with pytest.raises(RuleError, match="Aarhus has registered again"):
        rules.reinstate_participant(register, register.members(aarhus.id)[0].id, EARLY)


def test_an_erased_person_is_not_reinstated(register: Register) -> None:
    aarhus = register_team(register, "Aarhus", 1, 2)
    one = register.members(aarhus.id)[0]
    rules.erase_participant(register, one.id, after_deadline(register))
    with pytest.raises(RuleError, match="erased"):
        rules.reinstate_participant(register, one.id, after_deadline(register))


# -- moves under their municipality -------------------------------------------------------------


def test_a_moved_person_is_counted_and_billed_in_their_new_cohort(register: Register) -> None:
    aarhus = register_team(register, "Aarhus", 1, 4)
    one = register.members(aarhus.id)[3]
    rules.move_participant(register, one.id, 2, EARLY)
    one_, two = count_cohort(register, 1), count_cohort(register, 2)
    assert (one_.directorates, one_.participants, two.directorates, two.participants) == (
        1,
        3,
        1,
        1,
    )
    assert (cohort_bill(register, 1).billable, cohort_bill(register, 2).billable) == (3, 1)
    assert [(line.cohort, line.bill.billable) for line in invoice_lines(register)] == [
        (1, 3),
        (2, 1),
    ]


def test_a_move_respects_the_target_cohorts_directorate_limit(register: Register) -> None:
    fill(register, cohort=2, size=3)  # hold 2: 10 directorates, 30 seats
    aarhus = register_team(register, "Aarhus", 1, 2)
    one = register.members(aarhus.id)[0]
    with pytest.raises(RuleError, match="no directorate place left"):
        rules.move_participant(register, one.id, 2, EARLY)
    with pytest.raises(RuleError, match="no directorate place left"):
        rules.move_directorate(register, aarhus.id, 2, EARLY)
    # A directorate already represented there needs no new place.
    kolding = team(register, "Kolding")
    rules.move_participant(register, register.members(kolding.id)[0].id, 1, EARLY)
    assert count_cohort(register, 2).directorates == 10


def test_the_move_dialog_and_the_move_agree(register: Register) -> None:
    """The app's cohort chooser asks the rule itself where a move would land."""
    fill(register)
    aarhus = register_team(register, "Aarhus", 2, 2)
    one = register.members(aarhus.id)[0]
    with pytest.raises(RuleError):
        rules.participant_move(register, one.id, 1, EARLY)
    assert rules.participant_move(register, one.id, 3, EARLY) is Status.ADMITTED
    assert rules.directorate_move(register, aarhus.id, 3, EARLY)[1] is Status.ADMITTED
    assert FULL_TEN[0] == "Kolding"
