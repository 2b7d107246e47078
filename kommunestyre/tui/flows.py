"""What happens when a coordinator asks for a change: open the form, save through the registry,
and on failure reopen the form with what was typed and the reason at the field.

Each flow remembers the revision of the record as it was shown, so a record someone else changed
meanwhile is refused (and the screen reloaded) instead of overwritten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kommunestyre.domain.model import InvoiceDetails, ParticipantDetails
from kommunestyre.domain.municipalities import by_code
from kommunestyre.domain.rules import participant_label
from kommunestyre.errors import KommunestyreError, UnknownRecord
from kommunestyre.services.registry import CohortSettings, Registry
from kommunestyre.tui.modals.choose_cohort import ChooseCohortModal
from kommunestyre.tui.modals.cohort_form import CohortForm
from kommunestyre.tui.modals.confirm import ConfirmModal
from kommunestyre.tui.modals.directorate_form import DirectorateDraft, DirectorateForm
from kommunestyre.tui.modals.invoice_form import InvoiceForm
from kommunestyre.tui.modals.participant_form import ParticipantForm
from kommunestyre.tui.modals.speakers import SpeakersModal

if TYPE_CHECKING:
    from kommunestyre.tui.app import KommunestyreApp


class Flows:
    def __init__(self, app: KommunestyreApp) -> None:
        self.app = app

    @property
    def registry(self) -> Registry:
        return self.app.registry

    def _register(self):
        return self.app.snapshot.register

    def _participant(self, participant_id: int):
        try:
            return self._register().participant(participant_id)
        except UnknownRecord as error:
            self.app.notify(str(error), severity="error")
            return None

    # -- directorates --------------------------------------------------------------------------

    def add_directorate(
        self, draft: DirectorateDraft | None = None, error: KommunestyreError | None = None
    ) -> None:
        if draft is None:
            draft = DirectorateDraft(cohort=self.app.current_cohort)
            fields = self._register().programme.fields
            draft.members = [
                ParticipantDetails(name="", title="Kommunaldirektør", field=fields[0].key)
            ]

        def save(result: DirectorateDraft | None) -> None:
            if result is None:
                return
            self.app.apply(
                lambda: self.registry.register_directorate(
                    result.municipality, result.cohort, result.members, result.invoice
                ),
                on_error=lambda e: self.add_directorate(result, e),
            )

        snapshot = self.app.snapshot
        self.app.push_screen(
            DirectorateForm(snapshot.register, snapshot.now, draft, error=error), save
        )

    def add_member(
        self,
        directorate_id: int,
        details: ParticipantDetails | None = None,
        error: KommunestyreError | None = None,
    ) -> None:
        register = self._register()
        directorate = register.directorate(directorate_id)
        name = by_code(directorate.municipality_code).name

        def save(result: ParticipantDetails | None) -> None:
            if result is not None:
                self.app.apply(
                    lambda: self.registry.add_participant(directorate_id, result),
                    on_error=lambda e: self.add_member(directorate_id, result, e),
                )

        form = ParticipantForm(
            f"New member for {name} (hold {directorate.cohort})",
            register.programme.fields,
            details,
            error=error,
        )
        self.app.push_screen(form, save)

    def edit_invoice(
        self,
        directorate_id: int,
        invoice: InvoiceDetails | None = None,
        error: KommunestyreError | None = None,
    ) -> None:
        directorate = self._register().directorate(directorate_id)
        rev = directorate.rev

        def save(result: InvoiceDetails | None) -> None:
            if result is not None:
                self.app.apply(
                    lambda: self.registry.edit_invoice(directorate_id, rev, result),
                    on_error=lambda e: self.edit_invoice(directorate_id, result, e),
                )

        heading = f"Invoice details: {by_code(directorate.municipality_code).name}"
        self.app.push_screen(
            InvoiceForm(heading, invoice or directorate.invoice, error=error), save
        )

    def move_directorate(self, directorate_id: int) -> None:
        register = self._register()
        directorate = register.directorate(directorate_id)
        rev = directorate.rev
        name = by_code(directorate.municipality_code).name

        def save(target: int | None) -> None:
            if target is not None:
                self.app.apply(lambda: self.registry.move_directorate(directorate_id, rev, target))

        modal = ChooseCohortModal(
            f"Move {name} and its members to", register, self.app.snapshot.now, directorate.cohort
        )
        self.app.push_screen(modal, save)

    def cancel_directorate(self, directorate_id: int) -> None:
        register = self._register()
        directorate = register.directorate(directorate_id)
        rev = directorate.rev
        name = by_code(directorate.municipality_code).name
        cohort = register.cohort(directorate.cohort)
        terms = (
            "The deadline has passed: the registration is binding and admitted seats stay on "
            "the invoice."
            if cohort.is_binding(self.app.snapshot.now)
            else "Before the deadline: the cancellation is free."
        )

        def save(yes: bool | None) -> None:
            if yes:
                self.app.apply(lambda: self.registry.cancel_directorate(directorate_id, rev))

        text = f"Cancel the whole directorate of {name} (hold {directorate.cohort})?\n{terms}"
        self.app.push_screen(
            ConfirmModal("Cancel directorate", text, yes="Cancel it", danger=True), save
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

        def save(result: ParticipantDetails | None) -> None:
            if result is not None:
                self.app.apply(
                    lambda: self.registry.edit_participant(participant_id, rev, result),
                    on_error=lambda e: self.edit_participant(participant_id, result, e),
                )

        register = self._register()
        form = ParticipantForm(
            f"Edit {participant_label(register, participant)}",
            register.programme.fields,
            details or participant.details,
            error=error,
        )
        self.app.push_screen(form, save)

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
        register = self._register()

        def save(result: ParticipantDetails | None) -> None:
            if result is not None:
                self.app.apply(
                    lambda: self.registry.substitute(participant_id, rev, result),
                    on_error=lambda e: self.substitute(participant_id, result, e),
                )

        blank = ParticipantDetails(
            name="", title=participant.details.title, field=participant.details.field
        )
        note = (
            "The substitute takes over the seat and its invoice line; the original stays on record."
        )
        form = ParticipantForm(
            f"Substitute for {participant_label(register, participant)}",
            register.programme.fields,
            details or blank,
            error=error,
            note=note,
        )
        self.app.push_screen(form, save)

    def move_participant(self, participant_id: int) -> None:
        participant = self._participant(participant_id)
        if participant is None:
            return
        rev = participant.rev
        register = self._register()

        def save(target: int | None) -> None:
            if target is not None:
                self.app.apply(lambda: self.registry.move_participant(participant_id, rev, target))

        modal = ChooseCohortModal(
            f"Move {participant_label(register, participant)} to",
            register,
            self.app.snapshot.now,
            participant.cohort,
        )
        self.app.push_screen(modal, save)

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

        def save(yes: bool | None) -> None:
            if yes:
                self.app.apply(lambda: self.registry.cancel_participant(participant_id, rev))

        label = participant_label(self._register(), participant)
        text = (
            f"Cancel {label} in hold {participant.cohort}?\n"
            f"This cancellation is {terms.explanation}."
        )
        self.app.push_screen(
            ConfirmModal("Cancel participant", text, yes="Cancel", danger=terms.billable), save
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

        def save(yes: bool | None) -> None:
            if yes:
                self.app.apply(lambda: self.registry.erase_participant(participant_id, rev))

        label = participant_label(self._register(), participant)
        text = (
            f"Erase {label} for good?\n\nTheir record is deleted, their name leaves the history, "
            "and the backups that still hold it are removed. A seat they held goes to the "
            "waiting list. This cannot be undone; to record a withdrawal, cancel instead."
        )
        self.app.push_screen(
            ConfirmModal("Erase personal data (GDPR)", text, yes="Erase", danger=True), save
        )

    # -- cohorts -------------------------------------------------------------------------------

    def edit_cohort(
        self,
        number: int,
        typed: dict[str, str] | None = None,
        error: KommunestyreError | None = None,
    ) -> None:
        cohort = self._register().cohort(number)
        rev = cohort.rev
        form = CohortForm(cohort, error=error, typed=typed)

        def save(settings: CohortSettings | None) -> None:
            if settings is not None:
                values = form.last_typed
                self.app.apply(
                    lambda: self.registry.update_cohort(number, rev, settings),
                    on_error=lambda e: self.edit_cohort(number, values, e),
                )

        self.app.push_screen(form, save)

    def edit_speakers(self, number: int) -> None:
        cohort = self._register().cohort(number)
        rev = cohort.rev

        def save(speakers: list | None) -> None:
            if speakers is not None:
                self.app.apply(lambda: self.registry.set_speakers(number, rev, speakers))

        self.app.push_screen(SpeakersModal(number, cohort.speakers), save)
