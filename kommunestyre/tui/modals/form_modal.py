"""The one shape of every form: fields checked by domain validators, ctrl+s to save, esc to
cancel, a save error shown at its field, and ``dismiss(result)`` (the caller saves).

Nothing typed is lost: a failed save puts the focus on the first field in error; esc on a
changed form asks first; and when someone else saved the record meanwhile, the form opens again
on their version with the typing carried over and their changes noted at the fields
(:meth:`FormModal.carry_over`).
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Select, SelectionList, Static, TextArea
from textual.widgets._toggle_button import ToggleButton

from kommunestyre.domain.validation import quoted
from kommunestyre.errors import KommunestyreError
from kommunestyre.i18n import N_, _
from kommunestyre.tui.modals.confirm import ConfirmModal
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
        #: What the inputs held when the form opened, and when ctrl+s was pressed.
        self.opened: dict[str, object] = {}
        self.at_save: dict[str, object] = {}
        self._carried: tuple[dict[str, object], dict[str, object]] | None = None

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
        self.call_after_refresh(self._opened)

    def _opened(self) -> None:
        self.opened = self.state()
        if self._carried is not None:
            self._carry(*self._carried)
        if self.error is not None:
            self.show_error(self.error)

    # -- what the inputs hold ------------------------------------------------------------------

    def _inputs(self) -> list[Widget]:
        return [
            w
            for w in self.query("Input, Select, TextArea, ToggleButton, SelectionList")
            if w.id and isinstance(w, (Input, Select, TextArea, ToggleButton, SelectionList))
        ]

    def state(self) -> dict[str, object]:
        """Every input's value, by its id."""
        found: dict[str, object] = {}
        for widget in self._inputs():
            if isinstance(widget, TextArea):
                found[str(widget.id)] = widget.text
            elif isinstance(widget, SelectionList):
                found[str(widget.id)] = tuple(sorted(widget.selected))
            else:
                found[str(widget.id)] = widget.value  # type: ignore[attr-defined]
        return found

    def _restore(self, state: dict[str, object]) -> None:
        for widget in self._inputs():
            if widget.id not in state:
                continue
            value = state[str(widget.id)]
            if isinstance(widget, TextArea):
                widget.load_text(str(value))
            elif isinstance(widget, SelectionList) and isinstance(value, tuple):
                widget.deselect_all()
                for ticked in value:
                    widget.select(ticked)
            else:
                widget.value = value  # type: ignore[attr-defined]

    @property
    def changed(self) -> bool:
        return bool(self.opened) and self.state() != self.opened

    # -- a save that came too late ---------------------------------------------------------------

    def carry_over(self, opened: dict[str, object], typed: dict[str, object]) -> None:
        """This form shows the record as someone else saved it; put back what the coordinator
        typed (``typed``, from a form opened on ``opened``) and note at each field what the
        other person changed. Called right after the form is pushed."""
        self._carried = (opened, typed)

    def _carry(self, opened: dict[str, object], typed: dict[str, object]) -> None:
        theirs = self.state()
        self._restore(typed)
        self.opened = theirs  # esc now asks before it drops the typing
        noted = 0
        for widget in self._inputs():
            key = str(widget.id)
            if key not in opened or key not in theirs or opened[key] == theirs[key]:
                continue
            noted += 1
            field = next((a for a in widget.ancestors if isinstance(a, FormField)), None)
            if field is not None:
                shown = quoted(str(theirs[key])) if theirs[key] != "" else _("(empty)")
                field.set_note(_("Saved meanwhile by someone else: {value}").format(value=shown))
        self.query_one("#form-error", Static).update(
            _(
                "Someone else saved this record while you were typing ({count} field(s) "
                "differ, noted in yellow). Your typing is kept: ctrl+s saves it on top of "
                "theirs, esc keeps theirs."
            ).format(count=noted)
        )

    # -- errors ----------------------------------------------------------------------------------

    def show_error(self, error: KommunestyreError) -> None:
        """Mark the fields a save error names (the focus goes to the first); the rest goes
        under the form."""
        rest = mark_errors(self.query_one(f"#{self.FORM_ID}"), error)
        self.query_one("#form-error", Static).update(rest or "")
        self.focus_first_error()

    def focus_first_error(self) -> None:
        """The focus on the first field in error, scrolled into view with its reason."""
        for field in self.query(FormField):
            if field.has_class("-invalid"):
                field.input.focus()
                self.call_after_refresh(field.scroll_visible)
                return

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()
        elif event.button.id == "browse":
            self.action_browse()

    def action_browse(self) -> None:
        """A form with a path in it opens a file or folder picker (ctrl+o; see pickers.py)."""

    def action_cancel(self) -> None:
        """Close; a form with changes asks first."""
        if not self.changed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmModal(
                _("Discard your changes?"),
                _("What you typed in this form is not saved."),
                yes=_("Discard"),
                danger=True,
            ),
            answered,
        )

    def fields_valid(self) -> bool:
        """Run every field's check (all of them, so every wrong field is marked)."""
        if all([field.validate_now() for field in self.query(FormField)]):
            return True
        self.app.bell()
        self.query_one("#form-error", Static).update(_("Correct the marked fields."))
        self.focus_first_error()
        return False

    def values(self) -> dict[str, str]:
        return {field.field_name: field.value for field in self.query(FormField)}

    def action_save(self) -> None:
        if self.fields_valid():
            self.at_save = self.state()
            self.dismiss(self.result())

    @abstractmethod
    def result(self) -> ResultT:
        """What the form returns when its fields are valid (each form defines it)."""
