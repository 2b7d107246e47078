"""Paths without typing them: the import and export forms open a file or folder picker (ctrl+o)
that starts in the folder last used in this session.

The pickers are textual-fspicker's dialogs (a well-kept widget: directory navigation, hidden
files, drives on Windows, completion), with our words on their buttons and errors.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.widgets import Button
from textual_fspicker import FileOpen, FileSave, Filters, SelectDirectory

from kommunestyre.i18n import N_, _

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


class ChooseSheet(FileOpen):
    """A sign-up sheet to import: .xlsx or .csv first, every file on request."""

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


class ChooseListFile(FileSave):
    """Where to write a list; the name's ending decides the format."""

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


class ChooseFolder(SelectDirectory):
    """A folder to export letters into."""

    def __init__(self, location: Path) -> None:
        self.ERROR_PERMISSION_ERROR = _("You may not read that folder")
        super().__init__(
            location, _("Choose a folder"), select_button=_("Choose"), cancel_button=_("Cancel")
        )


def start_folder(value: str, last: Path | None) -> Path:
    """Where a picker opens: the folder of what the field holds, if it is one; else the folder
    last used; else the home folder."""
    typed = Path(value.strip()).expanduser() if value.strip() else None
    for candidate in (typed, typed.parent if typed else None, last, Path.home()):
        if candidate is not None and candidate.is_dir():
            return candidate
    return Path.cwd()


def last_folder(app: App[Any]) -> Path | None:
    """The folder the coordinator last chose or wrote into in this session."""
    folder = getattr(app, "last_folder", None)
    return folder if isinstance(folder, Path) else None


def remember(app: App[Any], path: Path) -> None:
    """Remember ``path``'s folder (or ``path``, if it is one) for the next picker."""
    app.last_folder = path if path.is_dir() else path.parent  # type: ignore[attr-defined]


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
