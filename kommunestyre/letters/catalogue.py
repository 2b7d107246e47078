"""The letters: who each one goes to, and the data its templates may see.

Templates get plain dicts of strings, dates and amounts (never domain objects), and only what
their letter needs: a sandboxed template cannot reach beyond its context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import field as _field  # Filters has a field named field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from kommunestyre.domain.attendance import came_to_seminar
from kommunestyre.domain.capacity import (
    Headcount,
    Offer,
    cohorts_with_room,
    delegations,
    headcount,
    open_offers,
    waiting_list,
)
from kommunestyre.domain.model import (
    Cohort,
    CohortStatus,
    Directorate,
    Meeting,
    Participant,
    Programme,
    Register,
    Status,
)
from kommunestyre.domain.municipalities import by_code
from kommunestyre.domain.pricing import invoice_lines, unit_price
from kommunestyre.domain.standing import Standing, matches_choice, standing_of, standings
from kommunestyre.domain.validation import quoted
from kommunestyre.errors import ValidationError
from kommunestyre.formats import percent
from kommunestyre.i18n import N_, _
from kommunestyre.letters.calendar import CANCEL, MEETINGS, REQUEST

if TYPE_CHECKING:
    from kommunestyre.letters.ledger import Delivery

Context = dict[str, Any]


class Sent(NamedTuple):
    """A letter with calendar invitations that left (or was exported): to whom (the ledger's
    recipient key and address, casefolded) and for which hold."""

    recipient: str
    email: str
    cohort: int


@dataclass(frozen=True, slots=True)
class Recipient:
    """One addressee of a letter, with everything their letter's templates will see."""

    key: str  # "participant:12", "directorate:3", "contact:751": what the ledger remembers
    name: str
    email: str
    label: str  # for people: "Tina Kristensen (Kolding)"
    cohort: int | None
    context: Context = field(repr=False)
    #: Whose name and address these are: a municipality's "contact" (the Contacts screen) or a
    #: "participant" (the Register screen); the pre-flight says where to correct them.
    source: str = "contact"
    municipality: str = ""  # the official name: "Kolding Kommune"
    #: The meetings of ``cohort`` whose calendar parts the letter carries (if its kind has any).
    meetings: tuple[str, ...] = tuple(MEETINGS)


@dataclass(frozen=True, slots=True)
class Filters:
    """Which recipients: the coordinator's choice (cohort, field, status), and who was invited
    (from the ledger: municipality code -> when; :func:`~kommunestyre.letters.batch.prepare`
    fills it in), which the invitation and the reminder need."""

    cohort: int | None = None
    field: str | None = None
    status: str | None = None
    invited: Mapping[int, datetime] = _field(default_factory=dict, compare=False, repr=False)
    #: The calendar invitations that left (from the ledger, filled in the same way): the
    #: cancellation goes to those who no longer attend a meeting they were invited to.
    calendars: frozenset[Sent] = _field(default=frozenset(), compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class LetterKind:
    key: str
    title_text: str  # English, marked N_: read it as ``title``
    audience_text: str  # what the recipients are, in words (English, marked N_)
    calendar: bool  # carries the cohort's .ics
    requires: tuple[str, ...]  # context values that must not be empty
    statuses: tuple[str, ...]  # the status filter's choices; the first is the default
    select: Callable[[Register, datetime, Filters], list[Recipient]]
    #: A stale letter's update says so: "Ændret: " and what changed (not for a reminder,
    #: which is sent again as a reminder).
    notices: bool = True
    #: The iTIP method of its calendar parts: invitations (REQUEST) or cancellations (CANCEL).
    method: str = REQUEST

    @property
    def title(self) -> str:
        """The letter's name, in the language in use."""
        return _(self.title_text)

    @property
    def audience(self) -> str:
        """Whom the letter goes to, in the language in use."""
        return _(self.audience_text)


# -- shared pieces of context -----------------------------------------------------------------


def _meeting(meeting: Meeting) -> Context:
    v = meeting.venue
    venue = {"name": v.name, "address": v.address, "postcode": v.postcode, "town": v.town}
    return {"start": meeting.start, "end": meeting.end, "venue": venue}


def _cohort(cohort: Cohort, programme: Programme) -> Context:
    deadline = cohort.registration_deadline
    invoice_from = cohort.seminar.start.date() - timedelta(weeks=programme.invoice_weeks_before)
    return {
        "number": cohort.number,
        "seminar": _meeting(cohort.seminar),
        "followup": _meeting(cohort.followup),
        "deadline": deadline,
        "binding_from": deadline + timedelta(days=1),
        "invoice_from": invoice_from,
    }


def _programme(programme: Programme) -> Context:
    price = unit_price(programme)
    return {
        "name": programme.name,
        "organisers": list(programme.organisers),
        "price_excl": price.excl_vat,
        "price_vat": price.vat,
        "price_incl": price.incl_vat,
        "vat_percent": percent(programme.vat_rate, "da"),
        "includes": list(programme.price_includes),
        "excludes": list(programme.price_excludes),
        "evaluation_url": programme.evaluation_url,
    }


def _common(programme: Programme, name: str, title: str, email: str) -> Context:
    c = programme.coordinator
    return {
        "programme": _programme(programme),
        "coordinator": {
            "name": c.name,
            "title": c.title,
            "organisation": c.organisation,
            "email": c.email,
            "phone": c.phone,
        },
        "recipient": {"name": name, "title": title, "email": email},
    }


def _municipality(code: int) -> Context:
    municipality = by_code(code)
    return {"name": municipality.name, "official_name": municipality.official_name}


def _in_filter(cohort: int | None, filters: Filters) -> bool:
    return filters.cohort is None or cohort == filters.cohort


def _availability(row: Headcount, programme: Programme) -> Context:
    """A cohort as offered to a new directorate today: its dates and how much room it has."""
    context = _cohort(row.cohort, programme)
    context["free_seats"] = row.free_seats
    context["free_places"] = row.free_directorate_places
    context["full"] = row.free_seats == 0 or row.free_directorate_places == 0
    return context


def delegation_key(directorate: Directorate, cohort: int) -> str:
    """The ledger's name for a directorate's letters about one cohort."""
    if cohort == directorate.cohort:
        return f"directorate:{directorate.id}"
    return f"directorate:{directorate.id}:hold{cohort}"


# -- invitation: municipality contacts ----------------------------------------------------------

#: The invitation's status filter: the values are the CLI's words (``--status "not invited"``),
#: marked for the catalogue so a screen can show them translated. By default it goes to the
#: municipalities that have not answered: not invited yet, or invited without an answer
#: (neither registered, cancelled nor declined). See :mod:`kommunestyre.domain.standing`.
INVITATION_STATUSES = (
    N_("not answered"),
    N_("all"),
    N_("not invited"),
    N_("invited"),
    N_("registered"),
    N_("cancelled"),
    N_("declined"),
)


def _open_cohorts(register: Register, now: datetime, filters: Filters) -> list[Context]:
    """The cohorts a municipality can still register for (before their deadlines), each with
    its room today: "3 ledige pladser", or full (a registration goes on the waiting list)."""
    return [
        _availability(row, register.programme)
        for row in headcount(register, now)
        if row.status in (CohortStatus.OPEN, CohortStatus.FULL)
        and _in_filter(row.cohort.number, filters)
    ]


def _invitation(register: Register, now: datetime, filters: Filters) -> list[Recipient]:
    programme = register.programme
    cohorts = _open_cohorts(register, now, Filters())  # the invitation offers every cohort
    choice = filters.status or INVITATION_STATUSES[0]
    found = standings(register, filters.invited)
    recipients = []
    for code in sorted(register.contacts):
        contact = register.contacts[code]
        if not matches_choice(standing_of(found, code).standing, choice):
            continue
        context = _common(programme, contact.name, contact.title, contact.email)
        context["municipality"] = _municipality(code)
        context["cohorts"] = cohorts
        municipality = by_code(code)
        recipients.append(
            Recipient(
                f"contact:{code}",
                contact.name,
                contact.email,
                municipality.name,
                None,
                context,
                source="contact",
                municipality=municipality.official_name,
            )
        )
    return recipients


# -- directorate letters: confirmation and waitlist ---------------------------------------------


def _addressee(
    register: Register, directorate: Directorate, people: Sequence[Participant]
) -> tuple[str, str, str, str]:
    """A directorate's letters go to its head (the programme's lead field) among ``people``,
    else to the municipality's contact; the last value says which (see ``Recipient.source``)."""
    lead = register.programme.lead_field
    for member in people:
        if member.status.is_active and member.details.field == lead:
            return member.name, member.details.title, member.details.email, "participant"
    contact = register.contact(directorate.municipality_code)
    return contact.name, contact.title, contact.email, "contact"


def _member(p: Participant) -> Context:
    return {"name": p.name, "title": p.details.title}


def _confirmation(register: Register, now: datetime, filters: Filters) -> list[Recipient]:
    """One letter per municipality and cohort where it has seats: who is admitted, who
    cancelled late (still billed), and what that comes to.

    Its calendar invitations name the addressee (the directorate's head, else the contact)
    as the only attendee. A mail program offers accept and decline when the attendee is the
    mailbox the letter arrived in, and an answer speaks for one person; the members get
    invitations of their own in the practical letter. Listing them here too would let the
    head answer for all of them, and would put their addresses in someone else's letter.
    """
    programme = register.programme
    price = unit_price(programme)
    lines = {
        (line.directorate.municipality_code, line.cohort): line for line in invoice_lines(register)
    }
    recipients = []
    for group in delegations(register):
        if group.status is not Status.ADMITTED or not _in_filter(group.cohort, filters):
            continue
        d = group.directorate
        admitted = group.with_status(Status.ADMITTED)
        line = lines[(d.municipality_code, group.cohort)]
        late = line.late_cancellations
        name, title, email, source = _addressee(register, d, admitted)
        bill = line.bill
        context = _common(programme, name, title, email)
        context.update(
            municipality=_municipality(d.municipality_code),
            cohort=_cohort(register.cohort(group.cohort), programme),
            members=[_member(p) for p in admitted],
            late_cancellations=[_member(p) for p in late],
            price={"excl": price.excl_vat, "incl": price.incl_vat},
            totals={
                "participants": bill.billable,
                "seats": bill.seats,
                "late": bill.late_cancellations,
                "excl": bill.amount.excl_vat,
                "vat": bill.amount.vat,
                "incl": bill.amount.incl_vat,
            },
            invoice={"ean": d.invoice.ean, "reference": d.invoice.reference},
        )
        town = by_code(d.municipality_code)
        key = delegation_key(d, group.cohort)
        recipients.append(
            Recipient(
                key, name, email, town.name, group.cohort, context,
                source=source, municipality=town.official_name,
            )
        )  # fmt: skip
    return sorted(recipients, key=lambda r: (r.cohort or 0, r.label))


def _waitlist(register: Register, now: datetime, filters: Filters) -> list[Recipient]:
    """Directorates waiting as a group: their place in the queue, and the cohorts where they
    would get seats today instead."""
    programme = register.programme
    recipients = []
    for cohort in programme.cohorts:
        if not _in_filter(cohort.number, filters):
            continue
        for place, entry in enumerate(waiting_list(register, cohort.number), 1):
            if not entry.whole_directorate:
                continue
            d = entry.directorate
            name, title, email, source = _addressee(register, d, entry.participants)
            alternatives = [
                _availability(row, programme)
                for row in cohorts_with_room(register, now, len(entry.participants))
                if row.cohort.number != cohort.number
            ]
            context = _common(programme, name, title, email)
            context.update(
                municipality=_municipality(d.municipality_code),
                cohort=_cohort(cohort, programme),
                place=place,
                members=[_member(p) for p in entry.participants],
                alternatives=alternatives,
            )
            town = by_code(d.municipality_code)
            key = delegation_key(d, cohort.number)
            recipients.append(
                Recipient(
                    key, name, email, town.name, cohort.number, context,
                    source=source, municipality=town.official_name,
                )
            )  # fmt: skip
    return recipients


def _offer_recipient(register: Register, offer: Offer) -> Recipient:
    """Whoever holds ``offer``: the seat, and the date to answer by."""
    programme = register.programme
    d = offer.directorate
    town = by_code(d.municipality_code)
    if offer.whole_directorate:
        name, title, email, source = _addressee(register, d, offer.participants)
        key = delegation_key(d, offer.cohort)
        label = town.name
    else:
        person = offer.participants[0]
        name, title, email = person.name, person.details.title, person.details.email
        source = "participant"
        key = f"participant:{person.id}"
        label = f"{person.name} ({town.name})"
    context = _common(programme, name, title, email)
    context.update(
        municipality=_municipality(d.municipality_code),
        cohort=_cohort(register.cohort(offer.cohort), programme),
        members=[_member(p) for p in offer.participants],
        answer_by=offer.until,
        price={"excl": unit_price(programme).excl_vat},
    )
    return Recipient(
        key, name, email, label, offer.cohort, context,
        source=source, municipality=town.official_name,
    )  # fmt: skip


def _offer(register: Register, now: datetime, filters: Filters) -> list[Recipient]:
    """Everyone holding a seat offer: the seat, and the date to answer by."""
    return [
        _offer_recipient(register, offer)
        for offer in open_offers(register)
        if _in_filter(offer.cohort, filters)
    ]


# -- reminder: invited without an answer, and seat offers not answered yet -----------------------

#: The reminder's status filter (the CLI's words): both kinds of reminder, or one of them.
REMINDER_STATUSES = (N_("all"), N_("invited"), N_("offered"))


def _reminder(register: Register, now: datetime, filters: Filters) -> list[Recipient]:
    """Before the deadlines, the municipalities invited that have not answered (neither
    registered, cancelled nor declined), with the cohorts still open; and before its answer-by
    date, whoever holds a seat offer. ``about`` in the context says which of the two."""
    wanted = filters.status or REMINDER_STATUSES[0]
    recipients = []
    if wanted in ("all", "invited"):
        recipients += _invited_not_answered(register, now, filters)
    if wanted in ("all", "offered"):
        for offer in open_offers(register):
            if offer.until > now and _in_filter(offer.cohort, filters):
                recipient = _offer_recipient(register, offer)
                recipient.context["about"] = "offer"
                recipients.append(recipient)
    return recipients


def _invited_not_answered(register: Register, now: datetime, filters: Filters) -> list[Recipient]:
    cohorts = _open_cohorts(register, now, filters)
    if not cohorts:  # every deadline has passed: nothing left to remind of
        return []
    programme = register.programme
    found = standings(register, filters.invited)
    recipients = []
    for code in sorted(register.contacts):
        if standing_of(found, code).standing is not Standing.INVITED:
            continue
        contact = register.contacts[code]
        context = _common(programme, contact.name, contact.title, contact.email)
        context.update(
            about="invitation",
            municipality=_municipality(code),
            cohorts=cohorts,
            invited_on=filters.invited[code],
            deadline=min(c["deadline"] for c in cohorts),
        )
        municipality = by_code(code)
        recipients.append(
            Recipient(
                f"contact:{code}", contact.name, contact.email, municipality.name, None, context,
                source="contact", municipality=municipality.official_name,
            )
        )  # fmt: skip
    return recipients


# -- participant letters: practical and followup ------------------------------------------------

PARTICIPANT_STATUSES = (N_("admitted"),)


def _participant_letters(
    register: Register,
    now: datetime,
    filters: Filters,
    cohorts: Iterable[int],
    only: set[int] | None = None,
) -> list[Recipient]:
    """Letters to admitted participants of ``cohorts`` (of them, ``only`` these ids if given)."""
    programme = register.programme
    wanted = set(cohorts)
    contexts = {c.number: _cohort(c, programme) for c in programme.cohorts}
    towns = {d.id: by_code(d.municipality_code) for d in register.directorates.values()}
    people = [
        p
        for p in register.participants.values()
        if p.status is Status.ADMITTED
        and p.cohort in wanted
        and (only is None or p.id in only)
        and _in_filter(p.cohort, filters)
        and (filters.field is None or filters.field in p.fields)
    ]
    recipients = []
    for p in sorted(people, key=lambda p: (p.cohort, p.name.casefold())):
        d = p.details
        context = _common(programme, d.name, d.title, d.email)
        context["cohort"] = contexts[p.cohort]
        context["participant"] = {"name": d.name, "needs": d.needs}
        town = towns[p.directorate_id]
        label = f"{d.name} ({town.name})"
        recipients.append(
            Recipient(
                f"participant:{p.id}", d.name, d.email, label, p.cohort, context,
                source="participant", municipality=town.official_name,
            )
        )  # fmt: skip
    return recipients


def _practical(register: Register, now: datetime, filters: Filters) -> list[Recipient]:
    """Before the seminar: the cohorts whose 12-12 seminar has not begun."""
    upcoming = [c.number for c in register.programme.cohorts if now < c.seminar.start]
    return _participant_letters(register, now, filters, upcoming)


def _followup(register: Register, now: datetime, filters: Filters) -> list[Recipient]:
    """Between the seminar and the follow-up day: "thank you for the seminar" must be true,
    so where the seminar's check-in was recorded, only those present get it."""
    between = [
        c.number for c in register.programme.cohorts if c.seminar.end <= now < c.followup.start
    ]
    came = came_to_seminar(register, between)
    return _participant_letters(register, now, filters, between, only=came)


# -- cancellation: the calendar invitations of people who no longer attend ----------------------

#: The cancellation's status filter (the CLI's words): everyone, or why they no longer attend.
CANCELLATION_STATUSES = (N_("all"), N_("cancelled"), N_("moved"), N_("substituted"))


def calendars_sent(deliveries: Iterable[Delivery]) -> frozenset[Sent]:
    """The calendar invitations the ledger knows of: the letters whose kind carries them, sent
    or exported (the coordinator sends exported drafts from their own mail program)."""
    found = set()
    for d in deliveries:
        kind = LETTERS.get(d.letter)
        if d.cohort is not None and kind is not None and kind.calendar and kind.method == REQUEST:
            found.add(Sent(d.recipient, d.email.casefold(), d.cohort))
    return frozenset(found)


def _invited_people(register: Register, sent: Iterable[Sent]) -> dict[int, set[int]]:
    """Who was sent which holds' invitations: participant id -> holds. A directorate's letter
    invited its addressee: the person of that directorate with the letter's address."""
    by_address: dict[tuple[int, str], list[int]] = {}
    for p in register.participants.values():
        if p.details.email:
            by_address.setdefault((p.directorate_id, p.details.email.casefold()), []).append(p.id)
    invited: dict[int, set[int]] = {}
    for s in sent:
        what, _colon, rest = s.recipient.partition(":")
        number = rest.partition(":")[0]
        if not number.isdigit():
            continue
        if what == "participant":
            people = [int(number)] if int(number) in register.participants else []
        elif what == "directorate":
            people = by_address.get((int(number), s.email), [])
        else:
            continue
        for pid in people:
            invited.setdefault(pid, set()).add(s.cohort)
    return invited


def _had_seat(p: Participant) -> bool:
    """Cancelled from a seat (before the reason was recorded: a billable cancellation was)."""
    if p.cancelled_from is None:
        return p.billable_cancellation
    return p.cancelled_from is Status.ADMITTED


def _why_gone(p: Participant, number: int) -> str | None:
    """Why ``p`` no longer attends hold ``number``: cancelled, moved or substituted (None: they
    wait or hold an offer there, which is no reason to cancel an invitation)."""
    if p.status is Status.CANCELLED:
        return "cancelled"
    if p.status is Status.SUBSTITUTED:
        return "substituted"
    if p.cohort != number:
        return "moved"
    return None


def _cancelled_meetings(p: Participant, cohort: Cohort, why: str) -> tuple[str, ...]:
    """The meetings whose invitations are cancelled: all of them, except for a cancellation
    after a meeting began (they took part in it)."""
    if why != "cancelled" or p.cancelled_at is None or p.cohort != cohort.number:
        return tuple(MEETINGS)
    moment = p.cancelled_at
    return tuple(m for m in MEETINGS if getattr(cohort, m).start > moment)


def _cancellation(register: Register, now: datetime, filters: Filters) -> list[Recipient]:
    """A letter per person and hold they no longer attend, carrying the cancellation of its
    meetings' invitations: people who cancelled a seat (the letter says whether that was free
    or binding, as the domain decided when they cancelled), and people invited to a hold who
    have since moved to another, been substituted or cancelled (the ledger says who was
    invited where). Never for an address still admitted to that hold, and one letter per
    address and hold (the newest record's)."""
    programme = register.programme
    wanted = filters.status or CANCELLATION_STATUSES[0]
    invited = _invited_people(register, filters.calendars)
    attending = {
        (p.details.email.casefold(), p.cohort)
        for p in register.participants.values()
        if p.status is Status.ADMITTED and p.details.email
    }
    chosen: dict[tuple[str, int], tuple[Participant, str]] = {}
    for p in sorted(register.participants.values(), key=lambda p: p.id):
        if not p.details.email:  # erased, or never had an address: nobody to write to
            continue
        holds = set(invited.get(p.id, ()))
        if p.status is Status.CANCELLED and _had_seat(p):
            holds.add(p.cohort)
        for number in holds:
            why = _why_gone(p, number)
            address = (p.details.email.casefold(), number)
            if why is None or address in attending or not _in_filter(number, filters):
                continue
            if wanted != "all" and why != wanted:
                continue
            chosen[address] = (p, why)  # a later record of the same address wins
    towns = {d.id: by_code(d.municipality_code) for d in register.directorates.values()}
    recipients = []
    for (_address, number), (p, why) in chosen.items():
        cohort = register.cohort(number)
        d = p.details
        town = towns[p.directorate_id]
        meetings = _cancelled_meetings(p, cohort, why)
        # The terms: a cancellation's as decided when it was made; for a move, those of the
        # registration where it is now (binding if it was binding before the move).
        now_in = register.cohort(p.cohort)
        binding = p.billable_cancellation if why == "cancelled" else p.bound
        context = _common(programme, d.name, d.title, d.email)
        context.update(
            municipality={"name": town.name, "official_name": town.official_name},
            cohort=_cohort(cohort, programme),
            participant={"name": d.name},
            reason=why,
            moved_to=p.cohort if why == "moved" else None,
            cancelled_in=p.cohort if why == "cancelled" else None,
            binding=binding and why != "substituted",
            bound=p.bound,
            deadline=now_in.registration_deadline,
            meetings=list(meetings),
        )
        recipients.append(
            Recipient(
                f"participant:{p.id}:hold{number}", d.name, d.email, f"{d.name} ({town.name})",
                number, context, source="participant", municipality=town.official_name,
                meetings=meetings,
            )
        )  # fmt: skip
    return sorted(recipients, key=lambda r: (r.cohort or 0, r.name.casefold(), r.key))


LETTERS: dict[str, LetterKind] = {
    kind.key: kind
    for kind in (
        LetterKind(
            "invitation",
            N_("Invitation to a municipality"),
            N_("municipality contacts"),
            False,
            ("recipient.name",),
            INVITATION_STATUSES,
            _invitation,
        ),
        LetterKind(
            "confirmation",
            N_("Confirmation of a registration"),
            N_("admitted directorates"),
            True,
            ("recipient.name", "invoice.ean"),
            (N_("admitted"),),
            _confirmation,
        ),
        LetterKind(
            "waitlist",
            N_("On the waiting list"),
            N_("waiting directorates"),
            False,
            ("recipient.name",),
            (N_("waitlisted"),),
            _waitlist,
        ),
        LetterKind(
            "offer",
            N_("A seat is offered"),
            N_("open seat offers"),
            False,
            ("recipient.name",),
            (N_("offered"),),
            _offer,
        ),
        LetterKind(
            "reminder",
            N_("Reminder"),
            N_("invited without an answer, open seat offers"),
            False,
            ("recipient.name",),
            REMINDER_STATUSES,
            _reminder,
            notices=False,
        ),
        LetterKind(
            "practical",
            N_("Practical information before the seminar"),
            N_("participants (seminar ahead)"),
            True,
            ("recipient.name",),
            PARTICIPANT_STATUSES,
            _practical,
        ),
        LetterKind(
            "followup",
            N_("Reminder before the follow-up day"),
            N_("participants (seminar held)"),
            False,
            ("recipient.name",),
            PARTICIPANT_STATUSES,
            _followup,
        ),
        LetterKind(
            "cancellation",
            N_("Cancellation"),
            N_("people who cancelled or moved"),
            True,
            ("recipient.name",),
            CANCELLATION_STATUSES,
            _cancellation,
            method=CANCEL,
        ),
    )
}


def letter_kind(key: str) -> LetterKind:
    try:
        return LETTERS[key]
    except KeyError:
        known = ", ".join(LETTERS)
        raise ValidationError(
            "letter",
            _("there is no letter {name} (known: {known})").format(name=quoted(key), known=known),
        ) from None


def value_at(context: Context, path: str) -> object:
    """``value_at(ctx, "invoice.ean")``: a dotted path into a context (None when absent)."""
    value: object = context
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value
