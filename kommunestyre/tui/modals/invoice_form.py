"""A directorate's invoice details: EAN (with its check digit), CVR, reference, contact."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kommunestyre.domain.model import InvoiceDetails
from kommunestyre.domain.validation import clean_text, validate_cvr, validate_ean, validate_email
from kommunestyre.errors import KommunestyreError
from kommunestyre.tui.widgets.form import FormField, mark_errors


class InvoiceForm(ModalScreen[InvoiceDetails | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="invoice.save"),
        Binding("escape", "cancel", "Cancel", id="invoice.cancel"),
    ]

    def __init__(
        self, heading: str, invoice: InvoiceDetails, *, error: KommunestyreError | None = None
    ) -> None:
        super().__init__(classes="modal")
        self.heading = heading
        self.invoice = invoice
        self.error = error

    def compose(self) -> ComposeResult:
        i = self.invoice
        with Vertical(classes="dialog", id="invoice-form"):
            yield Static(self.heading, classes="dialog-title")
            yield FormField(
                "EAN", "ean", i.ean, check=validate_ean, placeholder="13 digits (5798...)"
            )
            yield FormField("CVR", "cvr", i.cvr, check=validate_cvr, placeholder="optional")
            yield FormField(
                "Reference", "reference", i.reference, check=lambda v: clean_text(v, "reference")
            )
            yield FormField(
                "Contact",
                "contact_name",
                i.contact_name,
                check=lambda v: clean_text(v, "contact_name"),
            )
            yield FormField(
                "Contact e-mail",
                "contact_email",
                i.contact_email,
                check=lambda v: validate_email(v, "contact_email", required=False),
            )
            yield Static(id="form-error", classes="form-error")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#input-ean").focus()
        if self.error is not None:
            rest = mark_errors(self.query_one("#invoice-form", Vertical), self.error)
            self.query_one("#form-error", Static).update(rest or "")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "save" else self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        fields = list(self.query(FormField))
        if not all([f.validate_now() for f in fields]):
            self.app.bell()
            return
        self.dismiss(InvoiceDetails(**{f.field_name: f.value for f in fields}))
