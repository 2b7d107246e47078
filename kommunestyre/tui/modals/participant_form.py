"""Add, edit or substitute a participant: one form, the domain's checks at each field."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import SelectionList

from kommunestyre.domain.model import ParticipantDetails, ProfessionalField
from kommunestyre.domain.validation import (
    clean_note,
    clean_text,
    require_name,
    validate_email,
    validate_phone,
)
from kommunestyre.errors import KommunestyreError
from kommunestyre.i18n import _
from kommunestyre.tui.modals.form_modal import FormModal
from kommunestyre.tui.widgets.form import FormField, SelectField
from kommunestyre.tui.widgets.plain import Plain, PlainLabel, plain
from kommunestyre.tui.widgets.ticks import TickList


class ParticipantForm(FormModal[ParticipantDetails]):
    """Returns the details typed (checked field by field), or None when cancelled."""

    FORM_ID = "participant-form"

    def __init__(
        self,
        heading: str,
        fields: Sequence[ProfessionalField],
        details: ParticipantDetails | None = None,
        *,
        error: KommunestyreError | None = None,
        note: str = "",
    ) -> None:
        super().__init__(error=error)
        self.heading = heading
        self.fields = list(fields)
        self.details = details or ParticipantDetails(name="", field=self.fields[0].key)
        self.note = note

    def compose(self) -> ComposeResult:
        d = self.details
        with VerticalScroll(classes="dialog", id=self.FORM_ID):
            yield Plain(self.heading, classes="dialog-title")
            if self.note:
                yield Plain(self.note, classes="note")
            yield FormField(_("Name"), "name", d.name, check=require_name)
            yield FormField(
                _("Title"),
                "title",
                d.title,
                check=lambda v: clean_text(v, "title"),
                placeholder=_("e.g. Kommunaldirektør"),
            )
            yield SelectField(
                _("Field"), "field", [(plain(f.label), f.key) for f in self.fields], d.field
            )
            yield PlainLabel(_("Also in the networks of"), classes="sub-label")
            yield TickList(
                *((plain(f.label), f.key, f.key in d.extra_fields) for f in self.fields),
                id="extra-fields",
                compact=True,
            )
            yield FormField(_("E-mail"), "email", d.email, check=validate_email)
            yield FormField(
                _("Phone"), "phone", d.phone, check=validate_phone, placeholder="12 34 56 78"
            )
            yield FormField(
                _("Diet / access"), "needs", d.needs, check=lambda v: clean_note(v, "needs")
            )
            yield FormField(_("Notes"), "notes", d.notes, check=lambda v: clean_note(v, "notes"))
            yield from self.compose_buttons()

    def result(self) -> ParticipantDetails:
        primary = str(self.query_one(SelectField).value)
        extra = tuple(k for k in self.query_one(SelectionList).selected if k != primary)
        return ParticipantDetails(field=primary, extra_fields=extra, **self.values())
