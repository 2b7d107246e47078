"""Lists in and out from the app: import a sign-up sheet, the replies by mail that carry them
(an mbox file or a folder of .eml files) or the municipality contacts after reading the report,
and write a list (participants, networks, invoices, contacts, rooms, diets, badges, sign-in
sheets) as CSV, XLSX, Markdown or PDF."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Input, Select, Static

from kommunestyre.domain.validation import parse_whole
from kommunestyre.errors import KommunestyreError, ValidationError
from kommunestyre.i18n import N_, _
from kommunestyre.tui.modals.form_modal import FormModal
from kommunestyre.tui.modals.pickers import (
    BROWSE_BINDING,
    ChooseListFile,
    ChooseSheet,
    browse,
    browse_button,
)
from kommunestyre.tui.typed_paths import is_file, is_folder, typed_path
from kommunestyre.tui.widgets.form import FormField, SelectField
from kommunestyre.tui.widgets.plain import Plain, PlainLabel

if TYPE_CHECKING:
    from kommunestyre.lists.importer import Report
    from kommunestyre.services.registry import Registry

#: What an import form reads: registrations (a sheet, or replies by mail), or contacts.
ImportKind = Literal["registrations", "contacts"]


class ImportRequest(NamedTuple):
    path: Path
    cohort: int | None
    exclude: tuple[int, ...]  # rows; for replies by mail, the replies' numbers
    kind: ImportKind = "registrations"


def _sheet(value: str) -> Path:
    path = typed_path(value, "file")
    if not value.strip():
        raise ValidationError(
            "file",
            _(
                "the sign-up sheet to import (.csv or .xlsx), or the replies by mail (an mbox "
                "file, or a folder of .eml files)"
            ),
        )
    if not is_file(path) and not is_folder(path):
        raise ValidationError("file", _("{path} is not a file").format(path=path))
    return path


def _contacts_sheet(value: str) -> Path:
    path = typed_path(value, "file")
    if not value.strip():
        raise ValidationError("file", _("the sheet of contacts to import (.csv or .xlsx)"))
    if not is_file(path):
        raise ValidationError("file", _("{path} is not a file").format(path=path))
    return path


def is_mail(path: Path) -> bool:
    """Replies by mail (an mbox file, a folder of .eml files, an .eml), not a sheet."""
    from kommunestyre.lists.replies import is_mail_source

    try:
        return is_mail_source(path)
    except ValueError:  # a name the system cannot take: the file check says so
        return False


def preview(registry: Registry, request: ImportRequest) -> Report:
    """What the import would do: the report, nothing saved."""
    from kommunestyre.services.imports import preview_contacts, preview_replies

    if request.kind == "contacts":
        return preview_contacts(registry, request.path, exclude=request.exclude)
    if is_mail(request.path):
        return preview_replies(
            registry, request.path, exclude=request.exclude, cohort=request.cohort
        )
    return registry.preview_import(request.path, cohort=request.cohort, exclude=request.exclude)


def run_import(registry: Registry, request: ImportRequest) -> Report:
    """The import itself: all or nothing (a report with problems raises, saving nothing)."""
    from kommunestyre.services.imports import import_contacts, import_replies

    if request.kind == "contacts":
        return import_contacts(registry, request.path, exclude=request.exclude)
    if is_mail(request.path):
        return import_replies(
            registry, request.path, exclude=request.exclude, cohort=request.cohort
        )
    return registry.import_registrations(
        request.path, cohort=request.cohort, exclude=request.exclude
    )


def _cohort(value: str) -> int | None:
    if not value.strip():
        return None
    return parse_whole(value, "cohort", low=1, high=99, what=_("a cohort number, or empty"))


def _rows(value: str) -> tuple[int, ...]:
    parts = [p for p in value.replace(" ", "").split(",") if p]
    what = _("row numbers separated by commas, e.g. 5, 9")
    return tuple(parse_whole(p, "exclude", high=9_999_999, what=what) for p in parts)


def report_text(report: Report, *, replies: bool = False) -> Text:
    """The import report as the CLI prints it, with problems in red."""
    plan = report.plan
    out = Text()
    lines = plan.report_lines()
    under = any(line.kind == "heading" for line in lines)  # replies: their lines indented
    for line in lines:
        if line.kind == "heading":
            out.append("  " * line.depth + f"{line.text}\n", "bold")
            continue
        indent = "  " * (line.depth + under)
        if line.kind == "note":
            out.append(indent + _("note: {warning}").format(warning=line.text) + "\n", "dim")
        elif line.kind == "problem":
            out.append(indent + _("problem: {problem}").format(problem=line.text) + "\n", "red")
        else:
            out.append(f"{indent}{line.text}\n")
    if report.outcome:
        out.append((_("Would result in:") if report.dry_run else _("Result:")) + "\n", "bold")
        for outcome in report.outcome:
            out.append(f"  {outcome}\n")
    out.append(f"{plan.summary()}.", "bold")
    if not plan.clean:
        out.append(" ", "red")
        if replies:
            advice = _(
                "Nothing can be imported: correct the sheets, or list the replies under "
                "'Exclude replies'."
            )
        else:
            advice = _(
                "Nothing can be imported: correct the file, or list the bad rows under "
                "'Leave out rows'."
            )
        out.append(advice, "red")
    return out


class ImportForm(FormModal[ImportRequest]):
    """Check the sheet (ctrl+r), read the report, then import (ctrl+s): only a clean report
    can be imported, and the import itself checks everything again."""

    FORM_ID = "import-form"
    SAVE_LABEL = N_("Import")
    BINDINGS = [
        Binding("ctrl+r", "check", N_("Check"), id="import.check"),
        BROWSE_BINDING,
    ]

    def __init__(
        self,
        registry: Registry,
        request: ImportRequest | None = None,
        *,
        error: KommunestyreError | None = None,
        kind: ImportKind = "registrations",
    ) -> None:
        super().__init__(error=error)
        self.registry = registry
        self.request = request
        self.kind: ImportKind = request.kind if request else kind
        self.checked: ImportRequest | None = None  # the request the clean report is about

    def compose(self) -> ComposeResult:
        r = self.request
        contacts = self.kind == "contacts"
        with Vertical(classes="dialog wide", id=self.FORM_ID):  # not translated: CSS classes
            if contacts:
                yield Plain(_("Import municipality contacts from a sheet"), classes="dialog-title")
            else:
                yield Plain(_("Import registrations from a sheet"), classes="dialog-title")
            yield FormField(
                _("Contacts") if contacts else _("Sheet or mail"),
                "file",
                str(r.path) if r else "",
                check=_contacts_sheet if contacts else _sheet,
                placeholder="~/Downloads/kontakter.xlsx"  # not translated: example paths
                if contacts
                else "~/Downloads/tilmelding.xlsx, ~/Mail/svar.mbox",
            )
            if not contacts:
                yield FormField(
                    _("Hold"),
                    "cohort",
                    str(r.cohort or "") if r else "",
                    check=_cohort,
                    placeholder=_("for rows without a hold column"),
                )
            yield FormField(
                _("Leave out rows"),
                "exclude",
                ", ".join(map(str, r.exclude)) if r else "",
                check=_rows,
                placeholder=_("e.g. 5, 9"),
            )
            with VerticalScroll(id="import-report"):
                if contacts:
                    hint = _(
                        "Columns: kommune, navn, titel, e-mail, noter (Danish or English "
                        "headers). ctrl+r checks the sheet and shows what each row would do; "
                        "nothing is saved until you import."
                    )
                else:
                    hint = _(
                        "ctrl+r checks the sheet and shows what each row would do; nothing is "
                        "saved until you import."
                    )
                yield Plain(hint, id="import-report-text")
            yield from self.compose_buttons(
                browse_button(),
                Button(_("Check (ctrl+r)"), id="check", variant="default", compact=True),
            )

    def on_mount(self) -> None:
        super().on_mount()
        if self.request is not None:  # reopened: show the report again
            self._source_changed()
            self.action_check()

    @on(Input.Changed, "#input-file")
    def _source_changed(self) -> None:
        """Replies by mail are left out whole: the field then takes the replies' numbers."""
        if self.kind == "contacts":
            return
        try:
            mail = is_mail(typed_path(self.query_one("#input-file", Input).value, "file"))
        except ValidationError:
            mail = False
        label = _("Exclude replies") if mail else _("Leave out rows")
        self.query_one("#field-exclude", FormField).query_one(PlainLabel).update(label)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "check":
            self.action_check()
        else:
            super().on_button_pressed(event)

    def action_browse(self) -> None:
        browse(self.query_one("#field-file", FormField), ChooseSheet)

    def _request(self) -> ImportRequest:
        v = self.values()
        if self.kind == "contacts":
            return ImportRequest(_contacts_sheet(v["file"]), None, _rows(v["exclude"]), "contacts")
        return ImportRequest(_sheet(v["file"]), _cohort(v["cohort"]), _rows(v["exclude"]))

    def action_check(self) -> None:
        if not self.fields_valid():
            return
        request = self._request()
        self.checked = None
        self.query_one("#import-report-text", Static).update(_("Checking…"))
        self._preview(request)

    @work(thread=True, exclusive=True)
    def _preview(self, request: ImportRequest) -> None:
        try:
            report = preview(self.registry, request)
        except KommunestyreError as error:
            self.app.call_from_thread(self._show, Text(str(error), "red"), None)
            return
        clean = request if report.plan.clean else None
        replies = request.kind != "contacts" and is_mail(request.path)
        self.app.call_from_thread(self._show, report_text(report, replies=replies), clean)

    def _show(self, text: Text, clean: ImportRequest | None) -> None:
        self.query_one("#import-report-text", Static).update(text)
        self.checked = clean

    def action_save(self) -> None:
        if not self.fields_valid():
            return
        if self.checked is None or self.checked != self._request():
            self.app.bell()
            self.query_one("#form-error", Static).update(
                _("Check the sheet first (ctrl+r); only a clean report can be imported.")
            )
            return
        self.dismiss(self.checked)

    def result(self) -> ImportRequest:
        return self._request()


#: The lists one can write (labels in English; shown through ``_()``).
LIST_OPTIONS = [
    (N_("Participants per cohort (venue, name tags)"), "participants"),
    (N_("Networks: directors per field"), "networks"),
    (N_("Invoice basis per municipality"), "invoices"),
    (N_("Municipality contacts and invitation status"), "contacts"),
    (N_("Room list for the seminar's overnight stay (venue)"), "rooms"),
    (N_("Diet and accessibility counts per meeting"), "diets"),
    (N_("Name badges (PDF)"), "badges"),
    (N_("Sign-in sheet, 12-12 seminar (PDF)"), "signin"),
    (N_("Sign-in sheet, follow-up day (PDF)"), "signin-followup"),
    (N_("Participant list as a table (PDF)"), "participants-pdf"),
]

#: The options that are not a list's own name: (the list, its meeting, the suggested format).
PRESETS: dict[str, tuple[str, str | None, str]] = {
    "badges": ("badges", None, ".pdf"),
    "signin": ("signin", "seminar", ".pdf"),
    "signin-followup": ("signin", "followup", ".pdf"),
    "participants-pdf": ("participants", None, ".pdf"),
}


class ListRequest(NamedTuple):
    kind: str
    path: Path
    cohort: int | None
    comma: bool
    meeting: str | None = None  # the sign-in sheet's: "seminar" or "followup"


def _out(value: str) -> Path:
    from kommunestyre.lists.writers import FORMATS

    path = typed_path(value, "out")
    if path.suffix.lower() not in FORMATS:
        raise ValidationError("out", _("end the file name in .xlsx, .csv, .md or .pdf"))
    if not is_folder(path.parent):
        raise ValidationError("out", _("{folder} is not a folder").format(folder=path.parent))
    return path


class ExportListForm(FormModal[ListRequest]):
    FORM_ID = "list-form"
    SAVE_LABEL = N_("Write")
    BINDINGS = [BROWSE_BINDING]

    def __init__(
        self,
        kind: str,
        folder: Path,
        cohorts: list[int],
        *,
        error: KommunestyreError | None = None,
    ) -> None:
        super().__init__(error=error)
        self.kind = kind
        self.folder = folder
        self.cohorts = cohorts

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id=self.FORM_ID):
            yield Plain(_("Write a list"), classes="dialog-title")
            kinds = [(_(label), key) for label, key in LIST_OPTIONS]
            yield SelectField(_("List"), "kind", kinds, self.kind)
            yield SelectField(
                _("Hold"),
                "cohort",
                [
                    (_("All cohorts"), 0),
                    *((_("Hold {cohort}").format(cohort=n), n) for n in self.cohorts),
                ],
                0,
            )
            yield FormField(_("File"), "out", str(self.folder / f"{self.kind}.xlsx"), check=_out)
            yield SelectField(
                _("CSV style"),
                "comma",
                [(_("Semicolons, decimal comma (Danish Excel)"), False), (_("Commas"), True)],
                False,
            )
            yield Plain(
                _(
                    "The file name decides the format: .xlsx, .csv, .md or .pdf (print-ready "
                    "A4). The file holds personal data and is readable only by you."
                ),
                classes="note",
            )
            yield from self.compose_buttons(browse_button())

    def action_browse(self) -> None:
        field = self.query_one("#field-out", FormField)
        name = Path(field.value).name or f"{self.kind}.xlsx"
        browse(field, lambda start: ChooseListFile(start, name))

    @on(Select.Changed, "#input-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        """Keep the suggested file name in step with the list (unless it was renamed)."""
        field = self.query_one("#field-out", FormField)
        path = Path(field.value)
        kinds = [key for _label, key in LIST_OPTIONS]
        value = str(event.value)
        if path.stem in kinds and value in kinds:
            suffix = PRESETS[value][2] if value in PRESETS else path.suffix
            if path.stem in PRESETS and value not in PRESETS:  # back from a PDF: a sheet
                suffix = ".xlsx"
            field.input.value = str(path.with_stem(value).with_suffix(suffix))

    def result(self) -> ListRequest:
        selects = {f.field_name: f.value for f in self.query(SelectField)}
        cohort = selects["cohort"]
        kind, meeting, _suffix = PRESETS.get(str(selects["kind"]), (str(selects["kind"]), None, ""))
        return ListRequest(
            kind,
            _out(self.values()["out"]),
            cohort if isinstance(cohort, int) and cohort else None,
            bool(selects["comma"]),
            meeting,
        )
