"""Counting seats: who holds one, who waits for one, and what that makes of a cohort.

A waitlisted participant waits *with* their directorate when the whole directorate is on the
cohort's waiting list; otherwise (one more person for an admitted directorate, or a person moved
to another cohort) they wait on their own. Either way the queue is ordered by registration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kommunestyre.domain.model import (
    Cohort,
    CohortStatus,
    Directorate,
    Participant,
    Register,
    Status,
)

#: A deadline this close is worth a warning on the overview.
DEADLINE_WARNING = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class CohortCount:
    """Raw numbers for one cohort."""

    number: int
    directorates: int = 0
    participants: int = 0
    waitlisted_directorates: int = 0
    waitlisted_participants: int = 0
    late_cancellations: int = 0


@dataclass(frozen=True, slots=True)
class Headcount:
    """A cohort's numbers together with what they mean today."""

    cohort: Cohort
    count: CohortCount
    status: CohortStatus
    at_risk: bool
    over_cap: bool
    deadline_soon: bool

    @property
    def free_seats(self) -> int:
        return max(0, self.cohort.max_participants - self.count.participants)

    @property
    def free_directorate_places(self) -> int:
        return max(0, self.cohort.max_directorates - self.count.directorates)


@dataclass(frozen=True, slots=True)
class WaitingEntry:
    """One place in a cohort's queue: a whole directorate, or a single participant."""

    seq: int
    directorate: Directorate
    participants: tuple[Participant, ...]
    whole_directorate: bool


def count_cohorts(register: Register) -> dict[int, CohortCount]:
    """All cohorts' numbers in one pass over the register.

    A directorate takes one of a cohort's places while somebody of it is admitted there, and
    waits in its queue while somebody of it is waiting there: a directorate whose people have
    all moved elsewhere or cancelled holds no place.
    """
    tallies = {c.number: [0, 0, 0, 0, 0] for c in register.programme.cohorts}
    present: dict[tuple[int, int], Status] = {}
    for participant in register.participants.values():
        tally = tallies.get(participant.cohort)
        if tally is None:
            continue
        if participant.status is Status.ADMITTED:
            tally[1] += 1
            present[(participant.directorate_id, participant.cohort)] = Status.ADMITTED
        elif participant.status is Status.WAITLISTED:
            tally[3] += 1
            present.setdefault((participant.directorate_id, participant.cohort), Status.WAITLISTED)
        elif participant.status is Status.CANCELLED and participant.billable_cancellation:
            tally[4] += 1
    for directorate in register.directorates.values():
        tally = tallies.get(directorate.cohort)
        if tally is None or (directorate.id, directorate.cohort) not in present:
            continue
        if directorate.status is Status.ADMITTED:
            tally[0] += 1
        elif directorate.status is Status.WAITLISTED:
            tally[2] += 1
    return {number: CohortCount(number, *tally) for number, tally in tallies.items()}


def count_cohort(register: Register, number: int) -> CohortCount:
    register.cohort(number)  # an unknown cohort is an error, not zeros
    return count_cohorts(register)[number]


def cohort_status(cohort: Cohort, count: CohortCount, now: datetime) -> CohortStatus:
    """held (follow-up day over) > closed (deadline passed) > full > open."""
    if cohort.is_held(now):
        return CohortStatus.HELD
    if cohort.is_binding(now):
        return CohortStatus.CLOSED
    if (
        count.directorates >= cohort.max_directorates
        or count.participants >= cohort.max_participants
    ):
        return CohortStatus.FULL
    return CohortStatus.OPEN


def headcount(register: Register, now: datetime) -> list[Headcount]:
    """Every cohort's headcount, in cohort order."""
    counts = count_cohorts(register)
    result = []
    for cohort in sorted(register.programme.cohorts, key=lambda c: c.number):
        count = counts[cohort.number]
        status = cohort_status(cohort, count, now)
        deadline_day = now.astimezone(cohort.seminar.start.tzinfo).date()
        days_left = (cohort.registration_deadline - deadline_day).days
        result.append(
            Headcount(
                cohort=cohort,
                count=count,
                status=status,
                at_risk=status is not CohortStatus.HELD
                and count.directorates < cohort.min_directorates,
                over_cap=count.participants > cohort.max_participants,
                deadline_soon=0 <= days_left <= DEADLINE_WARNING.days,
            )
        )
    return result


def waiting_list(register: Register, number: int) -> list[WaitingEntry]:
    """The cohort's queue, first come first."""
    whole: dict[int, list[Participant]] = {}
    single: list[WaitingEntry] = []
    for participant in register.participants.values():
        if participant.cohort != number or participant.status is not Status.WAITLISTED:
            continue
        directorate = register.directorates[participant.directorate_id]
        if directorate.status is Status.WAITLISTED and directorate.cohort == number:
            whole.setdefault(directorate.id, []).append(participant)
        else:
            single.append(WaitingEntry(participant.seq, directorate, (participant,), False))
    entries = single
    for directorate in register.directorates.values():
        members = whole.get(directorate.id)
        if members and directorate.cohort == number and directorate.status is Status.WAITLISTED:
            members.sort(key=lambda p: p.seq)
            entries.append(WaitingEntry(directorate.seq, directorate, tuple(members), True))
    return sorted(entries, key=lambda entry: entry.seq)


def fits_directorate(cohort: Cohort, count: CohortCount, size: int) -> bool:
    """Room for one more directorate of ``size`` people?"""
    return (
        count.directorates < cohort.max_directorates
        and count.participants + size <= cohort.max_participants
    )


def fits_participant(cohort: Cohort, count: CohortCount) -> bool:
    return count.participants < cohort.max_participants
