"""Register a municipality's directorate: who, where, how to invoice, and its members.

Before saving, the form says whether the directorate will get seats or go on the waiting list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Select, Static

from kommunestyre.domain import rules
from kommunestyre.domain.model import InvoiceDetails, ParticipantDetails, Register
from kommunestyre.domain.municipalities import all_municipalities, find_municipality, region_on
from kommunestyre.domain.validation import (
    clean_note,
    clean_text,
    require_name,
    validate_email,
    validate_phone,
)
from kommunestyre.errors import KommunestyreError, ValidationError
from kommunestyre.i18n import N_, _, ngettext
from kommunestyre.tui.modals.form_modal import FormModal
from kommunestyre.tui.modals.invoice_form import invoice_fields
from kommunestyre.tui.widgets.form import FormField, SelectField
from kommunestyre.tui.widgets.plain import Plain, plain


@dataclass(slots=True)
class DirectorateDraft:
    """What the form collected; the caller saves it (and reopens the form if that fails)."""

    municipality: str = ""
    cohort: int = 1
    invoice: InvoiceDetails = InvoiceDetails()  # noqa: RUF009 - an immutable value
    members: list[ParticipantDetails] = field(default_factory=list)


class MemberBlock(Vertical):
    """One member's fields, numbered in the order shown."""

    def __init__(
        self, number: int, details: ParticipantDetails, fields: Sequence[tuple[Text, str]]
    ) -> None:
        super().__init__(classes="member")
        self.number = number
        self.details = details
        self.fields = fields

    def compose(self) -> ComposeResult:
        d, n = self.details, self.number
        with Horizontal(classes="member-head"):
            yield Plain(_("Member {number}").format(number=n), classes="member-title")
            yield Button(_("Remove"), classes="remove-member", compact=True)
        yield FormField(_("Name"), f"members.{n}.name", d.name, check=require_name)
        yield FormField(
            _("Title"), f"members.{n}.title", d.title, check=lambda v: clean_text(v, "title")
        )
        yield SelectField(_("Field"), f"members-{n}-field", self.fields, d.field)
        yield FormField(_("E-mail"), f"members.{n}.email", d.email, check=validate_email)
        yield FormField(_("Phone"), f"members.{n}.phone", d.phone, check=validate_phone)
        yield FormField(
            _("Diet / access"),
            f"members.{n}.needs",
            d.needs,
            check=lambda v: clean_note(v, "needs"),
        )

    def details_typed(self) -> ParticipantDetails:
        v = {f.field_name.split(".")[-1]: f.value for f in self.query(FormField)}
        return ParticipantDetails(
            name=v["name"],
            title=v["title"],
            field=str(self.query_one(SelectField).value),
            email=v["email"],
            phone=v["phone"],
            needs=v["needs"],
        )


def _municipality(value: str) -> None:
    find_municipality(value)


class DirectorateForm(FormModal[DirectorateDraft]):
    FORM_ID = "directorate-form"
    BINDINGS = [Binding("ctrl+n", "add_member", N_("Add member"), id="directorate.add_member")]

    def __init__(
        self,
        register: Register,
        now: datetime,
        draft: DirectorateDraft | None = None,
        *,
        error: KommunestyreError | None = None,
    ) -> None:
        super().__init__(error=error)
        self.register = register
        self.now = now
        fields = register.programme.fields
        self.field_options = [(plain(f.label), f.key) for f in fields]
        self.draft = draft or DirectorateDraft(
            members=[
                ParticipantDetails(
                    name="",
                    title="Kommunaldirektør",  # not translated: a Danish job title, the default
                    field=fields[0].key,
                )
            ]
        )
        self.next_number = 1

    def compose(self) -> ComposeResult:
        d = self.draft
        names = [m.name for m in all_municipalities()]
        cohorts = [
            (_("Hold {cohort}").format(cohort=c.number), c.number)
            for c in self.register.programme.cohorts
        ]
        with VerticalScroll(classes="dialog wide", id=self.FORM_ID):  # not translated: CSS classes
            yield Plain(_("Add a directorate"), classes="dialog-title")
            yield FormField(
                _("Municipality"),
                "municipality",
                d.municipality,
                check=_municipality,
                suggester=SuggestFromList(names, case_sensitive=False),
                placeholder=_("type a name or code"),
            )
            yield Plain(id="municipality-info", classes="note")
            yield SelectField(_("Cohort"), "cohort", cohorts, d.cohort)
            yield Plain(id="admission", classes="admission")
            yield Plain(_("Invoice"), classes="section-title")
            yield from invoice_fields(d.invoice)
            with Vertical(id="members"):
                for details in d.members:
                    yield self._member(details)
            yield from self.compose_buttons(
                Button(_("Add member (ctrl+n)"), id="add-member", compact=True)
            )

    def _member(self, details: ParticipantDetails) -> MemberBlock:
        block = MemberBlock(self.next_number, details, self.field_options)
        self.next_number += 1
        return block

    def on_mount(self) -> None:
        super().on_mount()
        self.update_preview()

    # -- live feedback ---------------------------------------------------------------------------

    @on(Input.Changed, "#input-municipality")
    @on(Select.Changed)
    def update_preview(self) -> None:
        info = self.query_one("#municipality-info", Static)
        text = self.query_one("#input-municipality", Input).value
        try:
            municipality = find_municipality(text) if text.strip() else None
        except ValidationError:
            municipality = None
        if municipality is None:
            info.update("")
        else:
            existing = self.register.directorate_of_municipality(municipality.code)
            region = region_on(municipality, self.now.date())
            line = _("→ {municipality}, code {code}, {region}").format(
                municipality=municipality.official_name, code=municipality.code_text, region=region
            )
            if existing is not None:
                line += "\n" + _("⚠ already registered in hold {cohort}").format(
                    cohort=existing.cohort
                )
            info.update(line)
        cohort = int(str(self.query_one("#input-cohort", Select).value))
        size = len(self.query(MemberBlock))
        admitted = rules.would_admit_directorate(self.register, cohort, size)
        if admitted:
            text = ngettext(
                "With {n} member it will get seats in hold {cohort}.",
                "With {n} members it will get seats in hold {cohort}.",
                size,
            )
        else:
            text = ngettext(
                "With {n} member it will go on the WAITING LIST of hold {cohort}.",
                "With {n} members it will go on the WAITING LIST of hold {cohort}.",
                size,
            )
        admission = self.query_one("#admission", Static)
        admission.update(text.format(n=size, cohort=cohort))
        admission.set_class(not admitted, "-waitlist")

    # -- actions -------------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "add-member":
            self.run_worker(self.action_add_member())
        elif event.button.has_class("remove-member"):
            block = next(a for a in event.button.ancestors if isinstance(a, MemberBlock))
            if len(self.query(MemberBlock)) > 1:
                block.remove()
                self.call_after_refresh(self.update_preview)
            else:
                self.app.bell()
                self.notify(_("A directorate needs at least one member."), severity="warning")
        else:
            super().on_button_pressed(event)

    async def action_add_member(self) -> None:
        fields = self.register.programme.fields
        block = self._member(ParticipantDetails(name="", field=fields[-1].key))
        await self.query_one("#members").mount(block)
        block.query_one(Input).focus()
        block.scroll_visible()
        self.update_preview()

    def result(self) -> DirectorateDraft:
        value = self.values()
        return DirectorateDraft(
            municipality=value["municipality"],
            cohort=int(str(self.query_one("#input-cohort", Select).value)),
            invoice=InvoiceDetails(
                ean=value["ean"],
                cvr=value["cvr"],
                reference=value["reference"],
                contact_name=value["contact_name"],
                contact_email=value["contact_email"],
            ),
            members=[block.details_typed() for block in self.query(MemberBlock)],
        )
