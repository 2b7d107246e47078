"""The letters: who each one goes to, and the data its templates may see.

Templates get plain dicts of strings, dates and amounts (never domain objects), and only what
their letter needs: a sandboxed template cannot reach beyond its context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from kommunestyre.domain.capacity import (
    Headcount,
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
from kommunestyre.domain.validation import quoted
from kommunestyre.errors import ValidationError
from kommunestyre.formats import percent
from kommunestyre.i18n import N_, _

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
    #: Whose name and address these are: a municipality's "contact" (the Contacts screen) or a
    #: "participant" (the Register screen); the pre-flight says where to correct them.
    source: str = "contact"
    municipality: str = ""  # the official name: "Kolding Kommune"


@dataclass(frozen=True, slots=True)
class Filters:
    cohort: int | None = None
    field: str | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class LetterKind:
    key: str
    title_text: str  # English, marked N_: read it as ``title``
    audience_text: str  # what the recipients are, in words (English, marked N_)
    calendar: bool  # carries the cohort's .ics
    requires: tuple[str, ...]  # context values that must not be empty
    statuses: tuple[str, ...]  # the status filter's choices; the first is the default
    select: Callable[[Register, datetime, Filters], list[Recipient]]

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

#: The invitation's status filter: the values are the CLI's words (``--status "not registered"``),
#: marked for the catalogue so a screen can show them translated.
INVITATION_STATUSES = (N_("not registered"), N_("all"), N_("registered"), N_("declined"))


def _invitation(register: Register, now: datetime, filters: Filters) -> list[Recipient]:
    programme = register.programme
    cohorts = [
        _availability(row, programme)
        for row in headcount(register, now)
        if row.status in (CohortStatus.OPEN, CohortStatus.FULL)
    ]
    wanted = filters.status or INVITATION_STATUSES[0]
    registered = register.registrations()
    recipients = []
    for code in sorted(register.contacts):
        contact = register.contacts[code]
        if wanted != "all" and register.invitation_status(code, registered) != wanted:
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
    cancelled late (still billed), and what that comes to."""
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


def _offer(register: Register, now: datetime, filters: Filters) -> list[Recipient]:
    """Everyone holding a seat offer: the seat, and the date to answer by."""
    programme = register.programme
    recipients = []
    for offer in open_offers(register):
        if not _in_filter(offer.cohort, filters):
            continue
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
        recipients.append(
            Recipient(
                key, name, email, label, offer.cohort, context,
                source=source, municipality=town.official_name,
            )
        )  # fmt: skip
    return recipients


# -- participant letters: practical and followup ------------------------------------------------

PARTICIPANT_STATUSES = (N_("admitted"),)


def _participant_letters(
    register: Register, now: datetime, filters: Filters, cohorts: Iterable[int]
) -> list[Recipient]:
    """Letters to admitted participants of ``cohorts``."""
    programme = register.programme
    wanted = set(cohorts)
    contexts = {c.number: _cohort(c, programme) for c in programme.cohorts}
    towns = {d.id: by_code(d.municipality_code) for d in register.directorates.values()}
    people = [
        p
        for p in register.participants.values()
        if p.status is Status.ADMITTED
        and p.cohort in wanted
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
    """Between the seminar and the follow-up day: "thank you for the seminar" must be true."""
    between = [
        c.number for c in register.programme.cohorts if c.seminar.end <= now < c.followup.start
    ]
    return _participant_letters(register, now, filters, between)


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
