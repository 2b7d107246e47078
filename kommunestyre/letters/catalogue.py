"""The five letters: who each one goes to, and the data its templates may see.

Templates get plain dicts of strings, dates and amounts (never domain objects), and only what
their letter needs: a sandboxed template cannot reach beyond its context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from kommunestyre.domain.capacity import count_cohorts, headcount, waiting_list
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
from kommunestyre.domain.pricing import directorate_bill, unit_price
from kommunestyre.errors import ValidationError
from kommunestyre.formats import percent

Context = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Recipient:
    """One addressee of a letter, with everything their letter's templates will see."""

    key: str  # "participant:12", "directorate:3", "contact:751": what the ledger remembers
    name: str
    email: str
    label: str  # for people: "Tina Kristensen (Kolding)"
    cohort: int | None
    context: Context = field(repr=False)


@dataclass(frozen=True, slots=True)
class Filters:
    cohort: int | None = None
    field: str | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class LetterKind:
    key: str
    title: str
    audience: str  # what the recipients are, in words
    calendar: bool  # carries the cohort's .ics
    requires: tuple[str, ...]  # context values that must not be empty
    statuses: tuple[str, ...]  # the status filter's choices; the first is the default
    select: Callable[[Register, datetime, Filters], list[Recipient]]


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
        "vat_percent": percent(programme.vat_rate),
        "includes": list(programme.price_includes),
        "excludes": list(programme.price_excludes),
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


# -- invitation: municipality contacts ----------------------------------------------------------

INVITATION_STATUSES = ("not registered", "all", "registered", "declined")


def _invitation(register: Register, now: datetime, filters: Filters) -> list[Recipient]:
    programme = register.programme
    open_cohorts = [
        _cohort(row.cohort, programme)
        for row in headcount(register, now)
        if row.status in (CohortStatus.OPEN, CohortStatus.FULL)
    ]
    wanted = filters.status or INVITATION_STATUSES[0]
    recipients = []
    for code in sorted(register.contacts):
        contact = register.contacts[code]
        if wanted != "all" and register.invitation_status(code) != wanted:
            continue
        context = _common(programme, contact.name, contact.title, contact.email)
        context["municipality"] = _municipality(code)
        context["cohorts"] = open_cohorts
        recipients.append(
            Recipient(
                f"contact:{code}", contact.name, contact.email, by_code(code).name, None, context
            )
        )
    return recipients


# -- directorate letters: confirmation and waitlist ---------------------------------------------


def _addressee(register: Register, directorate: Directorate) -> tuple[str, str, str]:
    """A directorate's letters go to its municipal director, else the municipality's contact."""
    for member in register.members(directorate.id):
        if member.status.is_active and member.details.field == "kommunaldirektor":
            return member.name, member.details.title, member.details.email
    contact = register.contact(directorate.municipality_code)
    return contact.name, contact.title, contact.email


def _directorates(register: Register, status: Status, filters: Filters) -> list[Directorate]:
    found = [
        d for d in register.directorates.values()
        if d.status is status and _in_filter(d.cohort, filters)
    ]  # fmt: skip
    return sorted(found, key=lambda d: (d.cohort, by_code(d.municipality_code).name))


def _confirmation(register: Register, now: datetime, filters: Filters) -> list[Recipient]:
    programme = register.programme
    price = unit_price(programme)
    recipients = []
    for d in _directorates(register, Status.ADMITTED, filters):
        name, title, email = _addressee(register, d)
        members = [
            p
            for p in register.members(d.id)
            if p.status is Status.ADMITTED and p.cohort == d.cohort
        ]
        bill = directorate_bill(register, d.id)
        context = _common(programme, name, title, email)
        context.update(
            municipality=_municipality(d.municipality_code),
            cohort=_cohort(register.cohort(d.cohort), programme),
            members=[{"name": p.name, "title": p.details.title} for p in members],
            price={"excl": price.excl_vat, "incl": price.incl_vat},
            totals={
                "participants": bill.billable,
                "excl": bill.amount.excl_vat,
                "vat": bill.amount.vat,
                "incl": bill.amount.incl_vat,
            },
            invoice={"ean": d.invoice.ean, "reference": d.invoice.reference},
        )
        label = by_code(d.municipality_code).name
        recipients.append(Recipient(f"directorate:{d.id}", name, email, label, d.cohort, context))
    return recipients


def _waitlist(register: Register, now: datetime, filters: Filters) -> list[Recipient]:
    programme = register.programme
    counts = count_cohorts(register)
    places: dict[int, int] = {}
    for cohort in programme.cohorts:
        for place, entry in enumerate(waiting_list(register, cohort.number), 1):
            if entry.whole_directorate:
                places[entry.directorate.id] = place
    alternatives_of: dict[int, list[Context]] = {}
    for row in headcount(register, now):
        if row.status is CohortStatus.OPEN and row.free_seats:
            choice = _cohort(row.cohort, programme)
            choice["free_seats"] = row.free_seats
            alternatives_of[row.cohort.number] = [choice]
    recipients = []
    for d in _directorates(register, Status.WAITLISTED, filters):
        if d.id not in places:
            continue  # nobody of it is waiting any more
        name, title, email = _addressee(register, d)
        size = sum(1 for p in register.members(d.id) if p.status is Status.WAITLISTED)
        alternatives = [
            a
            for number, (a,) in alternatives_of.items()
            if number != d.cohort
            and counts[number].participants + size <= register.cohort(number).max_participants
        ]
        context = _common(programme, name, title, email)
        context.update(
            municipality=_municipality(d.municipality_code),
            cohort=_cohort(register.cohort(d.cohort), programme),
            place=places[d.id],
            alternatives=alternatives,
        )
        label = by_code(d.municipality_code).name
        recipients.append(Recipient(f"directorate:{d.id}", name, email, label, d.cohort, context))
    return recipients


# -- participant letters: practical and followup ------------------------------------------------

PARTICIPANT_STATUSES = ("admitted", "waitlisted")


def _participants(register: Register, filters: Filters) -> list[Participant]:
    status = Status(filters.status or PARTICIPANT_STATUSES[0])
    found = [
        p
        for p in register.participants.values()
        if p.status is status
        and _in_filter(p.cohort, filters)
        and (filters.field is None or filters.field in p.fields)
    ]
    return sorted(found, key=lambda p: (p.cohort, p.name.casefold()))


def _participant_letters(register: Register, now: datetime, filters: Filters) -> list[Recipient]:
    programme = register.programme
    cohorts = {c.number: _cohort(c, programme) for c in programme.cohorts}
    towns = {d.id: by_code(d.municipality_code).name for d in register.directorates.values()}
    recipients = []
    for p in _participants(register, filters):
        d = p.details
        context = _common(programme, d.name, d.title, d.email)
        context["cohort"] = cohorts[p.cohort]
        context["participant"] = {"name": d.name, "needs": d.needs}
        label = f"{d.name} ({towns[p.directorate_id]})"
        recipients.append(
            Recipient(f"participant:{p.id}", d.name, d.email, label, p.cohort, context)
        )
    return recipients


LETTERS: dict[str, LetterKind] = {
    kind.key: kind
    for kind in (
        LetterKind(
            "invitation",
            "Invitation to a municipality",
            "municipality contacts",
            False,
            ("recipient.name",),
            INVITATION_STATUSES,
            _invitation,
        ),
        LetterKind(
            "confirmation",
            "Confirmation of a registration",
            "admitted directorates",
            True,
            ("recipient.name", "invoice.ean"),
            ("admitted",),
            _confirmation,
        ),
        LetterKind(
            "waitlist",
            "On the waiting list",
            "waiting directorates",
            False,
            ("recipient.name",),
            ("waitlisted",),
            _waitlist,
        ),
        LetterKind(
            "practical",
            "Practical information before the seminar",
            "participants",
            True,
            ("recipient.name",),
            PARTICIPANT_STATUSES,
            _participant_letters,
        ),
        LetterKind(
            "followup",
            "Reminder before the follow-up day",
            "participants",
            False,
            ("recipient.name",),
            PARTICIPANT_STATUSES,
            _participant_letters,
        ),
    )
}


def letter_kind(key: str) -> LetterKind:
    try:
        return LETTERS[key]
    except KeyError:
        known = ", ".join(LETTERS)
        raise ValidationError("letter", f"there is no letter {key!r} (known: {known})") from None


def value_at(context: Context, path: str) -> object:
    """``value_at(ctx, "invoice.ean")``: a dotted path into a context (None when absent)."""
    value: object = context
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value
