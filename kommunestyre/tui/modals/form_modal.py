"""The one shape of every form: fields checked by domain validators, ctrl+s to save, esc to
cancel, a save error shown at its field, and ``dismiss(result)`` (the caller saves)."""

from __future__ import annotations

from abc import abstractmethod
from typing import Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from kommunestyre.errors import KommunestyreError
from kommunestyre.i18n import N_, _
from kommunestyre.tui.widgets.form import FormField, mark_errors
from kommunestyre.tui.widgets.plain import Plain

ResultT = TypeVar("ResultT")


class FormModal(ModalScreen[ResultT | None], Generic[ResultT]):
    """Subclasses compose their fields inside a container with id ``FORM_ID``, end it with
    :meth:`compose_buttons`, and build their result in :meth:`result`."""

    FORM_ID = "form"
    SAVE_LABEL = N_("Save")  # the save button's word (N_, shown through _())
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="form.save"),
        Binding("escape", "cancel", N_("Cancel"), id="form.cancel"),
    ]

    def __init__(self, *, error: KommunestyreError | None = None) -> None:
        super().__init__(classes="modal")
        self.error = error

    def compose_buttons(self, *extra: Button) -> ComposeResult:
        yield Plain(id="form-error", classes="form-error")
        with Horizontal(classes="buttons"):
            yield from extra
            yield Button(
                _("{action} (ctrl+s)").format(action=_(self.SAVE_LABEL)),
                id="save",
                variant="primary",
                compact=True,
            )
            yield Button(_("Cancel (esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        inputs = self.query(Input)
        if inputs:
            inputs.first().focus()
        if self.error is not None:
            self.show_error(self.error)

    def show_error(self, error: KommunestyreError) -> None:
        """Mark the fields a save error names; the rest goes under the form."""
        rest = mark_errors(self.query_one(f"#{self.FORM_ID}"), error)
        self.query_one("#form-error", Static).update(rest or "")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def fields_valid(self) -> bool:
        """Run every field's check (all of them, so every wrong field is marked)."""
        if all([field.validate_now() for field in self.query(FormField)]):
            return True
        self.app.bell()
        self.query_one("#form-error", Static).update(_("Correct the marked fields."))
        return False

    def values(self) -> dict[str, str]:
        return {field.field_name: field.value for field in self.query(FormField)}

    def action_save(self) -> None:
        if self.fields_valid():
            self.dismiss(self.result())

    @abstractmethod
    def result(self) -> ResultT:
        """What the form returns when its fields are valid (each form defines it)."""
