"""Every participant in one table, filtered as you type; the register's daily edits start here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from kommunestyre.domain.capacity import waiting_places
from kommunestyre.domain.model import Participant, Register, Status
from kommunestyre.domain.municipalities import by_code
from kommunestyre.domain.rules import ERASED_NAME
from kommunestyre.formats import short_date
from kommunestyre.i18n import N_, NP_, _, ngettext
from kommunestyre.services.registry import Snapshot
from kommunestyre.tui.screens.base import LIST_BINDING, BaseScreen
from kommunestyre.tui.widgets.plain import Plain, plain
from kommunestyre.tui.widgets.virtual_table import Column, VirtualTable

COLUMNS = [
    Column("name", N_("Name")),
    Column("title", N_("Title"), hide_below=100),
    Column("field", N_("Field"), 18),
    Column("municipality", N_("Municipality"), 15),
    Column("cohort", N_("Hold"), 4, align_right=True),
    Column("status", N_("Status"), 13),
    Column("email", N_("E-mail"), hide_below=90),
]
#: (label, value) of the status filter; the labels are shown through _().
STATUS_OPTIONS = [
    (N_("All statuses"), ""),
    (N_("Active (seat, offer or queue)"), "active"),
    (N_("Admitted"), Status.ADMITTED.value),
    (N_("Seat offered"), Status.OFFERED.value),
    (N_("Waiting list"), Status.WAITLISTED.value),
    (N_("Cancelled"), Status.CANCELLED.value),
    (N_("Substituted"), Status.SUBSTITUTED.value),
]


@dataclass(frozen=True, slots=True)
class Row:
    """One participant, prepared once per snapshot so that filtering is only comparisons."""

    id: int
    cells: tuple[str, ...]
    search: str
    cohort: int
    fields: tuple[str, ...]
    status: str
    active: bool
    sort_keys: tuple[Any, ...]


def _status_text(participant: Participant, places: dict[int, int]) -> str:
    if participant.status is Status.WAITLISTED:
        return _("waiting #{place}").format(place=places.get(participant.id, 0))
    if participant.status is Status.OFFERED and participant.offered_until is not None:
        day = f"{participant.offered_until:%d.%m}"  # day and month: the same in both languages
        return _("offered {day}").format(day=day)
    if participant.status is Status.CANCELLED and participant.billable_cancellation:
        return _("cancelled, billed")
    return participant.status.label


def build_rows(register: Register) -> list[Row]:
    places = waiting_places(register)
    labels = {f.key: f.label for f in register.programme.fields}
    towns = {d.id: by_code(d.municipality_code).name for d in register.directorates.values()}
    rows = []
    for p in register.participants.values():
        d = p.details
        municipality = towns[p.directorate_id]
        status = _status_text(p, places)
        cells = (
            d.name,
            d.title,
            labels.get(d.field, d.field),
            municipality,
            str(p.cohort),
            status,
            d.email,
        )
        rows.append(
            Row(
                id=p.id,
                cells=cells,
                search=f"{d.name}\t{municipality}\t{d.email}".casefold(),
                cohort=p.cohort,
                fields=tuple(p.fields),
                status=p.status.value,
                active=p.status.is_active,
                sort_keys=(
                    d.name.casefold(),
                    d.title.casefold(),
                    cells[2],
                    municipality,
                    p.cohort,
                    (p.status.value, places.get(p.id, 0)),
                    d.email.casefold(),
                ),
            )
        )
    rows.sort(key=lambda r: r.sort_keys[0])
    return rows


def matches_selects(row: Row, cohort: int, field: str, status: str) -> bool:
    """The dropdown filters (cohort, field, status)."""
    if cohort and row.cohort != cohort:
        return False
    if field and field not in row.fields:
        return False
    if status == "active":
        return row.active
    return not status or row.status == status


def matches_text(rows: list[Row], terms: list[str]) -> list[Row]:
    """Rows whose name, municipality or e-mail contain every term."""
    if not terms:
        return rows
    if len(terms) == 1:
        term = terms[0]
        return [r for r in rows if term in r.search]
    return [r for r in rows if all(t in r.search for t in terms)]


class RegisterScreen(BaseScreen):
    MODE = "register"
    PURPOSE = N_(
        "Every participant in one table. Type to filter by name, municipality or e-mail; "
        "narrow by cohort, field and status; click a column header (or press o) to sort. "
        "Act on the selected row with the keys below."
    )
    BINDINGS = [
        Binding("slash", "focus_filter", N_("Filter"), key_display="/", id="register.filter"),
        Binding(
            "e",
            "edit",
            N_("Edit"),
            id="register.edit",
            tooltip=N_("Correct the participant's details"),
        ),
        Binding(
            "m",
            "move",
            N_("Move"),
            id="register.move",
            tooltip=N_("Move the participant to another cohort"),
        ),
        Binding(
            "c",
            "cancel",
            NP_("register.cancel", "Cancel"),  # a registration, not a form: "Afmeld"
            id="register.cancel",
            tooltip=N_("Cancel (says whether it is free or binding)"),
        ),
        Binding(
            "s",
            "substitute",
            N_("Substitute"),
            id="register.substitute",
            tooltip=N_("A named substitute takes over the seat"),
        ),
        Binding(
            "r",
            "reinstate",
            N_("Reinstate"),
            id="register.reinstate",
            tooltip=N_(
                "Undo a cancellation: the seat back if there is room, else the waiting list"
            ),
        ),
        Binding(
            "y",
            "accept_offer",
            N_("Accept offer"),
            id="register.accept",
            tooltip=N_("The person takes up their seat offer (binding)"),
        ),
        Binding(
            "d",
            "decline_offer",
            N_("Decline offer"),
            id="register.decline",
            tooltip=N_("The person declines their seat offer (free); it goes to the next"),
        ),
        Binding(
            "p",
            "promote",
            NP_("register.promote", "Promote"),  # "from the waiting list" in Danish: found by it
            id="register.promote",
            tooltip=N_("Admit from the waiting list if there is room"),
        ),
        Binding(
            "delete",
            "erase",
            N_("Erase"),
            key_display="del",
            id="register.erase",
            tooltip=N_("GDPR erasure: remove the person for good"),
        ),
        Binding(
            "i",
            "import_sheet",
            N_("Import"),
            id="register.import",
            tooltip=N_("Import registrations from a CSV or XLSX sheet"),
        ),
        LIST_BINDING,
        Binding(
            "o",
            "sort_next",
            N_("Sort"),
            id="register.sort",
            tooltip=N_("Sort by the next column"),
        ),
        Binding("escape", "focus_table", N_("Table"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.all_rows: list[Row] = []
        self.shown_rows: list[Row] = []
        self._base: list[Row] | None = None  # all rows that pass the dropdown filters
        self._selects: tuple[int, str, str] = (0, "", "")
        self._last_query: str | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="filters"):
            yield Input(
                placeholder=_("Filter: name, municipality or e-mail"), id="filter", compact=True
            )
            yield Select(
                [(_("All cohorts"), 0)],
                value=0,
                allow_blank=False,
                id="filter-cohort",
                compact=True,
            )
            yield Select(
                [(_("All fields"), "")],
                value="",
                allow_blank=False,
                id="filter-field",
                compact=True,
            )
            yield Select(
                [(_(label), value) for label, value in STATUS_OPTIONS],
                value="",
                allow_blank=False,
                id="filter-status",
                compact=True,
            )
        yield VirtualTable(COLUMNS, id="participants")
        yield Plain(id="count", classes="status-line")
        yield Plain(id="detail", classes="detail")

    def on_mount(self) -> None:
        programme = self.kapp.snapshot.register.programme
        self.query_one("#filter-cohort", Select).set_options(
            [
                (_("All cohorts"), 0),
                *(
                    (_("Hold {number}").format(number=c.number), c.number)
                    for c in programme.cohorts
                ),
            ]
        )
        self.query_one("#filter-field", Select).set_options(
            [(_("All fields"), ""), *((plain(f.label), f.key) for f in programme.fields)]
        )
        self.query_one(VirtualTable).focus()

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    def show(self, snapshot: Snapshot) -> None:
        self.all_rows = build_rows(snapshot.register)
        self._sort()
        self._base = None
        self.apply_filter()

    # -- filtering and sorting -------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    @on(Select.Changed)
    def apply_filter(self) -> None:
        """Filter as you type: a query that extends the last one searches the last result."""
        query = self.query_one("#filter", Input).value.casefold()
        cohort = self.query_one("#filter-cohort", Select).value
        field = self.query_one("#filter-field", Select).value
        status = self.query_one("#filter-status", Select).value
        selects = (cohort if isinstance(cohort, int) else 0, str(field), str(status))
        if selects != self._selects or self._base is None:
            self._selects = selects
            self._base = [r for r in self.all_rows if matches_selects(r, *selects)]
            self._last_query = None
        if self._last_query is not None and query.startswith(self._last_query):
            pool = self.shown_rows
        else:
            pool = self._base
        self.shown_rows = matches_text(pool, query.split())
        self._last_query = query
        self.table.set_rows([r.id for r in self.shown_rows], [r.cells for r in self.shown_rows])
        total = len(self.all_rows)
        self.query_one("#count", Static).update(
            ngettext(
                "{shown} of {total} participant", "{shown} of {total} participants", total
            ).format(shown=len(self.shown_rows), total=total)
        )

    def _sort(self) -> None:
        table = self.table
        keys = [c.key for c in COLUMNS]
        index = keys.index(table.sort_column) if table.sort_column else 0
        self.all_rows.sort(key=lambda r: r.sort_keys[index], reverse=table.sort_reverse)

    @on(VirtualTable.HeaderClicked)
    def sort_by(self, event: VirtualTable.HeaderClicked) -> None:
        table = self.table
        if table.sort_column == event.column:
            table.sort_reverse = not table.sort_reverse
        else:
            table.sort_column, table.sort_reverse = event.column, False
        self._sort()
        self._base = None
        self.apply_filter()

    def action_sort_next(self) -> None:
        keys = [c.key for c in COLUMNS]
        current = self.table.sort_column or keys[0]
        self.table.sort_column = keys[(keys.index(current) + 1) % len(keys)]
        self.table.sort_reverse = False
        self._sort()
        self._base = None
        self.apply_filter()
        label = next(c.label for c in COLUMNS if c.key == self.table.sort_column)
        self.notify(_("Sorted by {column}").format(column=_(label).lower()), timeout=2)

    @on(Input.Submitted, "#filter")
    def action_focus_table(self) -> None:
        self.table.focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def show_record(self, kind: str, record_id: int) -> None:
        """The person just added (or the first of a directorate just added) under the cursor;
        a filter that hides them is cleared first."""
        people = {record_id} if kind == "participant" else set()
        if kind == "directorate":
            register = self.kapp.snapshot.register
            people = {p.id for p in register.participants.values() if p.directorate_id == record_id}
        wanted = next((r.id for r in self.all_rows if r.id in people), None)
        if wanted is None:
            return
        if all(r.id != wanted for r in self.shown_rows):
            self.query_one("#filter", Input).value = ""
            self.query_one("#filter-cohort", Select).value = 0
            self.query_one("#filter-field", Select).value = ""
            self.query_one("#filter-status", Select).value = ""
            self._base = None
            self.apply_filter()
        self.table.move_cursor_to(wanted)
        self.table.focus()

    # -- the selected participant ----------------------------------------------------------------

    def selected(self) -> int | None:
        key = self.table.cursor_key
        return int(key) if isinstance(key, int) else None

    @on(VirtualTable.RowHighlighted)
    def show_detail(self) -> None:
        detail = self.query_one("#detail", Static)
        pid = self.selected()
        if pid is None or self.shown is None or pid not in self.shown.register.participants:
            detail.update("")
            return
        register = self.shown.register
        p = register.participants[pid]
        d = p.details
        extra = ", ".join(register.programme.field_label(f) for f in d.extra_fields)
        facts = [
            _("Phone {phone}").format(phone=d.phone or "—"),
            _("diet/access: {needs}").format(needs=d.needs or "—"),
            _("registered {date}").format(date=short_date(p.registered_at.date())),
        ]
        if extra:
            facts.append(_("also in: {fields}").format(fields=extra))
        if p.replaces:
            original = register.participants.get(p.replaces)
            name = original.name if original else _("an erased person")
            facts.append(_("substitute for {name}").format(name=name))
        if p.replaced_by:
            replacement = register.participants.get(p.replaced_by)
            name = replacement.name if replacement else "—"
            facts.append(_("replaced by {name}").format(name=name))
        if d.notes:
            facts.append(_("note: {notes}").format(notes=d.notes))
        if p.status is Status.OFFERED and p.offered_until is not None:
            answer_by = short_date(p.offered_until.date())
            facts.insert(0, _("seat offer: answer by {date} (y / d)").format(date=answer_by))
        elif p.status is Status.CANCELLED and p.details.name != ERASED_NAME:
            facts.insert(0, _("cancelled: r reinstates"))
        detail.update(Text.assemble((d.name, "bold"), " · " + " · ".join(facts)))

    @on(VirtualTable.RowSelected)
    def open_selected(self) -> None:
        self.action_edit()

    def _with_selected(self, flow: str) -> None:
        pid = self.selected()
        if pid is None:
            self.app.bell()
            return
        getattr(self.kapp.flows, flow)(pid)

    def action_edit(self) -> None:
        self._with_selected("edit_participant")

    def action_move(self) -> None:
        self._with_selected("move_participant")

    def action_cancel(self) -> None:
        self._with_selected("cancel_participant")

    def action_substitute(self) -> None:
        self._with_selected("substitute")

    def action_promote(self) -> None:
        self._with_selected("admit_waiting")

    def action_reinstate(self) -> None:
        self._with_selected("reinstate_participant")

    def action_accept_offer(self) -> None:
        self._with_selected("accept_offer")

    def action_decline_offer(self) -> None:
        self._with_selected("decline_offer")

    def action_import_sheet(self) -> None:
        self.kapp.flows.import_sheet()

    def action_erase(self) -> None:
        self._with_selected("erase_participant")
