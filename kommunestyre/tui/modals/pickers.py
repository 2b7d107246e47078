"""Paths without typing them: the import and export forms open a file or folder picker (ctrl+o)
that starts in the folder last used in this session.

The pickers are textual-fspicker's dialogs (a well-kept widget: directory navigation, hidden
files, drives on Windows, completion), with our words on their buttons and errors.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.binding import Binding
from textual.widgets import Button, Input
from textual_fspicker import FileOpen, FileSave, Filters, SelectDirectory
from textual_fspicker.parts import DirectoryNavigation
from textual_fspicker.suggest_path import SuggestPath

from kommunestyre.i18n import N_, _
from kommunestyre.tui.typed_paths import is_folder

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import ModalScreen

    from kommunestyre.tui.widgets.form import FormField


#: The key of every form with a path in it.
BROWSE_BINDING = Binding(
    "ctrl+o", "browse", N_("Browse"), id="form.browse", tooltip=N_("Choose the path in a picker")
)


def browse_button() -> Button:
    return Button(_("Browse… (ctrl+o)"), id="browse", compact=True)


def _sheet(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".csv")


def _list_file(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".csv", ".md")


def _refuse_bad_name(dialog: FileOpen | FileSave, event: Input.Submitted | Button.Pressed) -> None:
    """A name the system cannot take (too long, a NUL, ``~nobody``) is an error in the picker,
    not a crash: checked before textual-fspicker's own handler, which it then skips."""
    value = dialog.query_one(Input).value
    if not value:
        return
    location = Path(dialog.query_one(DirectoryNavigation).location)
    try:
        chosen = Path(value).expanduser() if value.startswith("~") else location / value
        chosen.resolve().is_dir()
    except (OSError, RuntimeError, ValueError) as error:
        dialog._set_error(_("That name cannot be used: {reason}").format(reason=reason(error)))
        event.stop()
        event.prevent_default()


class _SafeSuggestions(SuggestPath):
    """textual-fspicker's completion of a typed name, quiet where the system refuses the name
    (its own would end the app with "File name too long")."""

    async def get_suggestion(self, value: str) -> str | None:
        try:
            return await super().get_suggestion(value)
        except (OSError, RuntimeError, ValueError):
            return None


def reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error)


class ChooseSheet(FileOpen):
    """A sign-up sheet to import: .xlsx or .csv first, every file on request."""

    @on(Input.Submitted)
    @on(Button.Pressed, "#select")
    def _check_name(self, event: Input.Submitted | Button.Pressed) -> None:
        _refuse_bad_name(self, event)

    def __init__(self, location: Path) -> None:
        self.ERROR_A_FILE_MUST_EXIST = _("Choose a file that exists")
        self.ERROR_A_FILE_MUST_BE_CHOSEN = _("Choose a file")
        self.ERROR_PERMISSION_ERROR = _("You may not read that folder")
        super().__init__(
            location,
            _("Choose the sign-up sheet (.xlsx or .csv)"),
            open_button=_("Choose"),
            cancel_button=_("Cancel"),
            filters=Filters((_("Sheets"), _sheet), (_("All files"), lambda _p: True)),
        )
        self._suggest_path = _SafeSuggestions()  # read when the name field is composed


class ChooseListFile(FileSave):
    """Where to write a list; the name's ending decides the format."""

    @on(Input.Submitted)
    @on(Button.Pressed, "#select")
    def _check_name(self, event: Input.Submitted | Button.Pressed) -> None:
        _refuse_bad_name(self, event)

    def __init__(self, location: Path, name: str) -> None:
        self.ERROR_A_FILE_MUST_BE_CHOSEN = _("Name the file")
        self.ERROR_PERMISSION_ERROR = _("You may not write into that folder")
        super().__init__(
            location,
            _("Write the list to (.xlsx, .csv or .md)"),
            save_button=_("Choose"),
            cancel_button=_("Cancel"),
            filters=Filters((_("Lists"), _list_file), (_("All files"), lambda _p: True)),
            default_file=name,
        )
        self._suggest_path = _SafeSuggestions()  # read when the name field is composed


class ChooseFolder(SelectDirectory):
    """A folder to export letters into."""

    def __init__(self, location: Path) -> None:
        self.ERROR_PERMISSION_ERROR = _("You may not read that folder")
        super().__init__(
            location, _("Choose a folder"), select_button=_("Choose"), cancel_button=_("Cancel")
        )


def _folder(candidate: Callable[[], Path]) -> Path | None:
    """``candidate()`` if it is a folder; None for anything else (a user that does not exist in
    ``~name``, a name too long, a folder one may not read)."""
    try:
        folder = candidate()
    except (RuntimeError, ValueError):
        return None
    return folder if is_folder(folder) else None


def start_folder(value: str, last: Path | None) -> Path:
    """Where a picker opens: the folder of what the field holds, if it is one; else the folder
    last used; else the home folder."""
    typed = value.strip()
    candidates: list[Callable[[], Path]] = []
    if typed:
        candidates += [
            lambda: Path(typed).expanduser(),
            lambda: Path(typed).expanduser().parent,
        ]
    if last is not None:
        candidates.append(lambda: last)
    candidates += [Path.home, Path.cwd]
    for candidate in candidates:
        folder = _folder(candidate)
        if folder is not None:
            return folder
    return Path(".")


def last_folder(app: App[Any]) -> Path | None:
    """The folder the coordinator last chose or wrote into in this session."""
    folder = getattr(app, "last_folder", None)
    return folder if isinstance(folder, Path) else None


def remember(app: App[Any], path: Path) -> None:
    """Remember ``path``'s folder (or ``path``, if it is one) for the next picker."""
    folder = _folder(lambda: path) or _folder(lambda: path.parent)
    if folder is not None:
        app.last_folder = folder  # type: ignore[attr-defined]


def browse(
    field: FormField,
    picker: Callable[[Path], ModalScreen[Path | None]],
    fill: Callable[[Path], Path] = lambda path: path,
) -> None:
    """Open ``picker`` where ``field`` points (or in the last folder) and put the path chosen,
    as ``fill`` makes it, into the field; cancelling leaves the field as it was."""
    app = field.app

    def chosen(path: Path | None) -> None:
        if path is None:
            return
        remember(app, path)
        field.input.value = str(fill(path))
        field.input.cursor_position = len(field.input.value)
        field.input.focus()

    app.push_screen(picker(start_folder(field.value, last_folder(app))), chosen)
