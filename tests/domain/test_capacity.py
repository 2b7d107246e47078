"""Cohort status (open, full, closed, held), the at-risk flag and the warnings."""

from __future__ import annotations

from datetime import datetime, timedelta

from kommunestyre.clock import local
from kommunestyre.domain import rules
from kommunestyre.domain.capacity import headcount
from kommunestyre.domain.model import CohortStatus, Register
from tests.conftest import EARLY, register_team
from tests.domain.test_rules import fill


def row(register: Register, number: int, now: datetime):
    return next(r for r in headcount(register, now) if r.cohort.number == number)


def test_empty_cohort_is_open_and_at_risk(register: Register) -> None:
    first = row(register, 1, EARLY)
    assert first.status is CohortStatus.OPEN
    assert first.at_risk
    assert first.free_seats == 40


def test_five_directorates_are_not_at_risk(register: Register) -> None:
    for name in ["Aarhus", "Odense", "Vejle", "Kolding", "Randers"]:
        register_team(register, name, 1, 2)
    assert not row(register, 1, EARLY).at_risk
    assert row(register, 2, EARLY).at_risk


def test_full_by_directorates_or_by_seats(register: Register) -> None:
    fill(register, size=3)
    assert row(register, 1, EARLY).status is CohortStatus.FULL  # 10/10 directorates, 30 seats
    for name in ["Aarhus", "Randers", "Viborg", "Herning"]:
        register_team(register, name, 2, 10)
    assert row(register, 2, EARLY).status is CohortStatus.FULL  # 4 directorates, 40 seats


def test_closed_after_the_deadline_and_held_after_the_follow_up_day(register: Register) -> None:
    cohort = register.cohort(1)
    d = cohort.registration_deadline
    assert (
        row(register, 1, local(datetime(d.year, d.month, d.day, 23, 0))).status is CohortStatus.OPEN
    )
    after = local(datetime(d.year, d.month, d.day, 0, 5)) + timedelta(days=1)
    assert row(register, 1, after).status is CohortStatus.CLOSED
    assert (
        row(register, 1, cohort.followup.end - timedelta(minutes=1)).status is CohortStatus.CLOSED
    )
    held = row(register, 1, cohort.followup.end)
    assert held.status is CohortStatus.HELD
    assert not held.at_risk  # a held cohort is no longer at risk of anything


def test_over_cap_is_flagged(register: Register) -> None:
    fill(register)
    rules.change_capacity(
        register, 1, min_directorates=5, max_directorates=10, max_participants=30, now=EARLY
    )
    first = row(register, 1, EARLY)
    assert first.over_cap and first.free_seats == 0


def test_deadline_within_fourteen_days_is_flagged(register: Register) -> None:
    d = register.cohort(1).registration_deadline
    noon = local(datetime(d.year, d.month, d.day, 12))
    assert row(register, 1, noon - timedelta(days=14)).deadline_soon
    assert not row(register, 1, noon - timedelta(days=15)).deadline_soon
    assert not row(register, 1, noon + timedelta(days=1)).deadline_soon
