"""The invoice run: numbered invoices and credit notes per municipality and cohort.

An issued document is never changed (only its status moves on: created, sent, paid). When what
a municipality owes in a cohort changes after a run, the next run issues the difference: a
credit note for the lines invoiced that are no longer billable, a supplementary invoice for the
billable lines not yet invoiced. So, after a run, invoices − credit notes = the pricing figures
(:func:`kommunestyre.domain.pricing.invoice_lines`) for every municipality and cohort.

A line is one seat: a participant (by id) at a unit price and VAT rate. Its text (the name, or
"late cancellation: NAME") is what the document says; a seat that turns into a late
cancellation is still the same billable line. Amounts are exact Decimals; rounding to øre is
for presentation (:func:`kommunestyre.domain.pricing.round_ore`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from kommunestyre.domain.model import InvoiceDetails, Participant, Register, Status
from kommunestyre.domain.municipalities import by_code
from kommunestyre.domain.pricing import invoice_lines
from kommunestyre.errors import RuleError, UnknownRecord
from kommunestyre.i18n import N_, _


class InvoiceKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"

    @property
    def label(self) -> str:
        return _(_LABELS[self])


class InvoiceStatus(StrEnum):
    CREATED = "created"
    SENT = "sent"
    PAID = "paid"

    @property
    def label(self) -> str:
        return _(_LABELS[self])


_LABELS: dict[StrEnum, str] = {
    InvoiceKind.INVOICE: N_("invoice"),
    InvoiceKind.CREDIT_NOTE: N_("credit note"),
    InvoiceStatus.CREATED: N_("created"),
    InvoiceStatus.SENT: N_("sent"),
    InvoiceStatus.PAID: N_("paid"),
}

#: The invoice details a document cannot be issued without (OIOUBL via NemHandel).
REQUIRED = (("ean", N_("EAN")), ("reference", N_("order reference")))


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """One seat on an invoice or credit note (amounts positive; the document gives the sign)."""

    participant_id: int
    text: str
    unit_excl_vat: Decimal
    vat_rate: Decimal

    @property
    def vat(self) -> Decimal:
        return self.unit_excl_vat * self.vat_rate


@dataclass(slots=True)
class Invoice:
    """An issued invoice or credit note. Only ``status`` (and ``rev``) ever change."""

    number: int
    kind: InvoiceKind
    municipality_code: int
    cohort: int
    date: dt.date
    due: dt.date
    details: InvoiceDetails
    lines: tuple[DocumentLine, ...]
    created_at: datetime
    status: InvoiceStatus = InvoiceStatus.CREATED
    rev: int = 0

    @property
    def sign(self) -> int:
        return -1 if self.kind is InvoiceKind.CREDIT_NOTE else 1

    @property
    def excl_vat(self) -> Decimal:
        """Signed: a credit note's amounts are negative."""
        return self.sign * sum((line.unit_excl_vat for line in self.lines), Decimal(0))

    @property
    def vat(self) -> Decimal:
        return self.sign * sum((line.vat for line in self.lines), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.excl_vat + self.vat

    @property
    def municipality(self) -> str:
        return by_code(self.municipality_code).name


@dataclass(frozen=True, slots=True)
class Planned:
    """What a run would issue, or why it cannot."""

    documents: list[Invoice]
    missing: list[str]  # "Kolding: EAN, order reference"


def _line_text(person: Participant) -> str:
    if person.status is Status.CANCELLED:
        return _("late cancellation: {name}").format(name=person.name)
    return person.name


def invoice_date(register: Register, cohort: int, today: date) -> date:
    """``invoice_weeks_before`` the cohort's seminar, or today if that has passed."""
    seminar = register.cohort(cohort).seminar.start.date()
    return max(seminar - timedelta(weeks=register.programme.invoice_weeks_before), today)


def next_number(register: Register) -> int:
    if not register.invoices:
        return register.programme.invoice_first_number
    return max(max(register.invoices) + 1, register.programme.invoice_first_number)


def invoiced_net(register: Register, code: int, cohort: int) -> Counter[DocumentLine]:
    """The lines invoiced to a municipality in a cohort, less those credited (by key)."""
    net: Counter[DocumentLine] = Counter()
    for document in register.invoices.values():
        if document.municipality_code == code and document.cohort == cohort:
            for line in document.lines:
                net[_keyed(line)] += document.sign
    return net


def _keyed(line: DocumentLine) -> DocumentLine:
    """The line with its text left out: what identifies a billable seat."""
    return dataclasses.replace(line, text="")


def plan_run(register: Register, cohort: int, now: datetime) -> Planned:
    """The documents a run for ``cohort`` issues now (none when everything is invoiced)."""
    register.cohort(cohort)
    programme = register.programme
    unit, rate = programme.price_excl_vat, programme.vat_rate
    wanted: dict[int, dict[DocumentLine, str]] = {}
    for line in invoice_lines(register, cohort):
        texts = wanted.setdefault(line.directorate.municipality_code, {})
        for person in line.people:
            texts[DocumentLine(person.id, "", unit, rate)] = _line_text(person)
    codes = set(wanted) | {
        d.municipality_code for d in register.invoices.values() if d.cohort == cohort
    }
    today = now.astimezone(register.cohort(cohort).seminar.start.tzinfo).date()
    issued = invoice_date(register, cohort, today)
    due = issued + timedelta(days=programme.invoice_due_days)
    number = next_number(register)
    documents: list[Invoice] = []
    missing: list[str] = []
    for code in sorted(codes, key=lambda c: by_code(c).name):
        texts = wanted.get(code, {})
        net = invoiced_net(register, code, cohort)
        extra = [key for key in texts if net[key] <= 0]
        gone = [key for key, count in net.items() if count > 0 and key not in texts]
        if not extra and not gone:
            continue
        directorate = register.latest_directorate_of_municipality(code)
        details = directorate.invoice if directorate is not None else InvoiceDetails()
        lacking = [_(label) for field, label in REQUIRED if not getattr(details, field).strip()]
        if lacking:
            missing.append(f"{by_code(code).name}: {', '.join(lacking)}")
            continue
        for kind, keys in ((InvoiceKind.CREDIT_NOTE, gone), (InvoiceKind.INVOICE, extra)):
            if not keys:
                continue
            lines = tuple(
                dataclasses.replace(key, text=texts.get(key) or _credited_text(register, key))
                for key in keys
            )
            documents.append(Invoice(number, kind, code, cohort, issued, due, details, lines, now))
            number += 1
    return Planned(documents, missing)


def _credited_text(register: Register, key: DocumentLine) -> str:
    """A credited line says what the invoiced line said."""
    for document in register.invoices.values():
        for line in document.lines:
            if _keyed(line) == key and document.kind is InvoiceKind.INVOICE:
                return line.text
    return str(key.participant_id)


def run(register: Register, cohort: int, now: datetime) -> list[Invoice]:
    """Issue the run's documents into the register; refused while any lacks a required field."""
    planned = plan_run(register, cohort, now)
    if planned.missing:
        raise RuleError(
            _(
                "no invoices were made for hold {number}: invoice details are missing ({missing})"
            ).format(number=cohort, missing="; ".join(planned.missing))
        )
    for document in planned.documents:
        register.invoices[document.number] = document
    return planned.documents


_NEXT: dict[InvoiceStatus, frozenset[InvoiceStatus]] = {
    InvoiceStatus.SENT: frozenset({InvoiceStatus.CREATED}),
    InvoiceStatus.PAID: frozenset({InvoiceStatus.CREATED, InvoiceStatus.SENT}),
}


def find(register: Register, number: int) -> Invoice:
    try:
        return register.invoices[number]
    except KeyError:
        raise UnknownRecord(
            _("there is no invoice number {number}").format(number=number)
        ) from None


def mark(register: Register, number: int, status: InvoiceStatus) -> Invoice:
    """Move a document on to ``sent`` or ``paid``."""
    document = find(register, number)
    if document.status not in _NEXT[status]:
        raise RuleError(
            _("{kind} {number} is already {status}").format(
                kind=document.kind.label, number=number, status=document.status.label
            )
        )
    document.status = status
    return document


def forget(register: Register, participant_ids: list[int], texts: Iterable[str] = ()) -> None:
    """Erasure: the people's names leave the invoices' lines, and an invoice contact whose name
    or address is among ``texts`` (erased names and addresses, in any case) leaves the
    invoices that name it. The amounts stay, as the books need."""
    erased = set(participant_ids)
    forgotten = {" ".join(t.split()).casefold() for t in texts if t.strip()}
    if not erased and not forgotten:
        return
    for document in register.invoices.values():
        if any(line.participant_id in erased for line in document.lines):
            document.lines = tuple(
                dataclasses.replace(line, text=_(ERASED_LINE))
                if line.participant_id in erased
                else line
                for line in document.lines
            )
        details = document.details
        named = {
            " ".join(details.contact_name.split()).casefold(),
            details.contact_email.casefold(),
        }
        if forgotten & named:
            document.details = details._replace(contact_name="", contact_email="")


#: What an erased person's invoice line says instead of their name.
ERASED_LINE = N_("(participant whose data was erased)")
