"""Who came: the check-in at a cohort's seminar and follow-up day.

Only a person with a seat in the cohort (admitted) can be marked. Attendance changes no money:
a no-show holds a paid seat (the registration became binding at the deadline, long before the
meeting) and stays billable; :func:`no_shows` lists them as such. Nothing here reads a clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from kommunestyre.domain.model import MEETINGS, Attendance, Participant, Register, Status
from kommunestyre.domain.rules import Outcome, municipality_name, participant_label
from kommunestyre.errors import RuleError, ValidationError
from kommunestyre.i18n import N_, _, ngettext

#: The meetings in words, as a sentence names them.
MEETING_WORDS = {"seminar": N_("the seminar"), "followup": N_("the follow-up day")}

#: What a mark says, by the value recorded.
_MARKED = {
    True: N_("{person}: present at {meeting} of hold {number}"),
    False: N_("{person}: absent from {meeting} of hold {number} (the seat stays billable)"),
    None: N_("{person}: attendance at {meeting} of hold {number} undone"),
}


def meeting_word(meeting: str) -> str:
    return _(MEETING_WORDS[meeting])


def check_meeting(meeting: str) -> str:
    if meeting not in MEETINGS:
        raise ValidationError(
            "meeting",
            _("{value} is not a meeting (seminar or followup)").format(value=repr(meeting)),
        )
    return meeting


def can_attend(participant: Participant) -> bool:
    """Holds a seat in their cohort: the only people the check-in lists and marks."""
    return participant.status is Status.ADMITTED


def marked(attendance: Attendance, cohort: int, meeting: str, present: bool | None) -> Attendance:
    """``attendance`` with ``meeting`` of ``cohort`` set (marks of another cohort are dropped)."""
    base = attendance if attendance.cohort == cohort else Attendance(cohort)
    if meeting == "seminar":
        return base._replace(seminar=present)
    return base._replace(followup=present)


def mark(
    register: Register,
    participant_id: int,
    meeting: str,
    present: bool | None,
    now: datetime,  # the rules' signature; the check-in reads no clock
) -> Outcome:
    """Mark a person present (True), absent (False) or not recorded (None, the undo)."""
    check_meeting(meeting)
    person = register.participant(participant_id)
    if not can_attend(person):
        raise RuleError(
            _(
                "{person} has no seat in hold {number} ({status}): "
                "only admitted people can be checked in"
            ).format(
                person=participant_label(register, person),
                number=person.cohort,
                status=person.status.label,
            )
        )
    person.attendance = marked(person.attendance, person.cohort, meeting, present)
    return Outcome(
        _(_MARKED[present]).format(
            person=participant_label(register, person),
            meeting=meeting_word(meeting),
            number=person.cohort,
        )
    )


def mark_directorate(
    register: Register,
    directorate_id: int,
    meeting: str,
    present: bool | None,
    now: datetime,
    cohort: int | None = None,
) -> tuple[list[int], Outcome]:
    """Mark every person of a municipality's registration with a seat (in ``cohort``, which
    must be named when they sit in more than one)."""
    check_meeting(meeting)
    directorate = register.directorate(directorate_id)
    town = municipality_name(register, directorate)
    people = [
        p
        for p in register.members(directorate_id)
        if can_attend(p) and (cohort is None or p.cohort == cohort)
    ]
    if not people:
        raise RuleError(
            _("{municipality} has nobody with a seat to check in").format(municipality=town)
            if cohort is None
            else _("{municipality} has nobody with a seat in hold {number}").format(
                municipality=town, number=cohort
            )
        )
    cohorts = sorted({p.cohort for p in people})
    if len(cohorts) > 1:
        raise RuleError(
            _("{municipality} has people in hold {numbers}: name one with --cohort").format(
                municipality=town, numbers=", ".join(str(n) for n in cohorts)
            )
        )
    for person in people:
        mark(register, person.id, meeting, present, now)
    words = dict(municipality=town, n=len(people), meeting=meeting_word(meeting), number=cohorts[0])
    if present is None:
        summary = ngettext(
            "{municipality}: attendance at {meeting} of hold {number} undone for {n} person",
            "{municipality}: attendance at {meeting} of hold {number} undone for {n} people",
            len(people),
        ).format(**words)
    else:
        summary = ngettext(
            "{municipality}: {n} person marked {what} at {meeting} of hold {number}",
            "{municipality}: {n} people marked {what} at {meeting} of hold {number}",
            len(people),
        ).format(what=state_word(present), **words)
    return [p.id for p in people], Outcome(summary)


_STATE_WORDS = {True: N_("present"), False: N_("absent"), None: N_("not recorded")}


def state_word(present: bool | None) -> str:
    return _(_STATE_WORDS[present])


@dataclass(frozen=True, slots=True)
class Attended:
    """A cohort's check-in in numbers: present per meeting of the people expected (those with
    a seat), and whether anything was recorded for the meeting at all."""

    expected: int
    present: dict[str, int]
    absent: dict[str, int]

    def recorded(self, meeting: str) -> bool:
        return bool(self.present[meeting] or self.absent[meeting])

    @property
    def any_recorded(self) -> bool:
        return any(self.recorded(m) for m in MEETINGS)

    def shown(self, meeting: str) -> str:
        """``30/32`` when recorded, else ``–/32``."""
        present = self.present[meeting] if self.recorded(meeting) else "–"
        return f"{present}/{self.expected}"


def seated(register: Register, cohort: int) -> list[Participant]:
    return [p for p in register.participants.values() if p.cohort == cohort and can_attend(p)]


def attended(register: Register, cohort: int) -> Attended:
    people = seated(register, cohort)
    present = {m: sum(1 for p in people if p.attendance.at(cohort, m) is True) for m in MEETINGS}
    absent = {m: sum(1 for p in people if p.attendance.at(cohort, m) is False) for m in MEETINGS}
    return Attended(len(people), present, absent)


def no_shows(register: Register, cohort: int, meeting: str) -> list[Participant]:
    """The people marked absent: they hold a paid seat, and stay billable."""
    found = [p for p in seated(register, cohort) if p.attendance.at(cohort, meeting) is False]
    return sorted(found, key=lambda p: p.name.casefold())


def came_to_seminar(register: Register, cohorts: Sequence[int]) -> set[int]:
    """Who the follow-up letter thanks for the seminar, of ``cohorts``: in a cohort whose
    seminar check-in was recorded, those marked present; elsewhere everyone with a seat."""
    found: set[int] = set()
    for number in cohorts:
        people = seated(register, number)
        if any(p.attendance.at(number, "seminar") is not None for p in people):
            people = [p for p in people if p.attendance.at(number, "seminar") is True]
        found.update(p.id for p in people)
    return found
