"""The programme's registration rules, as plain functions on a :class:`Register`.

Each function changes the register in place and returns an :class:`Outcome` that says in one
line what happened and who was promoted from a waiting list as a consequence, so the caller can
record it and tell the user. Nothing here reads a clock: ``now`` is always passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from kommunestyre.domain.capacity import (
    CohortCount,
    WaitingEntry,
    count_cohort,
    fits_directorate,
    fits_participant,
    waiting_list,
)
from kommunestyre.domain.model import (
    Cohort,
    Directorate,
    InvoiceDetails,
    Meeting,
    Municipality,
    Participant,
    ParticipantDetails,
    Register,
    Speaker,
    Status,
)
from kommunestyre.domain.municipalities import by_code
from kommunestyre.domain.validation import validate_schedule
from kommunestyre.errors import RuleError, ValidationError

MIN_PARTICIPANT_CAP = 30
MAX_PARTICIPANT_CAP = 40
MAX_DIRECTORATES = 10


@dataclass(frozen=True, slots=True)
class Promotion:
    """Someone who moved from a waiting list into a seat."""

    cohort: int
    directorate_id: int
    participant_ids: tuple[int, ...]
    label: str

    def __str__(self) -> str:
        return f"{self.label} promoted to hold {self.cohort}"


@dataclass(slots=True)
class Outcome:
    """What a rule did: a one-line summary and any promotions it caused."""

    summary: str
    promotions: list[Promotion] = field(default_factory=list)
    admitted: bool | None = None
    billable: bool | None = None

    def lines(self) -> list[str]:
        return [self.summary, *(str(p) for p in self.promotions)]


@dataclass(frozen=True, slots=True)
class CancellationTerms:
    """Whether cancelling now costs money, and why, in words a form can show."""

    billable: bool
    explanation: str


def municipality_name(register: Register, directorate: Directorate) -> str:
    return by_code(directorate.municipality_code).name


def participant_label(register: Register, participant: Participant) -> str:
    directorate = register.directorates[participant.directorate_id]
    return f"{participant.name} ({municipality_name(register, directorate)})"


# -- guards -----------------------------------------------------------------------------------


def _open_cohort(register: Register, number: int, now: datetime) -> Cohort:
    cohort = register.cohort(number)
    if cohort.is_held(now):
        raise RuleError(f"hold {number} has been held; nobody can join it any more")
    return cohort


def _active(participant: Participant, register: Register, now: datetime) -> None:
    """Only someone holding a seat or a queue place, in a cohort not yet held, can be changed."""
    if not participant.status.is_active:
        raise RuleError(
            f"{participant_label(register, participant)} is {participant.status.value}, "
            "not registered"
        )
    _open_cohort(register, participant.cohort, now)


def _bind_if_leaving_binding(register: Register, participant: Participant, now: datetime) -> None:
    """A seat that became binding stays billable wherever its holder moves."""
    if participant.status is Status.ADMITTED and register.cohort(participant.cohort).is_binding(
        now
    ):
        participant.bound = True


_ACTIVE = frozenset({Status.ADMITTED, Status.WAITLISTED})


def _check_email_free(register: Register, *emails: str, except_ids: Sequence[int] = ()) -> None:
    """One person, one active registration: the e-mail address identifies them.

    Several addresses are checked in one pass over the register (a directorate, an import).
    """
    wanted = [e for e in emails if e]
    if not wanted:
        return
    keys = {e.casefold() for e in wanted}
    taken: dict[str, Participant] = {}
    for other in register.participants.values():
        if other.status not in _ACTIVE or other.id in except_ids:
            continue
        key = other.details.email.casefold()
        if key in keys:
            taken.setdefault(key, other)
    for email in wanted:
        holder = taken.get(email.casefold())
        if holder is not None:
            raise ValidationError(
                "email",
                f"{email} is already registered for {participant_label(register, holder)}",
            )


def _check_emails_distinct(members: Sequence[ParticipantDetails]) -> None:
    seen: set[str] = set()
    for details in members:
        key = details.email.casefold()
        if key and key in seen:
            raise ValidationError("email", f"{details.email} is given for two people")
        seen.add(key)


# -- admission ----------------------------------------------------------------------------------


def would_admit_directorate(register: Register, number: int, size: int) -> bool:
    """Would a directorate of ``size`` people get seats in the cohort right now?"""
    return fits_directorate(register.cohort(number), count_cohort(register, number), size)


def register_directorate(
    register: Register,
    municipality: Municipality,
    cohort_number: int,
    members: Sequence[ParticipantDetails],
    invoice: InvoiceDetails,
    now: datetime,
) -> tuple[Directorate, Outcome]:
    """Register a municipality's directorate: seats if it fits, else the waiting list."""
    cohort = _open_cohort(register, cohort_number, now)
    existing = register.directorate_of_municipality(municipality.code)
    if existing is not None:
        raise RuleError(
            f"{municipality.name} is already registered (hold {existing.cohort}, "
            f"{existing.status.value})"
        )
    if not members:
        raise RuleError("a directorate needs at least one participant")
    if len(members) > cohort.max_participants:
        raise RuleError(
            f"{len(members)} participants are more than hold {cohort.number}'s cap of "
            f"{cohort.max_participants}; split the registration"
        )
    _check_emails_distinct(members)
    _check_email_free(register, *(details.email for details in members))

    admitted = would_admit_directorate(register, cohort.number, len(members))
    status = Status.ADMITTED if admitted else Status.WAITLISTED
    directorate = Directorate(
        id=register.take_directorate_id(),
        municipality_code=municipality.code,
        cohort=cohort.number,
        status=status,
        seq=register.take_seq(),
        registered_at=now,
        invoice=invoice,
    )
    register.directorates[directorate.id] = directorate
    for details in members:
        _new_participant(register, directorate, cohort.number, details, status, now)

    where = "admitted to" if admitted else "put on the waiting list of"
    people = f"{len(members)} participant{'s' if len(members) != 1 else ''}"
    return directorate, Outcome(
        f"{municipality.name} {where} hold {cohort.number} with {people}", admitted=admitted
    )


def _new_participant(
    register: Register,
    directorate: Directorate,
    cohort: int,
    details: ParticipantDetails,
    status: Status,
    now: datetime,
) -> Participant:
    participant = Participant(
        id=register.take_participant_id(),
        directorate_id=directorate.id,
        cohort=cohort,
        details=details,
        status=status,
        seq=register.take_seq(),
        registered_at=now,
    )
    register.participants[participant.id] = participant
    return participant


def _joins_waiting_directorate(directorate: Directorate, cohort: int) -> bool:
    return directorate.status is Status.WAITLISTED and directorate.cohort == cohort


def add_participant(
    register: Register,
    directorate_id: int,
    details: ParticipantDetails,
    now: datetime,
    *,
    cohort_number: int | None = None,
) -> tuple[Participant, Outcome]:
    """One more person for a registered directorate: a free seat, or the waiting list."""
    directorate = register.directorate(directorate_id)
    name = municipality_name(register, directorate)
    if directorate.status is Status.CANCELLED:
        raise RuleError(f"{name}'s registration is cancelled")
    number = directorate.cohort if cohort_number is None else cohort_number
    cohort = _open_cohort(register, number, now)
    _check_email_free(register, details.email)

    if _joins_waiting_directorate(directorate, number):
        waiting = [p for p in register.members(directorate.id) if p.status is Status.WAITLISTED]
        if len(waiting) + 1 > cohort.max_participants:
            raise RuleError(f"{name} would be larger than hold {number}'s cap")
        admitted = False
    else:
        admitted = fits_participant(cohort, count_cohort(register, number))
    status = Status.ADMITTED if admitted else Status.WAITLISTED
    participant = _new_participant(register, directorate, number, details, status, now)
    where = "admitted to" if admitted else "put on the waiting list of"
    return participant, Outcome(f"{details.name} ({name}) {where} hold {number}", admitted=admitted)


def edit_participant(
    register: Register, participant_id: int, details: ParticipantDetails
) -> Outcome:
    """Correct a person's details (a typo in an e-mail, a new title)."""
    participant = register.participant(participant_id)
    if details.email.casefold() != participant.details.email.casefold():
        _check_email_free(register, details.email, except_ids=[participant.id])
    participant.details = details
    return Outcome(f"details of {participant_label(register, participant)} updated")


def edit_invoice(register: Register, directorate_id: int, invoice: InvoiceDetails) -> Outcome:
    directorate = register.directorate(directorate_id)
    directorate.invoice = invoice
    return Outcome(f"invoice details of {municipality_name(register, directorate)} updated")


# -- promotion ----------------------------------------------------------------------------------


def _fits(cohort: Cohort, count: CohortCount, entry: WaitingEntry) -> bool:
    if entry.whole_directorate:
        return fits_directorate(cohort, count, len(entry.participants))
    return fits_participant(cohort, count)


def promote(register: Register, cohort_number: int, now: datetime) -> list[Promotion]:
    """Fill free seats from the waiting list: the first entry that fits, again and again."""
    cohort = register.cohort(cohort_number)
    if cohort.is_held(now):
        return []
    promotions: list[Promotion] = []
    while True:
        count = count_cohort(register, cohort_number)
        entry = next(
            (e for e in waiting_list(register, cohort_number) if _fits(cohort, count, e)), None
        )
        if entry is None:
            return promotions
        if entry.whole_directorate:
            entry.directorate.status = Status.ADMITTED
            label = municipality_name(register, entry.directorate)
        else:
            label = participant_label(register, entry.participants[0])
        for participant in entry.participants:
            participant.status = Status.ADMITTED
        promotions.append(
            Promotion(
                cohort=cohort_number,
                directorate_id=entry.directorate.id,
                participant_ids=tuple(p.id for p in entry.participants),
                label=label,
            )
        )


# -- moves ------------------------------------------------------------------------------------


def move_directorate(
    register: Register, directorate_id: int, target: int, now: datetime
) -> Outcome:
    """Move a directorate with the members it has in its cohort; it joins the target's queue
    at the back if it does not fit."""
    directorate = register.directorate(directorate_id)
    name = municipality_name(register, directorate)
    if not directorate.status.is_active:
        raise RuleError(f"{name}'s registration is cancelled")
    source = directorate.cohort
    if target == source:
        raise RuleError(f"{name} is already in hold {target}")
    cohort = _open_cohort(register, target, now)
    members = [
        p for p in register.members(directorate.id) if p.cohort == source and p.status.is_active
    ]
    if not members:
        raise RuleError(f"{name} has nobody registered in hold {source} to move")
    admitted = fits_directorate(cohort, count_cohort(register, target), len(members))
    status = Status.ADMITTED if admitted else Status.WAITLISTED
    directorate.cohort = target
    directorate.status = status
    directorate.seq = register.take_seq()
    for participant in members:
        _bind_if_leaving_binding(register, participant, now)
        participant.cohort = target
        participant.status = status
        participant.seq = register.take_seq()
    where = "admitted" if admitted else "on the waiting list"
    return Outcome(
        f"{name} moved from hold {source} to hold {target} ({where})",
        promotions=promote(register, source, now),
        admitted=admitted,
    )


def move_participant(
    register: Register, participant_id: int, target: int, now: datetime
) -> Outcome:
    """Move one person to another cohort (say the dates of their own do not suit them)."""
    participant = register.participant(participant_id)
    _active(participant, register, now)
    source = participant.cohort
    label = participant_label(register, participant)
    if target == source:
        raise RuleError(f"{label} is already in hold {target}")
    cohort = _open_cohort(register, target, now)
    directorate = register.directorates[participant.directorate_id]
    if _joins_waiting_directorate(directorate, target):
        admitted = False
    else:
        admitted = fits_participant(cohort, count_cohort(register, target))
    _bind_if_leaving_binding(register, participant, now)
    participant.cohort = target
    participant.status = Status.ADMITTED if admitted else Status.WAITLISTED
    participant.seq = register.take_seq()
    where = "admitted" if admitted else "on the waiting list"
    return Outcome(
        f"{label} moved from hold {source} to hold {target} ({where})",
        promotions=promote(register, source, now),
        admitted=admitted,
    )


# -- cancellation -------------------------------------------------------------------------------


def cancellation_terms(register: Register, participant_id: int, now: datetime) -> CancellationTerms:
    """Free before the cohort's deadline; binding (billable) after it; always free when waiting."""
    participant = register.participant(participant_id)
    cohort = register.cohort(participant.cohort)
    deadline = _short_date(cohort.registration_deadline)
    if participant.status is not Status.ADMITTED:
        return CancellationTerms(False, "free: the participant is on the waiting list")
    if participant.bound:
        return CancellationTerms(
            True, "binding: the registration became binding before the move to this cohort"
        )
    if cohort.is_binding(now):
        return CancellationTerms(
            True,
            f"binding: the deadline of hold {cohort.number} passed on {deadline}, "
            "so the seat stays on the invoice",
        )
    return CancellationTerms(False, f"free: the deadline of hold {cohort.number} is {deadline}")


def _short_date(day: date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def _cancel_one(register: Register, participant: Participant, now: datetime) -> bool:
    terms = cancellation_terms(register, participant.id, now)
    participant.status = Status.CANCELLED
    participant.cancelled_at = now
    participant.billable_cancellation = terms.billable
    return terms.billable


def cancel_participant(register: Register, participant_id: int, now: datetime) -> Outcome:
    """Cancel one person; their seat goes to the waiting list. A directorate left with nobody
    is cancelled with them."""
    participant = register.participant(participant_id)
    _active(participant, register, now)
    label = participant_label(register, participant)
    billable = _cancel_one(register, participant, now)
    terms = "binding, billable" if billable else "free"
    return Outcome(
        f"{label} cancelled ({terms})",
        promotions=_after_leaving(register, participant, now),
        billable=billable,
    )


def _after_leaving(register: Register, participant: Participant, now: datetime) -> list[Promotion]:
    """Someone left: a directorate left with nobody is cancelled, and freed places are offered
    to the waiting lists of the person's cohort and of their directorate's."""
    directorate = register.directorates[participant.directorate_id]
    if directorate.status.is_active and not any(
        p.status.is_active for p in register.members(directorate.id)
    ):
        directorate.status = Status.CANCELLED
        directorate.cancelled_at = now
    cohorts = sorted({participant.cohort, directorate.cohort})
    return [p for number in cohorts for p in promote(register, number, now)]


def cancel_directorate(register: Register, directorate_id: int, now: datetime) -> Outcome:
    """Withdraw a whole directorate, wherever its members are seated."""
    directorate = register.directorate(directorate_id)
    name = municipality_name(register, directorate)
    if not directorate.status.is_active:
        raise RuleError(f"{name}'s registration is already cancelled")
    cohorts = {directorate.cohort}
    billable = 0
    for participant in register.members(directorate.id):
        if participant.status.is_active:
            cohorts.add(participant.cohort)
            billable += _cancel_one(register, participant, now)
    directorate.status = Status.CANCELLED
    directorate.cancelled_at = now
    promotions = [p for number in sorted(cohorts) for p in promote(register, number, now)]
    terms = f"{billable} seat(s) stay billable" if billable else "free"
    return Outcome(f"{name} cancelled ({terms})", promotions=promotions, billable=billable > 0)


# -- erasure ------------------------------------------------------------------------------------

ERASED_NAME = "(erased)"


def erase_participant(register: Register, participant_id: int, now: datetime) -> Outcome:
    """GDPR erasure. A person whose seat is on the invoice (a binding seat, or a cancellation
    after the deadline) leaves an anonymous record so the invoice stays right; anyone else is
    removed completely. A seat they held goes to the waiting list. If the person is also their
    municipality's contact (same e-mail), the contact record loses the personal data too."""
    participant = register.participant(participant_id)
    email = participant.details.email.casefold()
    was_active = participant.status.is_active
    terms = cancellation_terms(register, participant_id, now)
    keeps_invoice_line = participant.is_billable and (
        participant.status is Status.CANCELLED or terms.billable
    )
    if keeps_invoice_line:
        participant.details = ParticipantDetails(name=ERASED_NAME, field=participant.details.field)
        if participant.status is Status.ADMITTED:
            participant.status = Status.CANCELLED
            participant.cancelled_at = now
            participant.billable_cancellation = True
        summary = "a participant's personal data was erased; the invoice line stays, anonymous"
    else:
        del register.participants[participant_id]
        for other in register.participants.values():
            if other.replaces == participant_id:
                other.replaces = None
            if other.replaced_by == participant_id:
                other.replaced_by = None
        summary = "a participant's data was erased"
    for contact in register.contacts.values():
        if email and contact.email.casefold() == email:
            contact.name = contact.title = contact.email = contact.notes = ""
            summary += "; the municipality's contact record was emptied as well"
    promotions = _after_leaving(register, participant, now) if was_active else []
    return Outcome(summary, promotions=promotions, billable=keeps_invoice_line)


# -- substitution -------------------------------------------------------------------------------


def substitute(
    register: Register, participant_id: int, details: ParticipantDetails, now: datetime
) -> tuple[Participant, Outcome]:
    """A named substitute takes over a seat (or queue place) and its invoice line; the original
    stays on record as substituted."""
    original = register.participant(participant_id)
    _active(original, register, now)
    _check_email_free(register, details.email, except_ids=[original.id])
    label = participant_label(register, original)
    replacement = Participant(
        id=register.take_participant_id(),
        directorate_id=original.directorate_id,
        cohort=original.cohort,
        details=details,
        status=original.status,
        seq=original.seq,
        registered_at=now,
        replaces=original.id,
        bound=original.bound,
    )
    register.participants[replacement.id] = replacement
    original.status = Status.SUBSTITUTED
    original.replaced_by = replacement.id
    return replacement, Outcome(f"{details.name} takes over from {label} in hold {original.cohort}")


# -- cohort settings ----------------------------------------------------------------------------


def validate_capacity(min_directorates: int, max_directorates: int, max_participants: int) -> None:
    """The programme's limits: 1 <= min <= max <= 10 directorates, a cap of 30 to 40 people."""
    if not 1 <= max_directorates <= MAX_DIRECTORATES:
        raise ValidationError(
            "max_directorates", f"must be between 1 and {MAX_DIRECTORATES} (got {max_directorates})"
        )
    if not 1 <= min_directorates <= max_directorates:
        raise ValidationError(
            "min_directorates",
            f"must be between 1 and the maximum of {max_directorates} (got {min_directorates})",
        )
    if not MIN_PARTICIPANT_CAP <= max_participants <= MAX_PARTICIPANT_CAP:
        raise ValidationError(
            "max_participants",
            f"must be between {MIN_PARTICIPANT_CAP} and {MAX_PARTICIPANT_CAP} "
            f"(got {max_participants})",
        )


def change_capacity(
    register: Register,
    cohort_number: int,
    *,
    min_directorates: int,
    max_directorates: int,
    max_participants: int,
    now: datetime,
) -> Outcome:
    """New limits for a cohort; raised limits promote from the waiting list at once.

    Lowered limits never push anyone out: the overview warns that the cohort is over its cap.
    """
    validate_capacity(min_directorates, max_directorates, max_participants)
    cohort = register.cohort(cohort_number)
    cohort.min_directorates = min_directorates
    cohort.max_directorates = max_directorates
    cohort.max_participants = max_participants
    return Outcome(
        f"hold {cohort_number} capacity set to {min_directorates}-{max_directorates} "
        f"directorates, at most {max_participants} participants",
        promotions=promote(register, cohort_number, now),
    )


def admit_waiting(register: Register, participant_id: int, now: datetime) -> Outcome:
    """Admit the waiting entry a participant belongs to, ahead of the queue, if it fits.

    The coordinator's override: normal promotion takes the first entry that fits; this lets a
    coordinator choose, but never past a cohort's limits.
    """
    participant = register.participant(participant_id)
    label = participant_label(register, participant)
    if participant.status is not Status.WAITLISTED:
        raise RuleError(f"{label} is not on a waiting list")
    cohort = _open_cohort(register, participant.cohort, now)
    entry = next(e for e in waiting_list(register, cohort.number) if participant in e.participants)
    count = count_cohort(register, cohort.number)
    if not _fits(cohort, count, entry):
        what = "its directorate" if entry.whole_directorate else label
        raise RuleError(
            f"hold {cohort.number} has no room for {what}: {count.participants}/"
            f"{cohort.max_participants} participants, {count.directorates}/"
            f"{cohort.max_directorates} directorates"
        )
    if entry.whole_directorate:
        entry.directorate.status = Status.ADMITTED
        label = municipality_name(register, entry.directorate)
    for member in entry.participants:
        member.status = Status.ADMITTED
    return Outcome(f"{label} admitted to hold {cohort.number} from the waiting list", admitted=True)


def update_cohort(
    register: Register,
    number: int,
    *,
    seminar: Meeting,
    followup: Meeting,
    registration_deadline: date,
    min_directorates: int,
    max_directorates: int,
    max_participants: int,
    themes: Sequence[str],
    now: datetime,
) -> Outcome:
    """New settings for a cohort, checked as a whole; raised limits promote at once."""
    validate_schedule(seminar, followup, registration_deadline)
    validate_capacity(min_directorates, max_directorates, max_participants)
    cohort = register.cohort(number)
    cohort.seminar = seminar
    cohort.followup = followup
    cohort.registration_deadline = registration_deadline
    cohort.themes = [theme.strip() for theme in themes if theme.strip()]
    outcome = change_capacity(
        register,
        number,
        min_directorates=min_directorates,
        max_directorates=max_directorates,
        max_participants=max_participants,
        now=now,
    )
    return Outcome(f"settings of hold {number} updated", promotions=outcome.promotions)


def set_speakers(register: Register, number: int, speakers: Sequence[Speaker]) -> Outcome:
    """The cohort's speakers and moderators, in the order given."""
    cohort = register.cohort(number)
    cohort.speakers = list(speakers)
    return Outcome(f"speakers and moderators of hold {number} updated")
