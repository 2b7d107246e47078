"""Form building blocks: a labelled input whose validator is a domain check, with the reason
shown right under it when the value is wrong."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import Suggester
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from kommunestyre.errors import InvalidRecord, KommunestyreError, ValidationError
from kommunestyre.tui.widgets.plain import Plain, PlainLabel

Check = Callable[[str], object]


class DomainCheck(Validator):
    """Wraps a domain validator (which raises ValidationError) as a Textual validator."""

    def __init__(self, check: Check) -> None:
        super().__init__()
        self.check = check

    def validate(self, value: str) -> ValidationResult:
        try:
            self.check(value)
        except ValidationError as error:
            return self.failure(error.message)
        return self.success()


class FormField(Vertical):
    """``Label  [input]`` on one line, and the error (if any) on the next."""

    DEFAULT_CSS = """
    FormField { height: auto; }
    FormField > Horizontal { height: 1; }
    FormField Label { width: 16; color: $text-muted; }
    FormField Input { width: 1fr; }
    FormField > .error { color: $error; display: none; padding-left: 16; }
    FormField.-invalid > .error { display: block; }
    FormField > .note { color: $warning; display: none; padding-left: 16; }
    FormField.-noted > .note { display: block; }
    """  # not translated: CSS

    def __init__(
        self,
        label: str,
        name: str,
        value: str = "",
        *,
        check: Check | None = None,
        placeholder: str = "",
        suggester: Suggester | None = None,
        password: bool = False,
    ) -> None:
        super().__init__(id=f"field-{name.replace('.', '-')}", classes="form-field")
        self.password = password
        self.label = label
        self.field_name = name
        self.initial = value
        self.check = check
        self.placeholder = placeholder
        self.suggester = suggester

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield PlainLabel(self.label)
            yield Input(
                self.initial,
                placeholder=self.placeholder,
                validators=[DomainCheck(self.check)] if self.check else None,
                validate_on=["changed", "submitted", "blur"],
                suggester=self.suggester,
                password=self.password,
                compact=True,
                id=f"input-{self.field_name.replace('.', '-')}",
            )
        yield Plain(classes="error")
        yield Plain(classes="note")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    def set_note(self, message: str | None) -> None:
        """A line under the field that is not an error (say, what someone else saved)."""
        self.set_class(bool(message), "-noted")
        self.query_one(".note", Static).update(message or "")

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, value: str) -> None:
        self.input.value = value

    def set_error(self, message: str | None) -> None:
        self.set_class(bool(message), "-invalid")
        self.query_one(".error", Static).update(message or "")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        result = event.validation_result
        if result is not None:
            self.set_error(None if result.is_valid else result.failure_descriptions[0])

    def validate_now(self) -> bool:
        """Run the check on the current value and mark the field; True when it is fine."""
        if self.check is None:
            return True
        try:
            self.check(self.value)
        except ValidationError as error:
            self.set_error(error.message)
            return False
        self.set_error(None)
        return True


class SelectField(Horizontal):
    """``Label  [select]`` on one line."""

    DEFAULT_CSS = """
    SelectField { height: 1; }
    SelectField Label { width: 16; color: $text-muted; }
    SelectField Select { width: 1fr; }
    """  # not translated: CSS

    def __init__(
        self, label: str, name: str, options: Iterable[tuple[str | Text, object]], value: object
    ) -> None:
        super().__init__(id=f"field-{name}", classes="form-field")
        self.label = label
        self.options = list(options)
        self.initial = value
        self.field_name = name

    def compose(self) -> ComposeResult:
        yield PlainLabel(self.label)
        yield Select(
            self.options,
            value=self.initial,
            allow_blank=False,
            compact=True,
            id=f"input-{self.field_name}",
        )

    @property
    def value(self) -> object:
        return self.query_one(Select).value

    @value.setter
    def value(self, value: object) -> None:
        self.query_one(Select).value = value


def mark_errors(container: Widget, error: KommunestyreError, prefix: str = "") -> str | None:
    """Show a save error at the fields it names; returns what could not be placed at a field."""
    problems = error.problems if isinstance(error, InvalidRecord) else [error]
    unplaced = []
    for problem in problems:
        field = getattr(problem, "field", "")
        if field.startswith(prefix):
            field = field[len(prefix) :]
        found = list(container.query(f"#field-{field.replace('.', '-')}")) if field else []
        targets = [w for w in found if isinstance(w, FormField)]
        if targets:
            targets[0].set_error(getattr(problem, "message", str(problem)))
        else:
            unplaced.append(str(problem))
    return "; ".join(unplaced) or None
