"""The programme's registration rules, as plain functions on a :class:`Register`.

Each function changes the register in place and returns an :class:`Outcome` that says in one
line what happened and who was promoted (or offered a seat) as a consequence, so the caller can
record it and tell the user. Nothing here reads a clock: ``now`` is always passed in.

What every rule keeps true (``tests/test_registry_state.py`` checks it after every step of
random sequences of changes):

1. **One place per person.** Every participant is admitted, offered (a seat held until
   ``offered_until``), waitlisted, cancelled or substituted; an erased person is gone, or an
   anonymous cancelled record when the seat stays on the invoice. An e-mail address belongs to
   at most one active person, a municipality to at most one active registration.
2. **Caps.** In every cohort, seats taken (admitted + offered) stay within
   ``max_participants`` and places taken (delegations with somebody admitted or offered) within
   ``max_directorates``. Only lowering a cap can leave a cohort above it; nobody is pushed out.
3. **Promotion.** Whenever seats or places are free, no waiting entry fits: the first entry
   that fits, in registration order, is admitted (before the deadline) or offered the seat
   (after it). An offer stands for ``programme.offer_days``; declining or letting it lapse
   cancels it (free) and offers the seat to the next.
4. **Money.** Billable = admitted + cancelled after the registration became binding, each seat
   once, in the cohort where it sits, under its municipality. An offered seat is not billed
   until it is accepted; a reinstated or moved seat is billed once.
5. **Queue order.** A cohort's waiting list is in registration order (a move or a new
   registration joins at the back; a reinstated entry returns to its old place).

Counting lives in :mod:`kommunestyre.domain.capacity`, money in :mod:`kommunestyre.domain.pricing`;
every screen, list, letter and command asks them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from kommunestyre.domain.capacity import (
    Offer,
    WaitingEntry,
    count_cohort,
    delegation,
    fits,
    open_offers,
    room_for,
    waiting_list,
    waiting_places,
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
from kommunestyre.i18n import _, ngettext

MIN_PARTICIPANT_CAP = 30
MAX_PARTICIPANT_CAP = 40
MAX_DIRECTORATES = 10
ERASED_NAME = "(erased)"


@dataclass(frozen=True, slots=True)
class Promotion:
    """Someone who moved from a waiting list into a seat, or was offered one."""

    cohort: int
    directorate_id: int
    participant_ids: tuple[int, ...]
    label: str
    offered_until: datetime | None = None

    def __str__(self) -> str:
        if self.offered_until is not None:
            return _("{name} offered a seat in hold {number} (answer by {day})").format(
                name=self.label, number=self.cohort, day=_short_date(self.offered_until.date())
            )
        return _("{name} promoted to hold {number}").format(name=self.label, number=self.cohort)


@dataclass(slots=True)
class Outcome:
    """What a rule did: a one-line summary and any promotions it caused (in the language in use
    when it happened: the history keeps the words as they were written)."""

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


def _short_date(day: date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


# -- guards -----------------------------------------------------------------------------------


def _open_cohort(register: Register, number: int, now: datetime) -> Cohort:
    cohort = register.cohort(number)
    if cohort.is_held(now):
        raise RuleError(
            _("hold {number} has been held; nobody can join it any more").format(number=number)
        )
    return cohort


def _active(participant: Participant, register: Register, now: datetime) -> None:
    """Only someone holding a seat, an offer or a queue place, in a cohort not yet held."""
    if not participant.status.is_active:
        raise RuleError(
            _("{name} is {status}, not registered").format(
                name=participant_label(register, participant), status=participant.status.label
            )
        )
    _open_cohort(register, participant.cohort, now)


def _not_offered(participant: Participant, register: Register) -> None:
    if participant.status is Status.OFFERED:
        raise RuleError(
            _("{name} holds a seat offer in hold {number}: accept or decline it first").format(
                name=participant_label(register, participant), number=participant.cohort
            )
        )


def _bind_if_leaving_binding(register: Register, participant: Participant, now: datetime) -> None:
    """A seat that became binding stays billable wherever its holder moves."""
    if participant.status is Status.ADMITTED and register.cohort(participant.cohort).is_binding(
        now
    ):
        participant.bound = True


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
        if not other.status.is_active or other.id in except_ids:
            continue
        key = other.details.email.casefold()
        if key in keys:
            taken.setdefault(key, other)
    for email in wanted:
        holder = taken.get(email.casefold())
        if holder is not None:
            raise ValidationError(
                "email",
                _("{email} is already registered for {name}").format(
                    email=email, name=participant_label(register, holder)
                ),
            )


def _check_emails_distinct(members: Sequence[ParticipantDetails]) -> None:
    seen: set[str] = set()
    for details in members:
        key = details.email.casefold()
        if key and key in seen:
            raise ValidationError(
                "email", _("{email} is given for two people").format(email=details.email)
            )
        seen.add(key)


def _seat(participant: Participant, status: Status) -> None:
    """Put a person in ``status`` (admitted or waiting), clearing what no longer applies."""
    participant.status = status
    participant.offered_until = None
    participant.offer_key = None
    participant.cancelled_at = None
    participant.cancelled_from = None
    participant.billable_cancellation = False


# -- admission ----------------------------------------------------------------------------------


def would_admit_directorate(register: Register, number: int, size: int) -> bool:
    """Would a new directorate of ``size`` people get seats in the cohort right now?"""
    return room_for(register, number, size) is None


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
            _("{name} is already registered (hold {number})").format(
                name=municipality.name, number=existing.cohort
            )
        )
    if not members:
        raise RuleError(_("a directorate needs at least one participant"))
    if len(members) > cohort.max_participants:
        raise RuleError(
            _(
                "{n} participants are more than hold {number}'s cap of {cap}; "
                "split the registration"
            ).format(n=len(members), number=cohort.number, cap=cohort.max_participants)
        )
    _check_emails_distinct(members)
    _check_email_free(register, *(details.email for details in members))

    admitted = would_admit_directorate(register, cohort.number, len(members))
    status = Status.ADMITTED if admitted else Status.WAITLISTED
    directorate = Directorate(
        id=register.take_directorate_id(),
        municipality_code=municipality.code,
        cohort=cohort.number,
        seq=register.take_seq(),
        registered_at=now,
        invoice=invoice,
    )
    register.directorates[directorate.id] = directorate
    for details in members:
        _new_participant(register, directorate, cohort.number, details, status, now)

    size = len(members)
    if admitted:
        text = ngettext(
            "{name} admitted to hold {number} with {n} participant",
            "{name} admitted to hold {number} with {n} participants",
            size,
        )
    else:
        text = ngettext(
            "{name} put on the waiting list of hold {number} with {n} participant",
            "{name} put on the waiting list of hold {number} with {n} participants",
            size,
        )
    return directorate, Outcome(
        text.format(name=municipality.name, number=cohort.number, n=size), admitted=admitted
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


def _joins_waiting_group(register: Register, directorate_id: int, number: int) -> bool:
    """Does the directorate wait as a group in the cohort (people waiting, no place yet)?"""
    here = delegation(register, directorate_id, number)
    return not here.holds_place and bool(here.with_status(Status.WAITLISTED))


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
    if not register.is_registered(directorate_id):
        raise RuleError(_("{name}'s registration is cancelled").format(name=name))
    number = directorate.cohort if cohort_number is None else cohort_number
    cohort = _open_cohort(register, number, now)
    _check_email_free(register, details.email)

    if _joins_waiting_group(register, directorate_id, number):
        waiting = delegation(register, directorate_id, number).with_status(Status.WAITLISTED)
        if len(waiting) + 1 > cohort.max_participants:
            raise RuleError(
                _("{name} would be larger than hold {number}'s cap").format(
                    name=name, number=number
                )
            )
        admitted = False
    else:
        admitted = room_for(register, number, 1, directorate_id=directorate_id) is None
    status = Status.ADMITTED if admitted else Status.WAITLISTED
    participant = _new_participant(register, directorate, number, details, status, now)
    if admitted:
        text = _("{name} admitted to hold {number}")
    else:
        text = _("{name} put on the waiting list of hold {number}")
    label = f"{details.name} ({name})"
    return participant, Outcome(text.format(name=label, number=number), admitted=admitted)


def edit_participant(
    register: Register, participant_id: int, details: ParticipantDetails
) -> Outcome:
    """Correct a person's details (a typo in an e-mail, a new title)."""
    participant = register.participant(participant_id)
    if details.email.casefold() != participant.details.email.casefold():
        _check_email_free(register, details.email, except_ids=[participant.id])
    participant.details = details
    return Outcome(
        _("details of {name} updated").format(name=participant_label(register, participant))
    )


def edit_invoice(register: Register, directorate_id: int, invoice: InvoiceDetails) -> Outcome:
    directorate = register.directorate(directorate_id)
    directorate.invoice = invoice
    return Outcome(
        _("invoice details of {name} updated").format(name=municipality_name(register, directorate))
    )


# -- promotion and seat offers ----------------------------------------------------------------


def _entry_label(register: Register, entry: WaitingEntry | Offer) -> str:
    if entry.whole_directorate and len(entry.participants) > 1:
        return municipality_name(register, entry.directorate)
    return participant_label(register, entry.participants[0])


def promote(
    register: Register, cohort_number: int, now: datetime, *, at: datetime | None = None
) -> list[Promotion]:
    """Fill free seats from the waiting list: the first entry that fits, again and again.

    Before the cohort's deadline the entry is admitted; after it, the seat is offered until
    ``offer_days`` after ``at`` (the moment the seat came free; default ``now``), but no later
    than the start of the seminar. Once the seminar has begun nobody is promoted any more.
    """
    when = at or now
    cohort = register.cohort(cohort_number)
    if when >= cohort.seminar.start:
        return []
    until = min(when + timedelta(days=register.programme.offer_days), cohort.seminar.start)
    binding = cohort.is_binding(when)
    promotions: list[Promotion] = []
    while True:
        count = count_cohort(register, cohort_number)
        entry = next(
            (e for e in waiting_list(register, cohort_number) if fits(cohort, count, e)), None
        )
        if entry is None:
            return promotions
        for participant in entry.participants:
            _seat(participant, Status.OFFERED if binding else Status.ADMITTED)
            if binding:
                participant.offered_until = until
                participant.offer_key = entry.seq
        promotions.append(
            Promotion(
                cohort=cohort_number,
                directorate_id=entry.directorate.id,
                participant_ids=tuple(p.id for p in entry.participants),
                label=_entry_label(register, entry),
                offered_until=until if binding else None,
            )
        )


def offer_of(register: Register, participant_id: int) -> Offer:
    """The open seat offer a participant is part of."""
    participant = register.participant(participant_id)
    if participant.status is not Status.OFFERED:
        raise RuleError(
            _("{name} has no open seat offer ({status})").format(
                name=participant_label(register, participant), status=participant.status.label
            )
        )
    return next(
        o for o in open_offers(register, participant.cohort) if participant in o.participants
    )


def accept_offer(register: Register, participant_id: int, now: datetime) -> Outcome:
    """Take up a seat offer: the seat (or the group's seats) is theirs, binding from now on."""
    offer = offer_of(register, participant_id)
    if offer.until <= now:
        raise RuleError(_("the offer to {name} ran out").format(name=_entry_label(register, offer)))
    _open_cohort(register, offer.cohort, now)
    for participant in offer.participants:
        _seat(participant, Status.ADMITTED)
    return Outcome(
        _("{name} accepted the seat offer: admitted to hold {number} (binding)").format(
            name=_entry_label(register, offer), number=offer.cohort
        ),
        admitted=True,
        billable=True,
    )


def _give_up_offer(register: Register, offer: Offer, at: datetime) -> None:
    for participant in offer.participants:
        participant.status = Status.CANCELLED
        participant.cancelled_from = Status.OFFERED
        participant.cancelled_at = at
        participant.offered_until = None
        participant.offer_key = None
        participant.billable_cancellation = False
    _note_withdrawal(register, offer.directorate, at)
    _rehome(register, offer.directorate)


def decline_offer(register: Register, participant_id: int, now: datetime) -> Outcome:
    """Turn a seat offer down (free): the seat is offered to the next who fits."""
    offer = offer_of(register, participant_id)
    _give_up_offer(register, offer, now)
    return Outcome(
        _("{name} declined the seat offer in hold {number} (free)").format(
            name=_entry_label(register, offer), number=offer.cohort
        ),
        promotions=promote(register, offer.cohort, now),
        billable=False,
    )


def settle(register: Register, now: datetime) -> list[Outcome]:
    """Bring the register up to ``now``: lapsed offers are cancelled (free) and their seats
    offered to the next, each at the moment the offer ran out, so the result does not depend
    on when anybody looks (or whether the change was saved before)."""
    outcomes: list[Outcome] = []
    while True:
        lapsed = [o for o in open_offers(register) if o.until <= now]
        if not lapsed:
            break
        offer = lapsed[0]
        _give_up_offer(register, offer, offer.until)
        outcomes.append(
            Outcome(
                _("the seat offer to {name} in hold {number} ran out on {day}").format(
                    name=_entry_label(register, offer),
                    number=offer.cohort,
                    day=_short_date(offer.until.date()),
                ),
                promotions=promote(register, offer.cohort, now, at=offer.until),
            )
        )
    return outcomes


# -- moves ------------------------------------------------------------------------------------


def directorate_move(
    register: Register,
    directorate_id: int,
    target: int,
    now: datetime,
    *,
    source: int | None = None,
) -> tuple[list[Participant], Status]:
    """Who of a directorate would move to ``target``, and whether they would be admitted or
    wait there; a move that is not allowed raises RuleError with the reason.

    It takes seats in the target if they are free; a directorate that holds seats is never
    moved onto a waiting list, a waiting one joins the target's queue at the back. ``source``
    is the cohort whose people move (default: the directorate's own).
    """
    directorate = register.directorate(directorate_id)
    name = municipality_name(register, directorate)
    if not register.is_registered(directorate_id):
        raise RuleError(_("{name}'s registration is cancelled").format(name=name))
    source = directorate.cohort if source is None else source
    if target == source:
        raise RuleError(_("{name} is already in hold {number}").format(name=name, number=target))
    _open_cohort(register, target, now)
    _open_cohort(register, source, now)
    members = delegation(register, directorate_id, source).with_status(
        Status.ADMITTED, Status.OFFERED, Status.WAITLISTED
    )
    if not members:
        raise RuleError(
            _("{name} has nobody registered in hold {number} to move").format(
                name=name, number=source
            )
        )
    for participant in members:
        _not_offered(participant, register)
    reason = room_for(register, target, len(members), directorate_id=directorate_id)
    if reason is not None and any(p.status is Status.ADMITTED for p in members):
        raise RuleError(_cannot_move(name, target, reason))
    return members, Status.ADMITTED if reason is None else Status.WAITLISTED


def move_directorate(
    register: Register,
    directorate_id: int,
    target: int,
    now: datetime,
    *,
    source: int | None = None,
) -> Outcome:
    """Move a directorate's people in one cohort (its own, by default) to another (see
    :func:`directorate_move`)."""
    members, status = directorate_move(register, directorate_id, target, now, source=source)
    directorate = register.directorates[directorate_id]
    source = members[0].cohort
    if source == directorate.cohort:
        directorate.cohort = target
        directorate.seq = register.take_seq()
    for participant in members:
        _bind_if_leaving_binding(register, participant, now)
        participant.cohort = target
        participant.status = status
        participant.seq = register.take_seq()
    _rehome(register, directorate)
    return Outcome(
        _moved(municipality_name(register, directorate), source, target, status),
        promotions=promote(register, source, now) + promote(register, target, now),
        admitted=status is Status.ADMITTED,
    )


def _cannot_move(name: str, target: int, reason: str) -> str:
    return _("{name} cannot move to hold {number}: {reason}").format(
        name=name, number=target, reason=reason
    )


def _moved(name: str, source: int, target: int, status: Status) -> str:
    if status is Status.ADMITTED:
        text = _("{name} moved from hold {source} to hold {target} (admitted)")
    else:
        text = _("{name} moved from hold {source} to hold {target} (on the waiting list)")
    return text.format(name=name, source=source, target=target)


def participant_move(register: Register, participant_id: int, target: int, now: datetime) -> Status:
    """Whether a person would be admitted or wait in ``target``; RuleError if the move is not
    allowed.

    They sit there under their municipality: the directorate takes a place in the target too
    (if it has none there yet). Someone with a seat is moved only to a free seat; someone
    waiting joins the target's queue if there is no room.
    """
    participant = register.participant(participant_id)
    _active(participant, register, now)
    _not_offered(participant, register)
    label = participant_label(register, participant)
    if target == participant.cohort:
        raise RuleError(_("{name} is already in hold {number}").format(name=label, number=target))
    _open_cohort(register, target, now)
    did = participant.directorate_id
    if participant.status is Status.WAITLISTED and _joins_waiting_group(register, did, target):
        group = delegation(register, did, target).with_status(Status.WAITLISTED)
        if len(group) + 1 > register.cohort(target).max_participants:
            raise RuleError(
                _(
                    "{name} cannot join the directorate waiting in hold {number}: "
                    "it would be larger than the cap"
                ).format(name=label, number=target)
            )
        reason: str | None = _("the directorate waits there")
    else:
        reason = room_for(register, target, 1, directorate_id=did)
    if reason is not None and participant.status is Status.ADMITTED:
        raise RuleError(_cannot_move(label, target, reason))
    return Status.ADMITTED if reason is None else Status.WAITLISTED


def move_participant(
    register: Register, participant_id: int, target: int, now: datetime
) -> Outcome:
    """Move one person to another cohort (see :func:`participant_move`)."""
    status = participant_move(register, participant_id, target, now)
    participant = register.participants[participant_id]
    source = participant.cohort
    _bind_if_leaving_binding(register, participant, now)
    participant.cohort = target
    participant.status = status
    participant.seq = register.take_seq()
    _rehome(register, register.directorates[participant.directorate_id])
    return Outcome(
        _moved(participant_label(register, participant), source, target, status),
        promotions=promote(register, source, now) + promote(register, target, now),
        admitted=status is Status.ADMITTED,
    )


# -- cancellation -------------------------------------------------------------------------------


def _terms(billable: bool, why: str) -> CancellationTerms:
    """ "binding: why" or "free: why" (a confirmation reads "This cancellation is ...")."""
    explanation = _("binding: {why}") if billable else _("free: {why}")
    return CancellationTerms(billable, explanation.format(why=why))


def _cancellation_reason(register: Register, participant: Participant, now: datetime) -> str:
    """Why cancelling the person now costs money (or not), without "binding"/"free"."""
    cohort = register.cohort(participant.cohort)
    deadline = _short_date(cohort.registration_deadline)
    if participant.status is Status.OFFERED:
        return _("a seat offer that is declined costs nothing")
    if participant.status is not Status.ADMITTED:
        return _("the participant is on the waiting list")
    if participant.bound:
        return _("the registration became binding before the move to this cohort")
    if cohort.is_binding(now):
        return _(
            "the deadline of hold {number} passed on {day}, so the seat stays on the invoice"
        ).format(number=cohort.number, day=deadline)
    return _("the deadline of hold {number} is {day}").format(number=cohort.number, day=deadline)


def _is_billable(register: Register, participant: Participant, now: datetime) -> bool:
    if participant.status is not Status.ADMITTED:
        return False
    return participant.bound or register.cohort(participant.cohort).is_binding(now)


def cancellation_terms(register: Register, participant_id: int, now: datetime) -> CancellationTerms:
    """Free before the cohort's deadline; binding (billable) after it; always free when waiting
    or when declining a seat offer."""
    participant = register.participant(participant_id)
    return _terms(
        _is_billable(register, participant, now), _cancellation_reason(register, participant, now)
    )


def directorate_cancellation_terms(
    register: Register, directorate_id: int, now: datetime
) -> CancellationTerms:
    """What withdrawing a whole directorate costs: the sum of its people's terms."""
    register.directorate(directorate_id)  # an unknown one is an error
    active = [p for p in register.members(directorate_id) if p.status.is_active]
    billable = [p for p in active if _is_billable(register, p, now)]
    if not billable:
        seated = [p for p in active if p.status is Status.ADMITTED]
        if not seated:
            if any(p.status is Status.OFFERED for p in active):
                return _terms(False, _("a seat offer that is declined costs nothing"))
            return _terms(False, _("the directorate is on the waiting list"))
        deadlines = ", ".join(
            f"hold {n} {_short_date(register.cohort(n).registration_deadline)}"
            for n in sorted({p.cohort for p in seated})
        )
        return _terms(False, _("before the deadline ({deadlines})").format(deadlines=deadlines))
    seats = len(billable)
    why = _cancellation_reason(register, billable[0], now)
    return _terms(
        True,
        ngettext(
            "{n} seat stays on the invoice ({why})", "{n} seats stay on the invoice ({why})", seats
        ).format(n=seats, why=why),
    )


def _cancel_one(register: Register, participant: Participant, now: datetime) -> bool:
    terms = cancellation_terms(register, participant.id, now)
    participant.cancelled_from = participant.status
    participant.status = Status.CANCELLED
    participant.cancelled_at = now
    participant.offered_until = None
    participant.offer_key = None
    participant.billable_cancellation = terms.billable
    return terms.billable


def _note_withdrawal(register: Register, directorate: Directorate, now: datetime) -> None:
    """A directorate left with nobody is withdrawn as a whole at this moment."""
    if not register.is_registered(directorate.id):
        directorate.cancelled_at = now


def _rehome(register: Register, directorate: Directorate) -> None:
    """A registration belongs where its people are: when nobody of it is left in its own
    cohort, it moves to the cohort of its earliest remaining person (a directorate whose
    people were moved one by one is then moved, imported to and written to there)."""
    active = [p for p in register.members(directorate.id) if p.status.is_active]
    if active and not any(p.cohort == directorate.cohort for p in active):
        directorate.cohort = active[0].cohort


def _promote_all(register: Register, cohorts: Iterable[int], now: datetime) -> list[Promotion]:
    return [p for number in sorted(set(cohorts)) for p in promote(register, number, now)]


def cancel_participant(register: Register, participant_id: int, now: datetime) -> Outcome:
    """Cancel one person; their seat goes to the waiting list. A directorate left with nobody
    is withdrawn with them."""
    participant = register.participant(participant_id)
    _active(participant, register, now)
    label = participant_label(register, participant)
    billable = _cancel_one(register, participant, now)
    directorate = register.directorates[participant.directorate_id]
    _note_withdrawal(register, directorate, now)
    _rehome(register, directorate)
    if billable:
        summary = _("{name} cancelled (binding, billable)").format(name=label)
    else:
        summary = _("{name} cancelled (free)").format(name=label)
    return Outcome(
        summary,
        promotions=_promote_all(register, [participant.cohort], now),
        billable=billable,
    )


def cancel_directorate(register: Register, directorate_id: int, now: datetime) -> Outcome:
    """Withdraw a whole directorate, wherever its members are seated."""
    directorate = register.directorate(directorate_id)
    name = municipality_name(register, directorate)
    if not register.is_registered(directorate_id):
        raise RuleError(_("{name}'s registration is already cancelled").format(name=name))
    cohorts = set()
    billable = 0
    for participant in register.members(directorate.id):
        if participant.status.is_active:
            _open_cohort(register, participant.cohort, now)
    for participant in register.members(directorate.id):
        if participant.status.is_active:
            cohorts.add(participant.cohort)
            billable += _cancel_one(register, participant, now)
    directorate.cancelled_at = now
    if billable:
        summary = ngettext(
            "{name} cancelled ({n} seat(s) stay billable)",
            "{name} cancelled ({n} seat(s) stay billable)",
            billable,
        ).format(name=name, n=billable)
    else:
        summary = _("{name} cancelled (free)").format(name=name)
    return Outcome(
        summary,
        promotions=_promote_all(register, cohorts, now),
        billable=billable > 0,
    )


# -- reinstatement ----------------------------------------------------------------------------


def _check_reinstatable(register: Register, people: Sequence[Participant], now: datetime) -> None:
    directorate = register.directorates[people[0].directorate_id]
    name = municipality_name(register, directorate)
    for participant in people:
        if participant.status is not Status.CANCELLED:
            raise RuleError(
                _("{name} is {status}, not cancelled").format(
                    name=participant_label(register, participant), status=participant.status.label
                )
            )
        if participant.details.name == ERASED_NAME:
            raise RuleError(_("an erased person cannot be reinstated"))
        _open_cohort(register, participant.cohort, now)
    if not register.is_registered(directorate.id):
        other = register.directorate_of_municipality(directorate.municipality_code)
        if other is not None:
            raise RuleError(
                _("{name} has registered again (hold {number})").format(
                    name=name, number=other.cohort
                )
            )
    ids = [p.id for p in people]
    _check_emails_distinct([p.details for p in people])
    _check_email_free(register, *(p.details.email for p in people), except_ids=ids)


def _was_seated(participant: Participant) -> bool:
    if participant.cancelled_from is None:  # cancelled before the reason was recorded
        return participant.billable_cancellation
    return participant.cancelled_from is Status.ADMITTED


def _reinstate(register: Register, people: Sequence[Participant], now: datetime) -> Outcome:
    """Put cancelled people back where they were: their seats when there is room (the group
    together), else the waiting list at their old place (and say so)."""
    _check_reinstatable(register, people, now)
    directorate = register.directorates[people[0].directorate_id]
    cohorts = sorted({p.cohort for p in people})
    seated = {n: [p for p in people if p.cohort == n and _was_seated(p)] for n in cohorts}
    reasons: dict[int, str] = {}
    for number, group in seated.items():
        reason = (
            room_for(register, number, len(group), directorate_id=directorate.id) if group else None
        )
        if reason is None:
            continue
        if any(p.billable_cancellation for p in group):
            raise RuleError(
                _(
                    "{name}: the seat given up after the deadline has gone to someone else "
                    "({reason}); the cancellation stays billed. Reinstate when a seat is free"
                ).format(name=municipality_name(register, directorate), reason=reason)
            )
        reasons[number] = reason
    for participant in people:
        back = participant in seated[participant.cohort] and participant.cohort not in reasons
        _seat(participant, Status.ADMITTED if back else Status.WAITLISTED)
    directorate.cancelled_at = None
    promotions = _promote_all(register, cohorts, now)
    places = waiting_places(register)
    lines = []
    for number in cohorts:
        waiting = [p for p in people if p.cohort == number and p.status is Status.WAITLISTED]
        if waiting:
            place = min(places.get(p.id, 0) for p in waiting)
            if number in reasons:
                line = _(
                    "on the waiting list of hold {number} as no. {place} (no room: {reason})"
                ).format(number=number, place=place, reason=reasons[number])
            else:
                line = _("on the waiting list of hold {number} as no. {place}").format(
                    number=number, place=place
                )
            lines.append(line)
    return Outcome("; ".join(lines), promotions=promotions, admitted=None)


def reinstate_participant(register: Register, participant_id: int, now: datetime) -> Outcome:
    """Undo a cancellation: the person gets their seat back if there is room (a late
    cancellation is then billed as a seat, once), else their place on the waiting list."""
    participant = register.participant(participant_id)
    label = participant_label(register, participant)
    outcome = _reinstate(register, [participant], now)
    if participant.status is Status.ADMITTED:
        summary = _("{name} reinstated: admitted to hold {number}")
    elif participant.status is Status.OFFERED:
        summary = _("{name} reinstated: offered a seat in hold {number}")
    else:  # where on the waiting list, and why
        summary = _("{name} reinstated: {where}")
    outcome.summary = summary.format(name=label, number=participant.cohort, where=outcome.summary)
    outcome.admitted = participant.status is Status.ADMITTED
    return outcome


def reinstate_directorate(register: Register, directorate_id: int, now: datetime) -> Outcome:
    """Undo a directorate's withdrawal: the people cancelled with it come back together."""
    directorate = register.directorate(directorate_id)
    name = municipality_name(register, directorate)
    if register.is_registered(directorate_id):
        raise RuleError(
            _("{name}'s registration is not cancelled (reinstate a person instead)").format(
                name=name
            )
        )
    cancelled = [
        p
        for p in register.members(directorate_id)
        if p.status is Status.CANCELLED
        and p.cancelled_at is not None
        and p.details.name != ERASED_NAME  # an erased person's invoice line stays as it is
    ]
    if not cancelled:
        raise RuleError(_("{name} has nobody to reinstate").format(name=name))
    moment = directorate.cancelled_at or max(p.cancelled_at for p in cancelled if p.cancelled_at)
    people = [p for p in cancelled if p.cancelled_at == moment] or cancelled
    outcome = _reinstate(register, people, now)
    seated = sum(1 for p in people if p.status is Status.ADMITTED)
    summary = ngettext(
        "{name} reinstated with {n} participant, {seated} admitted",
        "{name} reinstated with {n} participants, {seated} admitted",
        len(people),
    ).format(name=name, n=len(people), seated=seated)
    # the rest: where on the waiting list, and why
    outcome.summary = "; ".join(part for part in (summary, outcome.summary) if part)
    outcome.admitted = seated == len(people)
    return outcome


# -- erasure ------------------------------------------------------------------------------------


def records_of(register: Register, participant_id: int) -> list[int]:
    """Every record of the person: the ones with their e-mail address (a cancelled earlier
    registration, a record in another municipality's past), or just this one."""
    email = register.participant(participant_id).details.email.casefold()
    if not email:
        return [participant_id]
    return sorted(
        p.id for p in register.participants.values() if p.details.email.casefold() == email
    )


def records_of_municipality(register: Register, code: int) -> list[int]:
    """Every person any registration of the municipality ever held."""
    ids = {d.id for d in register.directorates.values() if d.municipality_code == code}
    return sorted(p.id for p in register.participants.values() if p.directorate_id in ids)


def erase_participant(register: Register, participant_id: int, now: datetime) -> Outcome:
    """GDPR erasure of a person: this record and every other one with their e-mail address."""
    return erase_people(register, records_of(register, participant_id), now)


def erase_people(register: Register, participant_ids: Sequence[int], now: datetime) -> Outcome:
    """GDPR erasure. A record whose seat is on the invoice (a binding seat, or a cancellation
    after the deadline) stays as an anonymous line so the invoice stays right; any other is
    removed completely. Seats they held go to the waiting list, once everyone is erased (so
    nobody about to be erased is promoted first). A municipality contact with an erased
    person's e-mail address loses its personal data too."""
    people = [register.participant(pid) for pid in participant_ids]
    emails = {p.details.email.casefold() for p in people if p.details.email}
    names = {p.details.name for p in people}
    for directorate in register.directorates.values():  # the invoice contact may be them too
        invoice = directorate.invoice
        if invoice.contact_email.casefold() in emails or invoice.contact_name in names:
            directorate.invoice = invoice._replace(contact_name="", contact_email="")
    freed: set[int] = set()
    kept = removed = 0
    for participant in people:
        if participant.status.is_active:
            freed.add(participant.cohort)
        terms = cancellation_terms(register, participant.id, now)
        keeps_line = participant.is_billable and (
            participant.status is Status.CANCELLED or terms.billable
        )
        if keeps_line:
            participant.details = ParticipantDetails(
                name=ERASED_NAME, field=participant.details.field
            )
            if participant.status is Status.ADMITTED:
                participant.cancelled_from = Status.ADMITTED
                participant.status = Status.CANCELLED
                participant.cancelled_at = now
                participant.billable_cancellation = True
            kept += 1
        else:
            del register.participants[participant.id]
            removed += 1
    gone = set(participant_ids) - set(register.participants)
    for other in register.participants.values():
        if other.replaces in gone:
            other.replaces = None
        if other.replaced_by in gone:
            other.replaced_by = None
    parts = []
    if removed:
        parts.append(
            ngettext(
                "{n} record(s) of personal data erased",
                "{n} record(s) of personal data erased",
                removed,
            ).format(n=removed)
        )
    if kept:
        parts.append(
            ngettext(
                "{n} record(s) made anonymous; their invoice lines stay",
                "{n} record(s) made anonymous; their invoice lines stay",
                kept,
            ).format(n=kept)
        )
    for contact in register.contacts.values():
        if contact.email.casefold() in emails:
            contact.name = contact.title = contact.email = contact.notes = ""
            parts.append(_("a municipality's contact record emptied"))
    for directorate_id in {p.directorate_id for p in people}:
        directorate = register.directorates[directorate_id]
        _note_withdrawal(register, directorate, now)
        _rehome(register, directorate)
    return Outcome(
        "; ".join(parts) or _("nothing to erase"),
        promotions=_promote_all(register, freed, now),
        billable=kept > 0,
    )


# -- substitution -------------------------------------------------------------------------------


def substitute(
    register: Register, participant_id: int, details: ParticipantDetails, now: datetime
) -> tuple[Participant, Outcome]:
    """A named substitute takes over a seat (or offer, or queue place) and its invoice line;
    the original stays on record as substituted."""
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
        offered_until=original.offered_until,
        offer_key=original.offer_key,
    )
    register.participants[replacement.id] = replacement
    original.status = Status.SUBSTITUTED
    original.offered_until = None
    original.offer_key = None
    original.replaced_by = replacement.id
    return replacement, Outcome(
        _("{name} takes over from {original} in hold {number}").format(
            name=details.name, original=label, number=original.cohort
        )
    )


# -- cohort settings ----------------------------------------------------------------------------


def validate_capacity(min_directorates: int, max_directorates: int, max_participants: int) -> None:
    """The programme's limits: 1 <= min <= max <= 10 directorates, a cap of 30 to 40 people."""
    if not 1 <= max_directorates <= MAX_DIRECTORATES:
        raise ValidationError(
            "max_directorates",
            _("must be between {low} and {high} (got {value})").format(
                low=1, high=MAX_DIRECTORATES, value=max_directorates
            ),
        )
    if not 1 <= min_directorates <= max_directorates:
        raise ValidationError(
            "min_directorates",
            _("must be between 1 and the maximum of {high} (got {value})").format(
                high=max_directorates, value=min_directorates
            ),
        )
    if not MIN_PARTICIPANT_CAP <= max_participants <= MAX_PARTICIPANT_CAP:
        raise ValidationError(
            "max_participants",
            _("must be between {low} and {high} (got {value})").format(
                low=MIN_PARTICIPANT_CAP, high=MAX_PARTICIPANT_CAP, value=max_participants
            ),
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
        _(
            "hold {number} capacity set to {low}-{high} directorates, at most {cap} participants"
        ).format(
            number=cohort_number, low=min_directorates, high=max_directorates, cap=max_participants
        ),
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
        raise RuleError(_("{name} is not on a waiting list").format(name=label))
    cohort = _open_cohort(register, participant.cohort, now)
    entry = next(e for e in waiting_list(register, cohort.number) if participant in e.participants)
    count = count_cohort(register, cohort.number)
    if not fits(cohort, count, entry):
        if entry.whole_directorate:
            text = _(
                "hold {number} has no room for its directorate: {seats}/{cap} seats, "
                "{places}/{most} directorates"
            )
        else:
            text = _(
                "hold {number} has no room for {name}: {seats}/{cap} seats, "
                "{places}/{most} directorates"
            )
        raise RuleError(
            text.format(
                number=cohort.number,
                name=label,
                seats=count.held,
                cap=cohort.max_participants,
                places=count.directorates,
                most=cohort.max_directorates,
            )
        )
    for member in entry.participants:
        _seat(member, Status.ADMITTED)
    return Outcome(
        _("{name} admitted to hold {number} from the waiting list").format(
            name=_entry_label(register, entry), number=cohort.number
        ),
        admitted=True,
    )


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
    """New settings for a cohort, checked as a whole; raised limits promote at once (an open
    seat offer stands until it is answered or runs out, whatever the new deadline)."""
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
    return Outcome(
        _("settings of hold {number} updated").format(number=number),
        promotions=outcome.promotions,
    )


def bound_by_deadline(register: Register, number: int, deadline: date, now: datetime) -> int | None:
    """What moving hold ``number``'s registration deadline to ``deadline`` does at once.

    ``None`` when it does not make the cohort's registrations binding (the new deadline is still
    ahead, or the old one had passed already); otherwise how many admitted seats, free to cancel
    until now, become binding (a cancellation is billed). Whether a seat is binding is
    :meth:`Cohort.is_binding` and the cancellation rule's, asked here, not re-derived.
    """
    cohort = register.cohort(number)
    if cohort.is_binding(now) or not replace(cohort, registration_deadline=deadline).is_binding(
        now
    ):
        return None
    return sum(
        1
        for p in register.participants.values()
        if p.cohort == number and p.status is Status.ADMITTED and not _is_billable(register, p, now)
    )


def set_speakers(register: Register, number: int, speakers: Sequence[Speaker]) -> Outcome:
    """The cohort's speakers and moderators, in the order given."""
    cohort = register.cohort(number)
    cohort.speakers = list(speakers)
    return Outcome(_("speakers and moderators of hold {number} updated").format(number=number))
