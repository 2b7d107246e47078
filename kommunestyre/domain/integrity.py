"""Is a register whole? The shape and the references of every record, checked once when a
database is read, so that a hand-edited or damaged file is refused with the record that is
wrong instead of failing later, somewhere else, with a traceback.
"""

from __future__ import annotations

from datetime import datetime

from kommunestyre.domain.model import Register, Status
from kommunestyre.domain.municipalities import all_municipalities

_TEXT_DETAILS = ("name", "title", "field", "email", "phone", "needs", "notes")
_TEXT_INVOICE = ("ean", "cvr", "reference", "contact_name", "contact_email")
_TEXT_CONTACT = ("name", "title", "email", "notes")


def problems(register: Register, limit: int = 5) -> list[str]:
    """Up to ``limit`` descriptions of what is wrong, each naming its record; [] if whole."""
    found: list[str] = []

    def wrong(message: str) -> bool:
        found.append(message)
        return len(found) >= limit

    programme = register.programme
    if not programme.cohorts:
        wrong("the programme has no cohorts")
        return found
    if not programme.fields:
        wrong("the programme has no professional fields")
        return found
    cohorts = {c.number for c in programme.cohorts}
    codes = {m.code for m in all_municipalities()}
    for d in register.directorates.values():
        what = f"directorate {d.id}"
        if d.cohort not in cohorts and wrong(f"{what}: there is no hold {d.cohort}"):
            return found
        if d.municipality_code not in codes and wrong(
            f"{what}: {d.municipality_code!r} is not a municipality code"
        ):
            return found
        bad = [k for k in _TEXT_INVOICE if not isinstance(getattr(d.invoice, k), str)]
        if bad and wrong(f"{what}: invoice.{bad[0]} is not a text"):
            return found
    for p in register.participants.values():
        what = f"participant {p.id}"
        details = p.details
        bad = [k for k in _TEXT_DETAILS if not isinstance(getattr(details, k), str)]
        if not all(isinstance(f, str) for f in details.extra_fields):
            bad.append("extra_fields")
        if bad:
            if wrong(f"{what}: {bad[0]} is not a text"):
                return found
            continue
        if p.directorate_id not in register.directorates and wrong(
            f"{what}: its directorate {p.directorate_id} does not exist"
        ):
            return found
        if p.cohort not in cohorts and wrong(f"{what}: there is no hold {p.cohort}"):
            return found
        if (p.status is Status.OFFERED) != isinstance(p.offered_until, datetime) and wrong(
            f"{what}: a seat offer needs an answer-by date, and only an offer has one"
        ):
            return found
        for link in (p.replaces, p.replaced_by):
            if (
                link is not None
                and link not in register.participants
                and wrong(f"{what}: it names participant {link}, who does not exist")
            ):
                return found
    for code, contact in register.contacts.items():
        if code not in codes and wrong(f"contact {code}: not a municipality code"):
            return found
        bad = [k for k in _TEXT_CONTACT if not isinstance(getattr(contact, k), str)]
        if bad and wrong(f"contact {code}: {bad[0]} is not a text"):
            return found
    if register.participants and register.next_participant_id <= max(register.participants):
        wrong("the participant counter is behind the records (new ones would overwrite them)")
    elif register.directorates and register.next_directorate_id <= max(register.directorates):
        wrong("the directorate counter is behind the records (new ones would overwrite them)")
    return found
