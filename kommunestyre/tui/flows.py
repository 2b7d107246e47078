"""What happens when a coordinator asks for a change: open the form, save through the registry,
and on failure reopen the form with what was typed and the reason at the field.

Each flow remembers the revision of the record as it was shown, so a record someone else changed
meanwhile is refused (and the screen reloaded) instead of overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import ModalScreen

from kommunestyre.domain import rules
from kommunestyre.domain.model import (
    InvoiceDetails,
    MunicipalityContact,
    Participant,
    ParticipantDetails,
    Register,
)
from kommunestyre.domain.municipalities import by_code
from kommunestyre.domain.rules import participant_label
from kommunestyre.errors import ConflictError, KommunestyreError, UnknownRecord
from kommunestyre.i18n import _, ngettext, pgettext
from kommunestyre.services.registry import CohortSettings, Registry, Result
from kommunestyre.tui.modals.choose_cohort import ChooseCohortModal
from kommunestyre.tui.modals.cohort_form import CohortForm
from kommunestyre.tui.modals.confirm import ConfirmModal
from kommunestyre.tui.modals.contact_form import ContactForm
from kommunestyre.tui.modals.directorate_form import DirectorateDraft, DirectorateForm
from kommunestyre.tui.modals.form_modal import FormModal
from kommunestyre.tui.modals.invoice_form import InvoiceForm
from kommunestyre.tui.modals.lists_forms import (
    ExportListForm,
    ImportForm,
    ImportKind,
    ImportRequest,
    ListRequest,
    run_import,
)
from kommunestyre.tui.modals.participant_form import ParticipantForm
from kommunestyre.tui.modals.pickers import remember
from kommunestyre.tui.modals.speakers import SpeakersModal

if TYPE_CHECKING:
    from kommunestyre.tui.app import KommunestyreApp

T = TypeVar("T")
Reopen = Callable[[Any, KommunestyreError], None]


class Flows:
    def __init__(self, app: KommunestyreApp) -> None:
        self.app = app

    @property
    def registry(self) -> Registry:
        return self.app.registry

    @property
    def register(self) -> Register:
        return self.app.snapshot.register

    def _participant(self, participant_id: int) -> Participant | None:
        try:
            return self.register.participant(participant_id)
        except UnknownRecord as error:
            self.app.notify(str(error), severity="error")
            return None

    def _form(
        self,
        form: ModalScreen[T | None],
        save: Callable[[T], Result],
        reopen: Reopen | None = None,
        fresh: Callable[[], None] | None = None,
        *,
        made: str = "",
    ) -> None:
        """Show ``form``; save what it returns; on failure call ``reopen(typed, error)``.

        When someone else saved the record meanwhile, ``fresh()`` opens the form again on
        their version, and what the coordinator typed is carried over onto it. ``made`` is the
        kind of record the save makes ("participant", "directorate"): the screen then puts its
        cursor on it, so the next key acts on the new record."""

        def done(typed: T | None) -> None:
            if typed is None:
                return

            def failed(error: KommunestyreError) -> None:
                if isinstance(error, ConflictError) and fresh and isinstance(form, FormModal):
                    fresh()
                    again = self.app.screen
                    if isinstance(again, FormModal):
                        again.carry_over(form.opened, form.at_save)
                        return
                if reopen is not None:
                    reopen(typed, error)
                else:
                    self.app.notify(str(error), title=error.title, severity="error", timeout=8)

            result = self.app.apply(lambda: save(typed), on_error=failed)
            if made and result is not None and result.record_id is not None:
                self.app.show_record(made, result.record_id)

        self.app.push_screen(form, done)

    def _confirm(self, modal: ConfirmModal, action: Callable[[], Result]) -> None:
        def done(yes: bool | None) -> None:
            if yes:
                self.app.apply(action)

        self.app.push_screen(modal, done)

    # -- directorates --------------------------------------------------------------------------

    def add_directorate(
        self, draft: DirectorateDraft | None = None, error: KommunestyreError | None = None
    ) -> None:
        if draft is None:
            fields = self.register.programme.fields
            first = ParticipantDetails(
                name="",
                title="Kommunaldirektør",  # not translated: a Danish job title, the default
                field=fields[0].key,
            )
            draft = DirectorateDraft(cohort=self.app.current_cohort, members=[first])
        snapshot = self.app.snapshot
        self._form(
            DirectorateForm(snapshot.register, snapshot.now, draft, error=error),
            lambda d: self.registry.register_directorate(
                d.municipality, d.cohort, d.members, d.invoice
            ),
            self.add_directorate,
            made="directorate",
        )

    def add_member(
        self,
        directorate_id: int,
        details: ParticipantDetails | None = None,
        error: KommunestyreError | None = None,
        *,
        cohort: int | None = None,
    ) -> None:
        """One more person for a directorate, in ``cohort`` (default: its own)."""
        directorate = self.register.directorate(directorate_id)
        name = by_code(directorate.municipality_code).name
        number = directorate.cohort if cohort is None else cohort
        heading = _("New member for {municipality} (hold {cohort})").format(
            municipality=name, cohort=number
        )
        self._form(
            ParticipantForm(heading, self.register.programme.fields, details, error=error),
            lambda typed: self.registry.add_participant(directorate_id, typed, number),
            lambda typed, e: self.add_member(directorate_id, typed, e, cohort=number),
            made="participant",
        )

    def edit_invoice(
        self,
        directorate_id: int,
        invoice: InvoiceDetails | None = None,
        error: KommunestyreError | None = None,
    ) -> None:
        directorate = self.register.directorate(directorate_id)
        rev = directorate.rev
        heading = _("Invoice details: {municipality}").format(
            municipality=by_code(directorate.municipality_code).name
        )
        self._form(
            InvoiceForm(heading, invoice or directorate.invoice, error=error),
            lambda typed: self.registry.edit_invoice(directorate_id, rev, typed),
            lambda typed, e: self.edit_invoice(directorate_id, typed, e),
            lambda: self.edit_invoice(directorate_id),
        )

    def move_directorate(self, directorate_id: int, source: int | None = None) -> None:
        """Move a directorate's people in ``source`` (default: its own cohort) elsewhere."""
        directorate = self.register.directorate(directorate_id)
        rev = directorate.rev
        number = directorate.cohort if source is None else source
        name = by_code(directorate.municipality_code).name
        heading = _("Move {municipality}'s members in hold {cohort} to").format(
            municipality=name, cohort=number
        )
        now = self.app.snapshot.now
        modal = ChooseCohortModal(
            heading,
            self.register,
            now,
            number,
            lambda n: rules.directorate_move(self.register, directorate_id, n, now, source=number)[
                1
            ],
        )
        self._form(
            modal,
            lambda target: self.registry.move_directorate(
                directorate_id, rev, target, source=number
            ),
        )

    def answer_offers(self, directorate_id: int, cohort: int, *, accept: bool) -> None:
        """The municipality answers the seat offers it holds in ``cohort``."""
        directorate = self.register.directorate(directorate_id)
        name = by_code(directorate.municipality_code).name
        if accept:
            text = _(
                "{municipality} takes up the seats offered in hold {cohort}?\nThe deadline has "
                "passed: from now on the registration is binding and the seats are billed."
            ).format(municipality=name, cohort=cohort)
            modal = ConfirmModal(_("Accept the seat offer"), text, yes=_("Accept"))
        else:
            text = _(
                "{municipality} declines the seats offered in hold {cohort}?\nDeclining is free; "
                "the seats are offered to the next on the waiting list."
            ).format(municipality=name, cohort=cohort)
            modal = ConfirmModal(_("Decline the seat offer"), text, yes=_("Decline"), danger=True)
        self._confirm(
            modal,
            lambda: self.registry.answer_offers(
                directorate_id, directorate.rev, accept=accept, cohort=cohort
            ),
        )

    def cancel_directorate(self, directorate_id: int) -> None:
        directorate = self.register.directorate(directorate_id)
        rev = directorate.rev
        name = by_code(directorate.municipality_code).name
        try:
            terms = self.registry.directorate_cancellation_terms(directorate_id)
        except KommunestyreError as error:
            self.app.notify(str(error), severity="error")
            return
        text = _(
            "Cancel the whole directorate of {municipality} (hold {cohort})?\n"
            "This cancellation is {explanation}."
        ).format(municipality=name, cohort=directorate.cohort, explanation=terms.explanation)
        self._confirm(
            ConfirmModal(_("Cancel directorate"), text, yes=_("Cancel it"), danger=terms.billable),
            lambda: self.registry.cancel_directorate(directorate_id, rev),
        )

    def reinstate_directorate(self, directorate_id: int) -> None:
        directorate = self.register.directorate(directorate_id)
        name = by_code(directorate.municipality_code).name
        text = _(
            "Reinstate {municipality}?\nThe people cancelled with it get their seats back if "
            "there is room, else their place on the waiting list."
        ).format(municipality=name)
        self._confirm(
            ConfirmModal(_("Reinstate directorate"), text, yes=_("Reinstate")),
            lambda: self.registry.reinstate_directorate(directorate_id, directorate.rev),
        )

    # -- participants ----------------------------------------------------------------------------

    def edit_participant(
        self,
        participant_id: int,
        details: ParticipantDetails | None = None,
        error: KommunestyreError | None = None,
    ) -> None:
        participant = self._participant(participant_id)
        if participant is None:
            return
        rev = participant.rev
        heading = _("Edit {participant}").format(
            participant=participant_label(self.register, participant)
        )
        form = ParticipantForm(
            heading, self.register.programme.fields, details or participant.details, error=error
        )
        self._form(
            form,
            lambda typed: self.registry.edit_participant(participant_id, rev, typed),
            lambda typed, e: self.edit_participant(participant_id, typed, e),
            lambda: self.edit_participant(participant_id),
        )

    def substitute(
        self,
        participant_id: int,
        details: ParticipantDetails | None = None,
        error: KommunestyreError | None = None,
    ) -> None:
        participant = self._participant(participant_id)
        if participant is None:
            return
        rev = participant.rev
        blank = ParticipantDetails(
            name="", title=participant.details.title, field=participant.details.field
        )
        form = ParticipantForm(
            _("Substitute for {participant}").format(
                participant=participant_label(self.register, participant)
            ),
            self.register.programme.fields,
            details or blank,
            error=error,
            note=_(
                "The substitute takes over the seat and its invoice line; the original stays "
                "on record."
            ),
        )
        self._form(
            form,
            lambda typed: self.registry.substitute(participant_id, rev, typed),
            lambda typed, e: self.substitute(participant_id, typed, e),
            made="participant",
        )

    def move_participant(self, participant_id: int) -> None:
        participant = self._participant(participant_id)
        if participant is None:
            return
        rev = participant.rev
        heading = _("Move {participant} to").format(
            participant=participant_label(self.register, participant)
        )
        now = self.app.snapshot.now
        modal = ChooseCohortModal(
            heading,
            self.register,
            now,
            participant.cohort,
            lambda n: rules.participant_move(self.register, participant_id, n, now),
        )
        self._form(
            modal, lambda target: self.registry.move_participant(participant_id, rev, target)
        )

    def cancel_participant(self, participant_id: int) -> None:
        participant = self._participant(participant_id)
        if participant is None:
            return
        rev = participant.rev
        try:
            terms = self.registry.cancellation_terms(participant_id)
        except KommunestyreError as error:
            self.app.notify(str(error), severity="error")
            return
        label = participant_label(self.register, participant)
        text = _(
            "Cancel {participant} in hold {cohort}?\nThis cancellation is {explanation}."
        ).format(participant=label, cohort=participant.cohort, explanation=terms.explanation)
        yes = pgettext("registration", "Cancel")
        self._confirm(
            ConfirmModal(_("Cancel participant"), text, yes=yes, danger=terms.billable),
            lambda: self.registry.cancel_participant(participant_id, rev),
        )

    def reinstate_participant(self, participant_id: int) -> None:
        participant = self._participant(participant_id)
        if participant is None:
            return
        text = _(
            "Reinstate {participant} in hold {cohort}?\nThey get their seat back if there is "
            "room (a late cancellation is then billed as the seat, once), else their place on "
            "the waiting list."
        ).format(
            participant=participant_label(self.register, participant), cohort=participant.cohort
        )
        self._confirm(
            ConfirmModal(_("Reinstate"), text, yes=_("Reinstate")),
            lambda: self.registry.reinstate_participant(participant_id, participant.rev),
        )

    def accept_offer(self, participant_id: int) -> None:
        participant = self._participant(participant_id)
        if participant is None:
            return
        text = _(
            "{participant} takes up the seat offered in hold {cohort}?\nThe deadline has "
            "passed: from now on the registration is binding and the seat is billed."
        ).format(
            participant=participant_label(self.register, participant), cohort=participant.cohort
        )
        self._confirm(
            ConfirmModal(_("Accept the seat offer"), text, yes=_("Accept")),
            lambda: self.registry.accept_offer(participant_id, participant.rev),
        )

    def decline_offer(self, participant_id: int) -> None:
        participant = self._participant(participant_id)
        if participant is None:
            return
        text = _(
            "{participant} declines the seat offered in hold {cohort}?\nDeclining is free; "
            "the seat is offered to the next on the waiting list."
        ).format(
            participant=participant_label(self.register, participant), cohort=participant.cohort
        )
        self._confirm(
            ConfirmModal(_("Decline the seat offer"), text, yes=_("Decline"), danger=True),
            lambda: self.registry.decline_offer(participant_id, participant.rev),
        )

    def admit_waiting(self, participant_id: int) -> None:
        participant = self._participant(participant_id)
        if participant is not None:
            self.app.apply(lambda: self.registry.admit_waiting(participant_id, participant.rev))

    def erase_participant(self, participant_id: int) -> None:
        participant = self._participant(participant_id)
        if participant is None:
            return
        rev = participant.rev
        text = _(
            "Erase {participant} for good?\n\n"
            "Their personal data leaves the register, the history and the backups; a seat they "
            "held goes to the waiting list, and a seat already on the invoice stays there as an "
            "anonymous line. This cannot be undone; to record a withdrawal, cancel instead."
        ).format(participant=participant_label(self.register, participant))
        self._confirm(
            ConfirmModal(_("Erase personal data (GDPR)"), text, yes=_("Erase"), danger=True),
            lambda: self.registry.erase_participant(participant_id, rev),
        )

    # -- cohorts -------------------------------------------------------------------------------

    def edit_cohort(
        self,
        number: int,
        typed: dict[str, str] | None = None,
        error: KommunestyreError | None = None,
    ) -> None:
        cohort = self.register.cohort(number)
        rev = cohort.rev
        form = CohortForm(cohort, error=error, typed=typed)

        def save(settings: CohortSettings) -> Result:
            return self.registry.update_cohort(number, rev, settings)

        self._form(
            form,
            save,
            lambda _typed, e: self.edit_cohort(number, form.last_typed, e),
            lambda: self.edit_cohort(number),
        )

    def edit_speakers(self, number: int) -> None:
        cohort = self.register.cohort(number)
        rev = cohort.rev
        self._form(
            SpeakersModal(number, cohort.speakers),
            lambda speakers: self.registry.set_speakers(number, rev, speakers),
        )

    # -- municipality contacts -------------------------------------------------------------------

    def edit_contact(
        self,
        code: int,
        typed: MunicipalityContact | None = None,
        error: KommunestyreError | None = None,
    ) -> None:
        current = self.register.contacts.get(code) or MunicipalityContact(code)
        rev = current.rev
        heading = _("Contact: {municipality}").format(municipality=by_code(code).name)
        form = ContactForm(heading, typed or current, error=error)
        self._form(
            form,
            lambda contact: self.registry.edit_contact(code, rev, contact),
            lambda contact, e: self.edit_contact(code, contact, e),
            lambda: self.edit_contact(code),
        )

    def toggle_declined(self, code: int) -> None:
        current = self.register.contacts.get(code) or MunicipalityContact(code)
        changed = MunicipalityContact(
            code,
            current.name,
            current.title,
            current.email,
            not current.declined,
            current.notes,
            current.rev,
        )
        self.app.apply(lambda: self.registry.edit_contact(code, current.rev, changed))

    # -- lists in and out ------------------------------------------------------------------------

    def import_sheet(
        self,
        request: ImportRequest | None = None,
        error: KommunestyreError | None = None,
        *,
        kind: ImportKind = "registrations",
    ) -> None:
        """Import registrations (a sheet, or replies by mail) or, with ``kind`` "contacts",
        the municipality contacts, after the form has shown a clean report."""

        def save(typed: ImportRequest) -> Result:
            remember(self.app, typed.path)
            report = run_import(self.registry, typed)
            if not report.saved:
                if typed.kind == "contacts":
                    nothing = _("{file}: nothing new, every contact is as the sheet says")
                else:
                    nothing = _("{file}: nothing new, every row is registered already")
                return Result(nothing.format(file=typed.path.name))
            imported = _("Imported {file}: {summary}").format(
                file=typed.path.name, summary=report.plan.summary()
            )
            lines = [imported, *report.outcome]
            return Result("\n".join(lines[:12]))

        self._form(
            ImportForm(self.registry, request, error=error, kind=kind),
            save,
            lambda typed, e: self.import_sheet(typed, e),
        )

    def export_list(self, kind: str = "participants") -> None:
        from pathlib import Path

        from kommunestyre.lists.listings import Selection
        from kommunestyre.services.lists import export_list

        def save(typed: ListRequest) -> Result:
            remember(self.app, typed.path)
            listing = export_list(
                self.registry.repository,
                typed.kind,
                typed.path,
                Selection(cohort=typed.cohort, meeting=typed.meeting),
                comma=typed.comma,
            )
            rows = len(listing.rows)
            return Result(
                ngettext("Wrote {n} row(s) to {path}", "Wrote {n} row(s) to {path}", rows).format(
                    n=rows, path=typed.path
                )
            )

        cohorts = [c.number for c in self.register.programme.cohorts]
        self._form(ExportListForm(kind, self.app.last_folder or Path.home(), cohorts), save)
