"""The programme's nouns as plain dataclasses.

Nothing here knows about files, databases or screens. ``rev`` on the records that people edit
is the optimistic-concurrency revision: the store bumps it on every change, and a save that
carries an older ``rev`` is refused instead of overwriting someone else's work.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from kommunestyre.errors import UnknownRecord
from kommunestyre.i18n import N_, _

if TYPE_CHECKING:
    from kommunestyre.domain.invoicing import Invoice


class Status(StrEnum):
    """Where a participant stands (a directorate's standing follows from its people's)."""

    ADMITTED = "admitted"
    OFFERED = "offered"  # a freed seat is held for them until they answer (after the deadline)
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    SUBSTITUTED = "substituted"

    @property
    def is_active(self) -> bool:
        """Holding a seat, a seat offer or a place in the queue."""
        return self in _ACTIVE

    @property
    def holds_seat(self) -> bool:
        """Taking one of the cohort's seats: admitted, or offered (the seat is held)."""
        return self is Status.ADMITTED or self is Status.OFFERED

    @property
    def label(self) -> str:
        """The word a coordinator reads, in the language in use (``value`` is stored)."""
        return _(_LABELS[self])


_ACTIVE = frozenset({Status.ADMITTED, Status.OFFERED, Status.WAITLISTED})


class CohortStatus(StrEnum):
    OPEN = "open"
    FULL = "full"
    CLOSED = "closed"
    HELD = "held"

    @property
    def label(self) -> str:
        """The word a coordinator reads, in the language in use (``value`` is a key)."""
        return _(_LABELS[self])


class Role(StrEnum):
    SPEAKER = "speaker"
    MODERATOR = "moderator"

    @property
    def label(self) -> str:
        """The word a coordinator reads, in the language in use (``value`` is stored)."""
        return _(_LABELS[self])


#: What the statuses and roles are called on screens and in messages (English, as the values).
_LABELS: dict[StrEnum, str] = {
    Status.ADMITTED: N_("admitted"),
    Status.OFFERED: N_("offered"),
    Status.WAITLISTED: N_("waitlisted"),
    Status.CANCELLED: N_("cancelled"),
    Status.SUBSTITUTED: N_("substituted"),
    CohortStatus.OPEN: N_("open"),
    CohortStatus.FULL: N_("full"),
    CohortStatus.CLOSED: N_("closed"),
    CohortStatus.HELD: N_("held"),
    Role.SPEAKER: N_("speaker"),
    Role.MODERATOR: N_("moderator"),
}


@dataclass(frozen=True, slots=True)
class ProfessionalField:
    """A network: the directors of one field across all cohorts."""

    key: str
    label: str
    association: str = ""


@dataclass(slots=True)
class Venue:
    name: str
    address: str
    postcode: str
    town: str

    def one_line(self) -> str:
        return f"{self.name}, {self.address}, {self.postcode} {self.town}"


@dataclass(slots=True)
class Meeting:
    """One gathering of a cohort: the 12-12 seminar or the follow-up day."""

    start: datetime
    end: datetime
    venue: Venue


@dataclass(slots=True)
class Speaker:
    name: str
    title: str
    organisation: str
    role: Role = Role.SPEAKER
    topic: str = ""


@dataclass(slots=True)
class Cohort:
    """A "hold": up to ``max_directorates`` directorates and ``max_participants`` people."""

    number: int
    seminar: Meeting
    followup: Meeting
    registration_deadline: date
    min_directorates: int = 5
    max_directorates: int = 10
    max_participants: int = 40
    speakers: list[Speaker] = dataclasses.field(default_factory=list)
    themes: list[str] = dataclasses.field(default_factory=list)
    rev: int = 0

    @property
    def name(self) -> str:
        return f"Hold {self.number}"

    def is_binding(self, at: datetime) -> bool:
        """A registration is binding once the deadline day is over (Copenhagen time)."""
        local = at.astimezone(self.seminar.start.tzinfo)
        return local.date() > self.registration_deadline

    def is_held(self, at: datetime) -> bool:
        return at >= self.followup.end


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    title: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""


@dataclass(slots=True)
class Programme:
    name: str
    subtitle: str
    organisers: list[str]
    price_excl_vat: Decimal
    vat_rate: Decimal
    price_includes: list[str]
    price_excludes: list[str]
    invoice_weeks_before: int
    coordinator: Contact
    fields: list[ProfessionalField]
    cohorts: list[Cohort]
    #: After a cohort's deadline a freed seat is offered; the offer stands this many days.
    offer_days: int = 7
    #: The language the coordinators work in ("da" or "en"); letters follow their templates.
    language: str = "da"
    #: Where participants evaluate the seminar (the follow-up letter links to it), if anywhere.
    evaluation_url: str = ""
    #: The invoice run: the first number of the series, and days until an invoice is due.
    invoice_first_number: int = 1
    invoice_due_days: int = 30

    def cohort(self, number: int) -> Cohort:
        for cohort in self.cohorts:
            if cohort.number == number:
                return cohort
        known = ", ".join(str(c.number) for c in self.cohorts)
        raise UnknownRecord(
            _("there is no hold {number} (the programme has hold {known})").format(
                number=number, known=known
            )
        )

    def field(self, key: str) -> ProfessionalField:
        for professional_field in self.fields:
            if professional_field.key == key:
                return professional_field
        raise UnknownRecord(_("unknown professional field {key}").format(key=repr(key)))

    def field_label(self, key: str) -> str:
        for professional_field in self.fields:
            if professional_field.key == key:
                return professional_field.label
        return key

    @property
    def lead_field(self) -> str:
        """The directorate's head (the municipal director): the first field of the definition.
        A directorate's letters go to the person of this field."""
        return self.fields[0].key


@dataclass(frozen=True, slots=True)
class Region:
    name: str
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True, slots=True)
class Municipality:
    code: int
    name: str
    official_name: str
    region: str

    @property
    def code_text(self) -> str:
        """The official three-digit code, e.g. ``"101"`` or ``"751"``."""
        return f"{self.code:03d}"


class InvoiceDetails(NamedTuple):
    """What finance needs to send an electronic invoice (OIOUBL via NemHandel).

    An immutable value: change it with ``invoice._replace(ean=...)``.
    """

    ean: str = ""
    cvr: str = ""
    reference: str = ""
    contact_name: str = ""
    contact_email: str = ""


@dataclass(slots=True)
class Directorate:
    """A municipality's registration: its top-management team, registered to one cohort.

    ``cohort`` is where it registered (its people may sit elsewhere: see
    :mod:`kommunestyre.domain.capacity`). It has no status of its own: where it stands follows
    from its people. ``cancelled_at`` is when it was withdrawn as a whole, if it was.
    """

    id: int
    municipality_code: int
    cohort: int
    seq: int
    registered_at: datetime
    invoice: InvoiceDetails = InvoiceDetails()  # noqa: RUF009 - an immutable value
    cancelled_at: datetime | None = None
    notes: str = ""
    rev: int = 0


class ParticipantDetails(NamedTuple):
    """What a person is: the part of a participant that a form edits.

    An immutable value (a form produces a new one; ``details._replace(title=...)``), which
    also lets the store see a change by identity alone.
    """

    name: str
    title: str = ""
    field: str = "andet"
    email: str = ""
    phone: str = ""
    needs: str = ""
    notes: str = ""
    extra_fields: tuple[str, ...] = ()


#: The meetings of a cohort that attendance is recorded for (the stored keys).
MEETINGS = ("seminar", "followup")


class Attendance(NamedTuple):
    """Who came, as recorded at the check-in: per meeting True (present), False (absent) or
    None (not recorded), for the cohort ``cohort`` the person sat in when marked (a move to
    another cohort leaves the old marks behind, unread). See :mod:`kommunestyre.domain.attendance`.
    """

    cohort: int = 0
    seminar: bool | None = None
    followup: bool | None = None

    def at(self, cohort: int, meeting: str) -> bool | None:
        """Present, absent or not recorded (None) at ``meeting`` of ``cohort``."""
        if self.cohort != cohort:
            return None
        return self.seminar if meeting == "seminar" else self.followup


@dataclass(slots=True)
class Participant:
    """A director taking part. ``seq`` is the place in the order of registration."""

    id: int
    directorate_id: int
    cohort: int
    details: ParticipantDetails
    status: Status
    seq: int
    registered_at: datetime
    cancelled_at: datetime | None = None
    billable_cancellation: bool = False
    replaces: int | None = None
    replaced_by: int | None = None
    rev: int = 0
    #: The registration became binding in a cohort the person has since moved from.
    bound: bool = False
    #: An open seat offer stands until this moment (status OFFERED) ...
    offered_until: datetime | None = None
    #: ... and is answered together with everyone offered with the same key (a group offer).
    offer_key: int | None = None
    #: Where the person stood when cancelled (a reinstatement restores it).
    cancelled_from: Status | None = None
    #: Who came to the cohort's meetings (the check-in; nothing recorded by default).
    attendance: Attendance = Attendance()  # noqa: RUF009 - an immutable value

    @property
    def name(self) -> str:
        return self.details.name

    @property
    def fields(self) -> list[str]:
        """Every network the person belongs to: the primary field first."""
        return [
            self.details.field,
            *(f for f in self.details.extra_fields if f != self.details.field),
        ]

    @property
    def is_billable(self) -> bool:
        """Holds a paid seat, or cancelled after the registration became binding (an offered
        seat is held, not paid, until it is accepted)."""
        return self.status is Status.ADMITTED or (
            self.status is Status.CANCELLED and self.billable_cancellation
        )


@dataclass(slots=True)
class MunicipalityContact:
    """The person a municipality's letters go to (usually the municipal director)."""

    municipality_code: int
    name: str = ""
    title: str = ""
    email: str = ""
    declined: bool = False
    notes: str = ""
    rev: int = 0


@dataclass(slots=True)
class Register:
    """Everything the rules work on: the programme and who is registered where."""

    programme: Programme
    directorates: dict[int, Directorate] = dataclasses.field(default_factory=dict)
    participants: dict[int, Participant] = dataclasses.field(default_factory=dict)
    contacts: dict[int, MunicipalityContact] = dataclasses.field(default_factory=dict)
    next_directorate_id: int = 1
    next_participant_id: int = 1
    next_seq: int = 1
    #: Issued invoices and credit notes by number (see :mod:`kommunestyre.domain.invoicing`).
    invoices: dict[int, Invoice] = dataclasses.field(default_factory=dict)

    def cohort(self, number: int) -> Cohort:
        return self.programme.cohort(number)

    def directorate(self, directorate_id: int) -> Directorate:
        try:
            return self.directorates[directorate_id]
        except KeyError:
            raise UnknownRecord(
                _("there is no directorate with id {id}").format(id=directorate_id)
            ) from None

    def participant(self, participant_id: int) -> Participant:
        try:
            return self.participants[participant_id]
        except KeyError:
            raise UnknownRecord(
                _("there is no participant with id {id}").format(id=participant_id)
            ) from None

    def members(self, directorate_id: int) -> list[Participant]:
        """A directorate's people in registration order, the cancelled ones included."""
        found = [p for p in self.participants.values() if p.directorate_id == directorate_id]
        return sorted(found, key=lambda p: (p.seq, p.id))

    def is_registered(self, directorate_id: int) -> bool:
        """Does the registration still count: somebody of it is admitted, offered or waiting?"""
        return any(
            p.status.is_active
            for p in self.participants.values()
            if p.directorate_id == directorate_id
        )

    def registrations(self) -> dict[int, Directorate]:
        """Every registration that still counts, by municipality code (one pass)."""
        active = {p.directorate_id for p in self.participants.values() if p.status.is_active}
        return {d.municipality_code: d for d in self.directorates.values() if d.id in active}

    def directorate_of_municipality(self, code: int) -> Directorate | None:
        """The municipality's registration that still counts (not cancelled), if any."""
        return self.registrations().get(code)

    def latest_directorate_of_municipality(self, code: int) -> Directorate | None:
        """The municipality's current registration, else its most recent cancelled one."""
        found = [d for d in self.directorates.values() if d.municipality_code == code]
        if not found:
            return None
        current = self.directorate_of_municipality(code)
        return current or max(found, key=lambda d: (d.seq, d.id))

    def contact(self, code: int) -> MunicipalityContact:
        """The municipality's contact (an empty one if none was recorded yet)."""
        return self.contacts.setdefault(code, MunicipalityContact(code))

    def take_seq(self) -> int:
        seq = self.next_seq
        self.next_seq += 1
        return seq

    def take_directorate_id(self) -> int:
        new_id = self.next_directorate_id
        self.next_directorate_id += 1
        return new_id

    def take_participant_id(self) -> int:
        new_id = self.next_participant_id
        self.next_participant_id += 1
        return new_id
