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
from kommunestyre.domain.model import (
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
    }


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


# -- change detection -----------------------------------------------------------------------
# A transaction remembers each record's state when it was read and re-encodes only the records
# whose state differs afterwards. Every field is an immutable value (the details are
# NamedTuples), so a tuple of the fields captures the record completely.

participant_state = attrgetter(*(f.name for f in fields(Participant)))
directorate_state = attrgetter(*(f.name for f in fields(Directorate)))
