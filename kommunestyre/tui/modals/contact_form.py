"""A municipality's contact: who its letters go to, and whether it has said no thanks."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from kommunestyre.domain.model import MunicipalityContact
from kommunestyre.domain.validation import clean_note, clean_text, validate_email
from kommunestyre.errors import KommunestyreError
from kommunestyre.i18n import N_, _
from kommunestyre.tui.modals.form_modal import FormModal
from kommunestyre.tui.widgets.form import FormField, SelectField
from kommunestyre.tui.widgets.plain import Plain

#: The "Declined" choices (in English; shown through ``_()``).
DECLINED_OPTIONS = [
    (N_("No: invite them"), False),
    (N_("Yes: leave them out of invitations"), True),
]


class ContactForm(FormModal[MunicipalityContact]):
    FORM_ID = "contact-form"

    def __init__(
        self, heading: str, contact: MunicipalityContact, *, error: KommunestyreError | None = None
    ) -> None:
        super().__init__(error=error)
        self.heading = heading
        self.contact = contact

    def compose(self) -> ComposeResult:
        c = self.contact
        with Vertical(classes="dialog", id=self.FORM_ID):
            yield Plain(self.heading, classes="dialog-title")
            yield Plain(
                _("Invitations go to this person. Every field may stay empty until you send one."),
                classes="note",
            )
            yield FormField(_("Name"), "name", c.name, check=lambda v: clean_text(v, "name"))
            yield FormField(
                _("Title"),
                "title",
                c.title,
                check=lambda v: clean_text(v, "title"),
                placeholder=_("e.g. Kommunaldirektør"),
            )
            yield FormField(
                _("E-mail"), "email", c.email, check=lambda v: validate_email(v, required=False)
            )
            options = [(_(label), value) for label, value in DECLINED_OPTIONS]
            yield SelectField(_("Declined"), "declined", options, c.declined)
            yield FormField(_("Notes"), "notes", c.notes, check=lambda v: clean_note(v, "notes"))
            yield from self.compose_buttons()

    def result(self) -> MunicipalityContact:
        declined = bool(self.query_one(SelectField).value)
        return MunicipalityContact(
            self.contact.municipality_code, declined=declined, rev=self.contact.rev, **self.values()
        )
