"""Seats: who holds one, who has one offered, who waits, and what that makes of a cohort.

The unit is the **delegation**: the people of one directorate in one cohort. A directorate's
people normally sit in the cohort it registered for; a person moved to another cohort sits
there, and represents the directorate there. Everything is counted per delegation:

- A delegation **takes one of a cohort's directorate places** while somebody of it is admitted
  there or holds a seat offer there.
- Its **waiting** people form one entry in the cohort's queue while the delegation has no place
  there (the whole group needs a place and a seat each, together); once it has a place, each of
  its waiting people is an entry of their own (one seat each).
- Its **offered** people hold their seats (and the place) until they answer; the people
  offered together (a group that had no place yet) answer together: they share an
  ``offer_key``.
- The queue is in order of registration: an entry's ``seq`` is its earliest person's.
"""

from __future__ import annotations

from collections import defaultdict
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
from kommunestyre.i18n import _, ngettext

#: A deadline this close is worth a warning on the overview.
DEADLINE_WARNING = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class CohortCount:
    """Raw numbers for one cohort."""

    number: int
    directorates: int = 0  # delegations holding a place (somebody admitted or offered)
    participants: int = 0  # admitted
    offered: int = 0  # seats held for open offers
    waitlisted_directorates: int = 0  # queue entries of a whole group (no place yet)
    waitlisted_participants: int = 0  # people waiting
    late_cancellations: int = 0  # cancelled after the registration became binding

    @property
    def held(self) -> int:
        """Seats taken: admitted plus held for an offer."""
        return self.participants + self.offered

    @property
    def billable(self) -> int:
        """Seats paid for: admitted plus late cancellations."""
        return self.participants + self.late_cancellations


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
        return max(0, self.cohort.max_participants - self.count.held)

    @property
    def free_directorate_places(self) -> int:
        return max(0, self.cohort.max_directorates - self.count.directorates)


@dataclass(frozen=True, slots=True)
class WaitingEntry:
    """One place in a cohort's queue: a whole group (no place yet), or a single participant."""

    seq: int
    directorate: Directorate
    participants: tuple[Participant, ...]
    whole_directorate: bool


@dataclass(frozen=True, slots=True)
class Offer:
    """A held seat (or a group's seats) waiting for an answer."""

    cohort: int
    directorate: Directorate
    participants: tuple[Participant, ...]
    whole_directorate: bool
    until: datetime


@dataclass(frozen=True, slots=True)
class Delegation:
    """One directorate's people in one cohort, the cancelled ones included."""

    directorate: Directorate
    cohort: int
    members: tuple[Participant, ...]

    def with_status(self, *statuses: Status) -> list[Participant]:
        return [p for p in self.members if p.status in statuses]

    @property
    def status(self) -> Status:
        """admitted > offered > waitlisted > cancelled > substituted: the best any member has."""
        present = {p.status for p in self.members}
        for status in (Status.ADMITTED, Status.OFFERED, Status.WAITLISTED, Status.CANCELLED):
            if status in present:
                return status
        return Status.SUBSTITUTED

    @property
    def holds_place(self) -> bool:
        return any(p.status.holds_seat for p in self.members)


def delegations(register: Register, number: int | None = None) -> list[Delegation]:
    """Every (directorate, cohort) that has anybody in it, in registration order."""
    groups: dict[tuple[int, int], list[Participant]] = defaultdict(list)
    for p in register.participants.values():
        if number is None or p.cohort == number:
            groups[(p.directorate_id, p.cohort)].append(p)
    found = [
        Delegation(
            register.directorates[did], cohort, tuple(sorted(people, key=lambda p: (p.seq, p.id)))
        )
        for (did, cohort), people in groups.items()
    ]
    return sorted(found, key=lambda d: (d.cohort, d.members[0].seq, d.directorate.id))


def delegation(register: Register, directorate_id: int, number: int) -> Delegation:
    people = [
        p
        for p in register.members(directorate_id)
        if p.cohort == number
    ]  # fmt: skip
    return Delegation(register.directorate(directorate_id), number, tuple(people))


def holds_place(register: Register, directorate_id: int, number: int) -> bool:
    """Does the directorate take one of the cohort's places (somebody admitted or offered)?"""
    return any(
        p.directorate_id == directorate_id and p.cohort == number and p.status.holds_seat
        for p in register.participants.values()
    )


def standing(register: Register, directorate_id: int) -> Status:
    """Where a registration stands as a whole: the best any of its people has."""
    present = {p.status for p in register.members(directorate_id)}
    for status in (Status.ADMITTED, Status.OFFERED, Status.WAITLISTED):
        if status in present:
            return status
    return Status.CANCELLED


def count_cohorts(register: Register) -> dict[int, CohortCount]:
    """All cohorts' numbers in one pass over the register."""
    tallies = {c.number: [0, 0, 0, 0, 0, 0] for c in register.programme.cohorts}
    # per delegation: does it hold a place, does anybody of it wait?
    place: dict[tuple[int, int], bool] = {}
    for p in register.participants.values():
        tally = tallies.get(p.cohort)
        if tally is None:
            continue
        key = (p.directorate_id, p.cohort)
        status = p.status
        if status is Status.ADMITTED:
            tally[1] += 1
            place[key] = True
        elif status is Status.OFFERED:
            tally[2] += 1
            place[key] = True
        elif status is Status.WAITLISTED:
            tally[4] += 1
            place.setdefault(key, False)
        elif status is Status.CANCELLED and p.billable_cancellation:
            tally[5] += 1
    for (_directorate, cohort), has_place in place.items():
        tallies[cohort][0 if has_place else 3] += 1
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
    if count.directorates >= cohort.max_directorates or count.held >= cohort.max_participants:
        return CohortStatus.FULL
    return CohortStatus.OPEN


def headcount(register: Register, now: datetime) -> list[Headcount]:
    """Every cohort's headcount, in cohort order."""
    counts = count_cohorts(register)
    result = []
    for cohort in sorted(register.programme.cohorts, key=lambda c: c.number):
        count = counts[cohort.number]
        status = cohort_status(cohort, count, now)
        today = now.astimezone(cohort.seminar.start.tzinfo).date()
        days_left = (cohort.registration_deadline - today).days
        result.append(
            Headcount(
                cohort=cohort,
                count=count,
                status=status,
                at_risk=status is not CohortStatus.HELD
                and count.directorates < cohort.min_directorates,
                over_cap=count.held > cohort.max_participants
                or count.directorates > cohort.max_directorates,
                deadline_soon=0 <= days_left <= DEADLINE_WARNING.days,
            )
        )
    return result


def waiting_list(register: Register, number: int) -> list[WaitingEntry]:
    """The cohort's queue, first come first."""
    groups: dict[int, list[Participant]] = defaultdict(list)
    seated: set[int] = set()
    for p in register.participants.values():
        if p.cohort != number:
            continue
        if p.status is Status.WAITLISTED:
            groups[p.directorate_id].append(p)
        elif p.status.holds_seat:
            seated.add(p.directorate_id)
    entries: list[WaitingEntry] = []
    for did, people in groups.items():
        people.sort(key=lambda p: (p.seq, p.id))
        directorate = register.directorates[did]
        if did in seated:
            entries += [WaitingEntry(p.seq, directorate, (p,), False) for p in people]
        else:
            entries.append(WaitingEntry(people[0].seq, directorate, tuple(people), True))
    return sorted(entries, key=lambda e: (e.seq, e.directorate.id))


def waiting_places(register: Register) -> dict[int, int]:
    """Each waiting participant's place in the queue of their cohort (1 is next)."""
    places: dict[int, int] = {}
    for cohort in register.programme.cohorts:
        for place, entry in enumerate(waiting_list(register, cohort.number), 1):
            for participant in entry.participants:
                places[participant.id] = place
    return places


def open_offers(register: Register, number: int | None = None) -> list[Offer]:
    """Seat offers waiting for an answer, the earliest answer-by date first."""
    groups: dict[tuple[int, int, int | None], list[Participant]] = defaultdict(list)
    for p in register.participants.values():
        if p.status is Status.OFFERED and number in (None, p.cohort):
            groups[(p.cohort, p.directorate_id, p.offer_key)].append(p)
    offers = []
    for (cohort, did, _key), people in groups.items():
        people.sort(key=lambda p: (p.seq, p.id))
        until = min(_until(p) for p in people)
        whole = len(people) > 1
        offers.append(Offer(cohort, register.directorates[did], tuple(people), whole, until))
    return sorted(offers, key=lambda o: (o.until, o.cohort, o.participants[0].seq))


def _until(participant: Participant) -> datetime:
    assert participant.offered_until is not None, (
        f"offer without a date: {participant.id}"  # not translated: a bug's message
    )
    return participant.offered_until


def room_for(
    register: Register, number: int, people: int, *, directorate_id: int | None = None
) -> str | None:
    """Why ``people`` more of a directorate do not fit in the cohort now (None: they fit).

    They need a seat each, and a directorate place unless their directorate already has one
    there (``directorate_id`` names it; None means a new registration).
    """
    cohort = register.cohort(number)
    count = count_cohort(register, number)
    needs_place = directorate_id is None or not holds_place(register, directorate_id, number)
    return shortfall(cohort, count, people, needs_place)


def shortfall(cohort: Cohort, count: CohortCount, people: int, needs_place: bool) -> str | None:
    """Why ``people`` more do not fit in the cohort (None: they fit), in the language in use."""
    if needs_place and count.directorates >= cohort.max_directorates:
        return _("hold {number} has no directorate place left ({taken} of {cap})").format(
            number=cohort.number, taken=count.directorates, cap=cohort.max_directorates
        )
    if count.held + people > cohort.max_participants:
        free = max(0, cohort.max_participants - count.held)
        if people == 1:
            text = ngettext(
                "hold {number} has {free} free seat ({taken} of {cap} taken) "
                "and {people} is needed",
                "hold {number} has {free} free seats ({taken} of {cap} taken) "
                "and {people} is needed",
                free,
            )
        else:
            text = ngettext(
                "hold {number} has {free} free seat ({taken} of {cap} taken) "
                "and {people} are needed",
                "hold {number} has {free} free seats ({taken} of {cap} taken) "
                "and {people} are needed",
                free,
            )
        return text.format(
            number=cohort.number,
            free=free,
            taken=count.held,
            cap=cohort.max_participants,
            people=people,
        )
    return None


def fits(cohort: Cohort, count: CohortCount, entry: WaitingEntry) -> bool:
    """Does a waiting entry fit now? A whole group needs a place; a single person a seat."""
    return shortfall(cohort, count, len(entry.participants), entry.whole_directorate) is None


def cohorts_with_room(register: Register, now: datetime, people: int) -> list[Headcount]:
    """Open cohorts where a new directorate of ``people`` would get seats today."""
    return [
        row
        for row in headcount(register, now)
        if row.status in (CohortStatus.OPEN, CohortStatus.FULL)
        and shortfall(row.cohort, row.count, people, True) is None
    ]
