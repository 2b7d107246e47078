"""Add, edit or substitute a participant: one form, the domain's checks at each field."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, SelectionList, Static

from kommunestyre.domain.model import ParticipantDetails, ProfessionalField
from kommunestyre.domain.validation import (
    clean_note,
    clean_text,
    require_name,
    validate_email,
    validate_phone,
)
from kommunestyre.errors import KommunestyreError
from kommunestyre.tui.widgets.form import FormField, SelectField, mark_errors


def _text(field: str) -> object:
    return lambda value: clean_text(value, field)


class ParticipantForm(ModalScreen[ParticipantDetails | None]):
    """Returns the details typed (checked field by field), or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(
        self,
        heading: str,
        fields: Sequence[ProfessionalField],
        details: ParticipantDetails | None = None,
        *,
        error: KommunestyreError | None = None,
        note: str = "",
    ) -> None:
        super().__init__(classes="modal")
        self.heading = heading
        self.fields = list(fields)
        self.details = details or ParticipantDetails(name="", field=self.fields[0].key)
        self.error = error
        self.note = note

    def compose(self) -> ComposeResult:
        d = self.details
        with VerticalScroll(classes="dialog", id="participant-form"):
            yield Static(self.heading, classes="dialog-title")
            if self.note:
                yield Static(self.note, classes="note")
            yield FormField("Name", "name", d.name, check=require_name)
            yield FormField(
                "Title", "title", d.title, check=_text("title"), placeholder="e.g. Kommunaldirektør"
            )
            yield SelectField("Field", "field", [(f.label, f.key) for f in self.fields], d.field)
            yield Label("Also in the networks of", classes="sub-label")
            yield SelectionList[str](
                *((f.label, f.key, f.key in d.extra_fields) for f in self.fields),
                id="extra-fields",
                compact=True,
            )
            yield FormField("E-mail", "email", d.email, check=validate_email)
            yield FormField(
                "Phone", "phone", d.phone, check=validate_phone, placeholder="12 34 56 78"
            )
            yield FormField(
                "Diet / access", "needs", d.needs, check=lambda v: clean_note(v, "needs")
            )
            yield FormField("Notes", "notes", d.notes, check=lambda v: clean_note(v, "notes"))
            yield Static(classes="form-error", id="form-error")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#input-name").focus()
        if self.error is not None:
            rest = mark_errors(self.query_one("#participant-form", VerticalScroll), self.error)
            self.query_one("#form-error", Static).update(rest or "")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        fields = list(self.query(FormField))
        if not all([f.validate_now() for f in fields]):
            self.app.bell()
            return
        values = {f.field_name: f.value for f in fields}
        primary = str(self.query_one(SelectField).value)
        extra = tuple(k for k in self.query_one(SelectionList).selected if k != primary)
        self.dismiss(ParticipantDetails(field=primary, extra_fields=extra, **values))
