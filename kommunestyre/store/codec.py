"""Domain objects to JSON-ready dicts and back.

Encoding is deterministic, so a record that was not changed encodes to exactly the dict it was
read from; that is how a transaction finds what to write.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any

from kommunestyre.clock import local
from kommunestyre.domain.invoicing import DocumentLine, Invoice, InvoiceKind, InvoiceStatus
from kommunestyre.domain.model import (
    Attendance,
    Cohort,
    Contact,
    Directorate,
    InvoiceDetails,
    Meeting,
    MunicipalityContact,
    Participant,
    ParticipantDetails,
    ProfessionalField,
    Programme,
    Role,
    Speaker,
    Status,
    Venue,
)
from kommunestyre.i18n import _

Doc = dict[str, Any]

_STATUS = {status.value: status for status in Status}


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def encode_venue(venue: Venue) -> Doc:
    return {
        "name": venue.name,
        "address": venue.address,
        "postcode": venue.postcode,
        "town": venue.town,
    }


def decode_venue(doc: Doc) -> Venue:
    return Venue(doc["name"], doc["address"], doc["postcode"], doc["town"])


def _encode_meeting(meeting: Meeting) -> Doc:
    return {
        "start": meeting.start.isoformat(),
        "end": meeting.end.isoformat(),
        "venue": encode_venue(meeting.venue),
    }


def _decode_meeting(doc: Doc) -> Meeting:
    return Meeting(
        local(datetime.fromisoformat(doc["start"])),
        local(datetime.fromisoformat(doc["end"])),
        decode_venue(doc["venue"]),
    )


def encode_cohort(cohort: Cohort) -> Doc:
    return {
        "number": cohort.number,
        "seminar": _encode_meeting(cohort.seminar),
        "followup": _encode_meeting(cohort.followup),
        "registration_deadline": cohort.registration_deadline.isoformat(),
        "min_directorates": cohort.min_directorates,
        "max_directorates": cohort.max_directorates,
        "max_participants": cohort.max_participants,
        "speakers": [
            {
                "name": s.name,
                "title": s.title,
                "organisation": s.organisation,
                "role": s.role.value,
                "topic": s.topic,
            }
            for s in cohort.speakers
        ],
        "themes": list(cohort.themes),
        "rev": cohort.rev,
    }


def decode_cohort(doc: Doc) -> Cohort:
    return Cohort(
        number=doc["number"],
        seminar=_decode_meeting(doc["seminar"]),
        followup=_decode_meeting(doc["followup"]),
        registration_deadline=date.fromisoformat(doc["registration_deadline"]),
        min_directorates=doc["min_directorates"],
        max_directorates=doc["max_directorates"],
        max_participants=doc["max_participants"],
        speakers=[
            Speaker(s["name"], s["title"], s["organisation"], Role(s["role"]), s["topic"])
            for s in doc["speakers"]
        ],
        themes=list(doc["themes"]),
        rev=doc.get("rev", 0),
    )


def encode_settings(programme: Programme) -> Doc:
    """The programme without its cohorts (those are records of their own)."""
    c = programme.coordinator
    return {
        "name": programme.name,
        "subtitle": programme.subtitle,
        "organisers": list(programme.organisers),
        "price_excl_vat": str(programme.price_excl_vat),
        "vat_rate": str(programme.vat_rate),
        "price_includes": list(programme.price_includes),
        "price_excludes": list(programme.price_excludes),
        "invoice_weeks_before": programme.invoice_weeks_before,
        "offer_days": programme.offer_days,
        "language": programme.language,
        "evaluation_url": programme.evaluation_url,
        "invoicing": {
            "first_number": programme.invoice_first_number,
            "due_days": programme.invoice_due_days,
        },
        "coordinator": {
            "name": c.name,
            "title": c.title,
            "organisation": c.organisation,
            "email": c.email,
            "phone": c.phone,
        },
        "fields": [
            {"key": f.key, "label": f.label, "association": f.association} for f in programme.fields
        ],
    }


def decode_programme(doc: Doc, cohorts: list[Cohort]) -> Programme:
    return Programme(
        name=doc["name"],
        subtitle=doc["subtitle"],
        organisers=list(doc["organisers"]),
        price_excl_vat=Decimal(doc["price_excl_vat"]),
        vat_rate=Decimal(doc["vat_rate"]),
        price_includes=list(doc["price_includes"]),
        price_excludes=list(doc["price_excludes"]),
        invoice_weeks_before=doc["invoice_weeks_before"],
        coordinator=Contact(**doc["coordinator"]),
        fields=[ProfessionalField(**f) for f in doc["fields"]],
        cohorts=sorted(cohorts, key=lambda c: c.number),
        offer_days=doc["offer_days"],
        language=doc.get("language", "da"),  # databases from before issue 10 are Danish
        evaluation_url=doc.get("evaluation_url", ""),  # optional; absent before the check-in
        # databases from before the invoice run (issue 12) number from 1, due in 30 days
        invoice_first_number=doc.get("invoicing", {}).get("first_number", 1),
        invoice_due_days=doc.get("invoicing", {}).get("due_days", 30),
    )


def encode_directorate(d: Directorate) -> Doc:
    i = d.invoice
    return {
        "id": d.id,
        "municipality_code": d.municipality_code,
        "cohort": d.cohort,
        "seq": d.seq,
        "registered_at": d.registered_at.isoformat(),
        "invoice": {
            "ean": i.ean,
            "cvr": i.cvr,
            "reference": i.reference,
            "contact_name": i.contact_name,
            "contact_email": i.contact_email,
        },
        "cancelled_at": _time(d.cancelled_at),
        "notes": d.notes,
        "rev": d.rev,
    }


def decode_directorate(doc: Doc) -> Directorate:
    return Directorate(
        id=doc["id"],
        municipality_code=doc["municipality_code"],
        cohort=doc["cohort"],
        seq=doc["seq"],
        registered_at=datetime.fromisoformat(doc["registered_at"]),
        invoice=InvoiceDetails(**doc["invoice"]),
        cancelled_at=_parse_time(doc["cancelled_at"]),
        notes=doc["notes"],
        rev=doc.get("rev", 0),
    )


def encode_participant(p: Participant) -> Doc:
    d = p.details
    return {
        "id": p.id,
        "directorate_id": p.directorate_id,
        "cohort": p.cohort,
        "name": d.name,
        "title": d.title,
        "field": d.field,
        "extra_fields": list(d.extra_fields),
        "email": d.email,
        "phone": d.phone,
        "needs": d.needs,
        "notes": d.notes,
        "status": p.status.value,
        "seq": p.seq,
        "registered_at": p.registered_at.isoformat(),
        "cancelled_at": _time(p.cancelled_at),
        "billable_cancellation": p.billable_cancellation,
        "replaces": p.replaces,
        "replaced_by": p.replaced_by,
        "rev": p.rev,
        "bound": p.bound,
        "offered_until": _time(p.offered_until),
        "offer_key": p.offer_key,
        "cancelled_from": None if p.cancelled_from is None else p.cancelled_from.value,
        "attendance": _encode_attendance(p.attendance),
    }


def _encode_attendance(attendance: Attendance) -> Doc | None:
    if attendance == _NO_ATTENDANCE:
        return None
    return {
        "cohort": attendance.cohort,
        "seminar": attendance.seminar,
        "followup": attendance.followup,
    }


_NO_ATTENDANCE = Attendance()


def _mark(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ValueError(_("attendance {value} is not true, false or null").format(value=repr(value)))


def _decode_attendance(doc: Doc | None) -> Attendance:
    """A participant's attendance (absent from databases written before the check-in)."""
    if doc is None:
        return _NO_ATTENDANCE
    cohort = doc["cohort"]
    if not isinstance(cohort, int) or isinstance(cohort, bool):
        raise ValueError(_("attendance cohort {value} is not a number").format(value=repr(cohort)))
    return Attendance(cohort, _mark(doc["seminar"]), _mark(doc["followup"]))


def decode_participant(doc: Doc) -> Participant:
    # Positional arguments: this runs for every participant in every transaction.
    cancelled = doc["cancelled_at"]
    offered = doc["offered_until"]
    cancelled_from = doc["cancelled_from"]
    return Participant(
        doc["id"],
        doc["directorate_id"],
        doc["cohort"],
        ParticipantDetails(
            doc["name"],
            doc["title"],
            doc["field"],
            doc["email"],
            doc["phone"],
            doc["needs"],
            doc["notes"],
            tuple(doc["extra_fields"]),
        ),
        _STATUS[doc["status"]],
        doc["seq"],
        datetime.fromisoformat(doc["registered_at"]),
        None if cancelled is None else datetime.fromisoformat(cancelled),
        doc["billable_cancellation"],
        doc["replaces"],
        doc["replaced_by"],
        doc.get("rev", 0),
        doc.get("bound", False),
        None if offered is None else datetime.fromisoformat(offered),
        doc["offer_key"],
        None if cancelled_from is None else _STATUS[cancelled_from],
        _decode_attendance(doc.get("attendance")),
    )


def encode_contact(contact: MunicipalityContact) -> Doc:
    return {
        "municipality_code": contact.municipality_code,
        "name": contact.name,
        "title": contact.title,
        "email": contact.email,
        "declined": contact.declined,
        "notes": contact.notes,
        "rev": contact.rev,
    }


def decode_contact(doc: Doc) -> MunicipalityContact:
    return MunicipalityContact(
        doc["municipality_code"],
        doc["name"],
        doc["title"],
        doc["email"],
        doc["declined"],
        doc["notes"],
        doc.get("rev", 0),
    )


def encode_invoice(invoice: Invoice) -> Doc:
    """An issued invoice or credit note (amounts as decimal strings, never floats)."""
    d = invoice.details
    return {
        "number": invoice.number,
        "kind": invoice.kind.value,
        "municipality_code": invoice.municipality_code,
        "cohort": invoice.cohort,
        "date": invoice.date.isoformat(),
        "due": invoice.due.isoformat(),
        "ean": d.ean,
        "cvr": d.cvr,
        "reference": d.reference,
        "contact_name": d.contact_name,
        "contact_email": d.contact_email,
        "lines": [
            {
                "participant_id": line.participant_id,
                "text": line.text,
                "unit_excl_vat": str(line.unit_excl_vat),
                "vat_rate": str(line.vat_rate),
            }
            for line in invoice.lines
        ],
        "created_at": invoice.created_at.isoformat(),
        "status": invoice.status.value,
        "rev": invoice.rev,
    }


def _whole(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")  # not translated: named by caller
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a text")  # not translated: named by caller
    return value


def _amount(value: Any) -> Decimal:
    """An amount or a rate as written: a finite decimal text, within what a programme's
    invoices can hold (no NaN, no 1e40)."""
    amount = Decimal(_text(value))
    exponent = amount.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -4 or abs(amount) >= 10**9:  # NaN, inf
        raise ValueError(f"{value!r} is not an amount")  # not translated: named by caller
    return amount


def decode_invoice(doc: Doc) -> Invoice:
    """An issued invoice or credit note. Money documents are read strictly: a hand edit that
    makes one unreadable is refused (naming it), never guessed at."""
    return Invoice(
        number=_whole(doc["number"]),
        kind=InvoiceKind(doc["kind"]),
        municipality_code=_whole(doc["municipality_code"]),
        cohort=_whole(doc["cohort"]),
        date=date.fromisoformat(doc["date"]),
        due=date.fromisoformat(doc["due"]),
        details=InvoiceDetails(
            *(_text(doc[k]) for k in ("ean", "cvr", "reference", "contact_name", "contact_email"))
        ),
        lines=tuple(
            DocumentLine(
                _whole(line["participant_id"]),
                _text(line["text"]),
                _amount(line["unit_excl_vat"]),
                _amount(line["vat_rate"]),
            )
            for line in doc["lines"]
        ),
        created_at=datetime.fromisoformat(doc["created_at"]),
        status=InvoiceStatus(doc["status"]),
        rev=_whole(doc.get("rev", 0)),
    )


# -- change detection -----------------------------------------------------------------------
# A transaction remembers each record's state when it was read and re-encodes only the records
# whose state differs afterwards. Every field is an immutable value (the details are
# NamedTuples), so a tuple of the fields captures the record completely.

participant_state = attrgetter(*(f.name for f in fields(Participant)))
directorate_state = attrgetter(*(f.name for f in fields(Directorate)))
