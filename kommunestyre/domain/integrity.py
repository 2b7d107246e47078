"""Is a register whole? The shape and the references of every record, checked once when a
database is read, so that a hand-edited or damaged file is refused with the record that is
wrong instead of failing later, somewhere else, with a traceback.
"""

from __future__ import annotations

from datetime import datetime

from kommunestyre.domain.model import Register, Status
from kommunestyre.domain.municipalities import all_municipalities
from kommunestyre.i18n import _

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
        wrong(_("the programme has no cohorts"))
        return found
    if not programme.fields:
        wrong(_("the programme has no professional fields"))
        return found
    cohorts = {c.number for c in programme.cohorts}
    codes = {m.code for m in all_municipalities()}
    for d in register.directorates.values():
        if d.cohort not in cohorts and wrong(
            _("directorate {id}: there is no hold {number}").format(id=d.id, number=d.cohort)
        ):
            return found
        if d.municipality_code not in codes and wrong(
            _("directorate {id}: {code} is not a municipality code").format(
                id=d.id, code=repr(d.municipality_code)
            )
        ):
            return found
        bad = [k for k in _TEXT_INVOICE if not isinstance(getattr(d.invoice, k), str)]
        if bad and wrong(
            _("directorate {id}: invoice.{key} is not a text").format(id=d.id, key=bad[0])
        ):
            return found
    for number, invoice in register.invoices.items():
        where = _("invoices {number}").format(number=number)
        if invoice.number != number and wrong(
            _("{where}: it says it is number {other}").format(where=where, other=invoice.number)
        ):
            return found
        if invoice.cohort not in cohorts and wrong(
            _("{where}: there is no hold {number}").format(where=where, number=invoice.cohort)
        ):
            return found
        if invoice.municipality_code not in codes and wrong(
            _("{where}: {code} is not a municipality code").format(
                where=where, code=repr(invoice.municipality_code)
            )
        ):
            return found
    for p in register.participants.values():
        details = p.details
        bad = [k for k in _TEXT_DETAILS if not isinstance(getattr(details, k), str)]
        if not all(isinstance(f, str) for f in details.extra_fields):
            bad.append("extra_fields")
        if bad:
            if wrong(_("participant {id}: {key} is not a text").format(id=p.id, key=bad[0])):
                return found
            continue
        if p.directorate_id not in register.directorates and wrong(
            _("participant {id}: its directorate {directorate} does not exist").format(
                id=p.id, directorate=p.directorate_id
            )
        ):
            return found
        if p.cohort not in cohorts and wrong(
            _("participant {id}: there is no hold {number}").format(id=p.id, number=p.cohort)
        ):
            return found
        if (p.status is Status.OFFERED) != isinstance(p.offered_until, datetime) and wrong(
            _(
                "participant {id}: a seat offer needs an answer-by date, and only an offer has one"
            ).format(id=p.id)
        ):
            return found
        for link in (p.replaces, p.replaced_by):
            if (
                link is not None
                and link not in register.participants
                and wrong(
                    _("participant {id}: it names participant {other}, who does not exist").format(
                        id=p.id, other=link
                    )
                )
            ):
                return found
    for code, contact in register.contacts.items():
        if code not in codes and wrong(
            _("contact {code}: not a municipality code").format(code=code)
        ):
            return found
        bad = [k for k in _TEXT_CONTACT if not isinstance(getattr(contact, k), str)]
        if bad and wrong(_("contact {code}: {key} is not a text").format(code=code, key=bad[0])):
            return found
    if register.participants and register.next_participant_id <= max(register.participants):
        wrong(_("the participant counter is behind the records (new ones would overwrite them)"))
    elif register.directorates and register.next_directorate_id <= max(register.directorates):
        wrong(_("the directorate counter is behind the records (new ones would overwrite them)"))
    return found
