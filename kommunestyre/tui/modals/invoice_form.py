"""A directorate's invoice details: EAN (with its check digit), CVR, reference, contact."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from kommunestyre.domain.model import InvoiceDetails
from kommunestyre.domain.validation import clean_text, validate_cvr, validate_ean, validate_email
from kommunestyre.errors import KommunestyreError
from kommunestyre.i18n import _
from kommunestyre.tui.modals.form_modal import FormModal
from kommunestyre.tui.widgets.form import FormField
from kommunestyre.tui.widgets.plain import Plain


def invoice_fields(invoice: InvoiceDetails) -> list[FormField]:
    """The invoice fields, shared with the directorate form."""
    i = invoice
    return [
        FormField(_("EAN"), "ean", i.ean, check=validate_ean, placeholder=_("13 digits (5798...)")),
        FormField(_("CVR"), "cvr", i.cvr, check=validate_cvr, placeholder=_("optional")),
        FormField(
            _("Reference"), "reference", i.reference, check=lambda v: clean_text(v, "reference")
        ),
        FormField(
            _("Invoice contact"),
            "contact_name",
            i.contact_name,
            check=lambda v: clean_text(v, "contact_name"),
        ),
        FormField(
            _("Contact e-mail"),
            "contact_email",
            i.contact_email,
            check=lambda v: validate_email(v, "contact_email", required=False),
        ),
    ]


class InvoiceForm(FormModal[InvoiceDetails]):
    FORM_ID = "invoice-form"

    def __init__(
        self, heading: str, invoice: InvoiceDetails, *, error: KommunestyreError | None = None
    ) -> None:
        super().__init__(error=error)
        self.heading = heading
        self.invoice = invoice

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id=self.FORM_ID):
            yield Plain(self.heading, classes="dialog-title")
            yield from invoice_fields(self.invoice)
            yield from self.compose_buttons()

    def result(self) -> InvoiceDetails:
        return InvoiceDetails(**self.values())
