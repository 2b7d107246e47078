"""The invoice run and the invoices' status, as use cases (one transaction each, logged)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kommunestyre.domain import invoicing
from kommunestyre.domain.invoicing import Invoice, InvoiceKind, InvoiceStatus
from kommunestyre.domain.model import Register
from kommunestyre.domain.pricing import round_ore
from kommunestyre.formats import money
from kommunestyre.i18n import _
from kommunestyre.services.registry import Registry


@dataclass(frozen=True, slots=True)
class RunResult:
    documents: list[Invoice]
    dry_run: bool

    def lines(self) -> list[str]:
        if not self.documents:
            return [_("Nothing to invoice: every billable seat is invoiced.")]
        return [describe(document) for document in self.documents]


def describe(document: Invoice) -> str:
    """ "Invoice 2030001, Kolding, hold 1: 74.500,00 kr. excl. VAT (3 lines)"."""
    if document.kind is InvoiceKind.CREDIT_NOTE:
        text = _("Credit note {number}, {municipality}, hold {cohort}: {amount} excl. VAT")
    else:
        text = _("Invoice {number}, {municipality}, hold {cohort}: {amount} excl. VAT")
    return text.format(
        number=document.number,
        municipality=document.municipality,
        cohort=document.cohort,
        amount=money(document.excl_vat),
    )


def run(registry: Registry, cohort: int, *, dry_run: bool = False) -> RunResult:
    """One invoice run for ``cohort``: the documents issued (or, dry, that would be)."""
    with registry.repository.change(dry_run=dry_run) as change:
        documents = invoicing.run(change.register, cohort, change.now)
        for document in documents:
            change.log(
                "invoices",
                describe(document),
                participants=[line.participant_id for line in document.lines],
            )
    return RunResult(documents, dry_run)


def mark(registry: Registry, number: int, status: InvoiceStatus) -> Invoice:
    with registry.repository.change() as change:
        document = invoicing.mark(change.register, number, status)
        if status is InvoiceStatus.PAID:
            summary = _("{document}: marked paid")
        else:
            summary = _("{document}: marked sent")
        change.log("invoices", summary.format(document=describe(document)))
    return document


def _amount(value: Decimal) -> str:
    return f"{round_ore(value):.2f}"


def as_json(register: Register) -> list[dict[str, Any]]:
    """Every document, by number (amounts as decimal strings, negative on a credit note)."""
    return [
        {
            "number": d.number,
            "kind": d.kind.value,
            "municipality": d.municipality,
            "municipality_code": d.municipality_code,
            "cohort": d.cohort,
            "date": d.date.isoformat(),
            "due": d.due.isoformat(),
            "status": d.status.value,
            "ean": d.details.ean,
            "reference": d.details.reference,
            "excl_vat": _amount(d.excl_vat),
            "vat": _amount(d.vat),
            "total": _amount(d.total),
            "lines": [
                {
                    "text": line.text,
                    "unit_excl_vat": _amount(line.unit_excl_vat),
                    "vat_rate": str(line.vat_rate),
                }
                for line in d.lines
            ],
        }
        for d in sorted(register.invoices.values(), key=lambda d: d.number)
    ]


def as_text(register: Register) -> str:
    documents = sorted(register.invoices.values(), key=lambda d: d.number)
    if not documents:
        return _("No invoices yet.")
    rows = [
        f"{d.number:>9}  {d.kind.label:<14} {d.municipality:<18} {d.cohort:>2}  "
        f"{d.date.isoformat()}  {d.due.isoformat()}  {d.status.label:<8} {money(d.total):>16}"
        for d in documents
    ]
    return "\n".join(rows)
