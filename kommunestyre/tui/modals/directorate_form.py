"""Register a municipality's directorate: who, where, how to invoice, and its members.

Before saving, the form says whether the directorate will get seats or go on the waiting list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Select, Static

from kommunestyre.domain import rules
from kommunestyre.domain.model import InvoiceDetails, ParticipantDetails, Register
from kommunestyre.domain.municipalities import all_municipalities, find_municipality, region_on
from kommunestyre.domain.validation import (
    clean_note,
    clean_text,
    require_name,
    validate_cvr,
    validate_ean,
    validate_email,
    validate_phone,
)
from kommunestyre.errors import KommunestyreError, ValidationError
from kommunestyre.tui.widgets.form import FormField, SelectField, mark_errors


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
        self, number: int, details: ParticipantDetails, fields: Sequence[tuple[str, str]]
    ) -> None:
        super().__init__(classes="member")
        self.number = number
        self.details = details
        self.fields = fields

    def compose(self) -> ComposeResult:
        d, n = self.details, self.number
        with Horizontal(classes="member-head"):
            yield Static(f"Member {n}", classes="member-title")
            yield Button("Remove", classes="remove-member", compact=True)
        yield FormField("Name", f"members.{n}.name", d.name, check=require_name)
        yield FormField(
            "Title", f"members.{n}.title", d.title, check=lambda v: clean_text(v, "title")
        )
        yield SelectField("Field", f"members-{n}-field", self.fields, d.field)
        yield FormField("E-mail", f"members.{n}.email", d.email, check=validate_email)
        yield FormField("Phone", f"members.{n}.phone", d.phone, check=validate_phone)
        yield FormField(
            "Diet / access", f"members.{n}.needs", d.needs, check=lambda v: clean_note(v, "needs")
        )

    def details_typed(self) -> ParticipantDetails:
        values = {f.field_name.split(".")[-1]: f.value for f in self.query(FormField)}
        return ParticipantDetails(field=str(self.query_one(SelectField).value), **values)


def _municipality(value: str) -> None:
    find_municipality(value)


class DirectorateForm(ModalScreen[DirectorateDraft | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="directorate.save"),
        Binding("ctrl+n", "add_member", "Add member", id="directorate.add_member"),
        Binding("escape", "cancel", "Cancel", id="directorate.cancel"),
    ]

    def __init__(
        self,
        register: Register,
        now: datetime,
        draft: DirectorateDraft | None = None,
        *,
        error: KommunestyreError | None = None,
    ) -> None:
        super().__init__(classes="modal")
        self.register = register
        self.now = now
        fields = register.programme.fields
        self.field_options = [(f.label, f.key) for f in fields]
        self.draft = draft or DirectorateDraft(
            members=[ParticipantDetails(name="", title="Kommunaldirektør", field=fields[0].key)]
        )
        self.error = error
        self.next_number = 1

    def compose(self) -> ComposeResult:
        d = self.draft
        names = [m.name for m in all_municipalities()]
        cohorts = [(f"Hold {c.number}", c.number) for c in self.register.programme.cohorts]
        with VerticalScroll(classes="dialog wide", id="directorate-form"):
            yield Static("Add a directorate", classes="dialog-title")
            yield FormField(
                "Municipality",
                "municipality",
                d.municipality,
                check=_municipality,
                suggester=SuggestFromList(names, case_sensitive=False),
                placeholder="type a name or code",
            )
            yield Static(id="municipality-info", classes="note")
            yield SelectField("Cohort", "cohort", cohorts, d.cohort)
            yield Static(id="admission", classes="admission")
            yield Static("Invoice", classes="section-title")
            i = d.invoice
            yield FormField(
                "EAN", "ean", i.ean, check=validate_ean, placeholder="13 digits (5798...)"
            )
            yield FormField("CVR", "cvr", i.cvr, check=validate_cvr, placeholder="optional")
            yield FormField(
                "Reference", "reference", i.reference, check=lambda v: clean_text(v, "reference")
            )
            yield FormField(
                "Invoice contact",
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
            with Vertical(id="members"):
                for details in d.members:
                    yield self._member(details)
            with Horizontal(classes="buttons"):
                yield Button("Add member (ctrl+n)", id="add-member", compact=True)
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)
            yield Static(id="form-error", classes="form-error")

    def _member(self, details: ParticipantDetails) -> MemberBlock:
        block = MemberBlock(self.next_number, details, self.field_options)
        self.next_number += 1
        return block

    def on_mount(self) -> None:
        self.query_one("#input-municipality").focus()
        self.update_preview()
        if self.error is not None:
            rest = mark_errors(self.query_one("#directorate-form", VerticalScroll), self.error)
            self.query_one("#form-error", Static).update(rest or "")

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
            line = f"→ {municipality.official_name}, code {municipality.code_text}, {region}"
            if existing is not None:
                line += f"\n⚠ already registered in hold {existing.cohort}"
            info.update(line)
        cohort = int(str(self.query_one("#input-cohort", Select).value))
        size = len(self.query(MemberBlock))
        admitted = rules.would_admit_directorate(self.register, cohort, size)
        where = "get seats in" if admitted else "go on the WAITING LIST of"
        people = f"{size} member{'s' if size != 1 else ''}"
        admission = self.query_one("#admission", Static)
        admission.update(f"With {people} it will {where} hold {cohort}.")
        admission.set_class(not admitted, "-waitlist")

    # -- actions -------------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()
        elif event.button.id == "add-member":
            self.run_worker(self.action_add_member())
        elif event.button.has_class("remove-member"):
            block = next(a for a in event.button.ancestors if isinstance(a, MemberBlock))
            if len(self.query(MemberBlock)) > 1:
                block.remove()
                self.call_after_refresh(self.update_preview)
            else:
                self.app.bell()
                self.notify("A directorate needs at least one member.", severity="warning")

    async def action_add_member(self) -> None:
        fields = self.register.programme.fields
        block = self._member(ParticipantDetails(name="", field=fields[-1].key))
        await self.query_one("#members").mount(block)
        block.query_one(Input).focus()
        block.scroll_visible()
        self.update_preview()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        fields = list(self.query(FormField))
        if not all([f.validate_now() for f in fields]):
            self.app.bell()
            self.query_one("#form-error", Static).update("Correct the marked fields.")
            return
        value = {f.field_name: f.value for f in fields}
        self.dismiss(
            DirectorateDraft(
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
        )
