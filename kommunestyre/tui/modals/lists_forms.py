"""Lists in and out from the app: import a sign-up sheet after reading its report, and write
a list (participants, networks, invoices, contacts) as CSV, XLSX or Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Select, Static

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
from kommunestyre.tui.widgets.plain import Plain

if TYPE_CHECKING:
    from kommunestyre.services.registry import ImportReport, Registry


class ImportRequest(NamedTuple):
    path: Path
    cohort: int | None
    exclude: tuple[int, ...]


def _sheet(value: str) -> Path:
    path = typed_path(value, "file")
    if not value.strip():
        raise ValidationError("file", _("the sign-up sheet to import (.csv or .xlsx)"))
    if not is_file(path):
        raise ValidationError("file", _("{path} is not a file").format(path=path))
    return path


def _cohort(value: str) -> int | None:
    if not value.strip():
        return None
    return parse_whole(value, "cohort", low=1, high=99, what=_("a cohort number, or empty"))


def _rows(value: str) -> tuple[int, ...]:
    parts = [p for p in value.replace(" ", "").split(",") if p]
    what = _("row numbers separated by commas, e.g. 5, 9")
    return tuple(parse_whole(p, "exclude", high=9_999_999, what=what) for p in parts)


def report_text(report: ImportReport) -> Text:
    """The import report as the CLI prints it, with problems in red."""
    from kommunestyre.lists.importer import describe_rows

    plan = report.plan
    out = Text()
    for line in describe_rows(plan):
        out.append(f"{line}\n")
    for warning in plan.warnings:
        out.append(_("note: {warning}").format(warning=warning) + "\n", "dim")
    for problem in plan.problems:
        out.append(_("problem: {problem}").format(problem=problem) + "\n", "red")
    if report.outcome:
        out.append((_("Would result in:") if report.dry_run else _("Result:")) + "\n", "bold")
        for line in report.outcome:
            out.append(f"  {line}\n")
    out.append(f"{plan.summary()}.", "bold")
    if not plan.clean:
        out.append(" ", "red")
        out.append(
            _(
                "Nothing can be imported: correct the file, or list the bad rows under "
                "'Leave out rows'."
            ),
            "red",
        )
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
    ) -> None:
        super().__init__(error=error)
        self.registry = registry
        self.request = request
        self.checked: ImportRequest | None = None  # the request the clean report is about

    def compose(self) -> ComposeResult:
        r = self.request
        with Vertical(classes="dialog wide", id=self.FORM_ID):  # not translated: CSS classes
            yield Plain(_("Import registrations from a sheet"), classes="dialog-title")
            yield FormField(
                _("Sheet"),
                "file",
                str(r.path) if r else "",
                check=_sheet,
                placeholder="~/Downloads/tilmelding.xlsx",  # not translated: an example path
            )
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
                yield Plain(
                    _(
                        "ctrl+r checks the sheet and shows what each row would do; nothing is "
                        "saved until you import."
                    ),
                    id="import-report-text",
                )
            yield from self.compose_buttons(
                browse_button(),
                Button(_("Check (ctrl+r)"), id="check", variant="default", compact=True),
            )

    def on_mount(self) -> None:
        super().on_mount()
        if self.request is not None:  # reopened: show the report again
            self.action_check()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "check":
            self.action_check()
        else:
            super().on_button_pressed(event)

    def action_browse(self) -> None:
        browse(self.query_one("#field-file", FormField), ChooseSheet)

    def _request(self) -> ImportRequest:
        v = self.values()
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
            report = self.registry.preview_import(
                request.path, cohort=request.cohort, exclude=request.exclude
            )
        except KommunestyreError as error:
            self.app.call_from_thread(self._show, Text(str(error), "red"), None)
            return
        clean = request if report.plan.clean else None
        self.app.call_from_thread(self._show, report_text(report), clean)

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
]


class ListRequest(NamedTuple):
    kind: str
    path: Path
    cohort: int | None
    comma: bool


def _out(value: str) -> Path:
    from kommunestyre.lists.writers import FORMATS

    path = typed_path(value, "out")
    if path.suffix.lower() not in FORMATS:
        raise ValidationError("out", _("end the file name in .xlsx, .csv or .md"))
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
                    "The file name decides the format: .xlsx, .csv or .md. The file holds "
                    "personal data and is readable only by you."
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
        if path.stem in kinds and str(event.value) in kinds:
            field.input.value = str(path.with_stem(str(event.value)))

    def result(self) -> ListRequest:
        selects = {f.field_name: f.value for f in self.query(SelectField)}
        cohort = selects["cohort"]
        return ListRequest(
            str(selects["kind"]),
            _out(self.values()["out"]),
            cohort if isinstance(cohort, int) and cohort else None,
            bool(selects["comma"]),
        )
