"""The municipalities' contacts: who each invitation goes to, and where each municipality stands."""

from __future__ import annotations

from typing import NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from kommunestyre.domain.model import MunicipalityContact, Register
from kommunestyre.domain.municipalities import all_municipalities
from kommunestyre.domain.standing import MunicipalityStanding, matches_choice, standing_of
from kommunestyre.errors import KommunestyreError
from kommunestyre.i18n import N_, _
from kommunestyre.services.registry import Snapshot
from kommunestyre.tui.screens.base import LIST_BINDING, BaseScreen
from kommunestyre.tui.widgets.plain import Plain
from kommunestyre.tui.widgets.virtual_table import Column, VirtualTable

COLUMNS = [
    Column("municipality", N_("Municipality"), 16),
    Column("name", N_("Contact")),
    Column("title", N_("Title"), hide_below=100),
    Column("email", N_("E-mail")),
    Column("status", N_("Status"), 26),
    Column("notes", N_("Notes"), hide_below=120),
]

#: (label, value) of the status filter; the labels are shown through _(). The values are the
#: invitation's status words (see ``INVITATION_STATUSES``), or "no e-mail".
STATUS_OPTIONS = [
    (N_("Every status"), ""),
    (N_("Not answered"), "not answered"),  # not translated: the value is a key
    (N_("Not invited"), "not invited"),  # not translated: the value is a key
    (N_("Invited, no answer"), "invited"),
    (N_("Registered"), "registered"),
    (N_("On the waiting list"), "waitlisted"),
    (N_("Cancelled"), "cancelled"),
    (N_("Declined"), "declined"),
    (N_("No e-mail yet"), "no e-mail"),
]


class ContactRow(NamedTuple):
    """One municipality, prepared once per snapshot so that filtering is only comparisons."""

    code: int
    cells: tuple[str, ...]
    standing: MunicipalityStanding  # where the municipality stands
    search: str  # municipality, contact and e-mail, case-folded: what the filter looks in

    @property
    def status(self) -> str:
        """The standing's key ("invited", "declined", ...)."""
        return self.standing.standing.value


def contact_rows(register: Register, found: dict[int, MunicipalityStanding]) -> list[ContactRow]:
    """Every one of the 98 municipalities, by name, with where it stands (``found``: see
    :func:`kommunestyre.domain.standing.standings`)."""
    rows: list[ContactRow] = []
    for municipality in sorted(all_municipalities(), key=lambda m: m.name):
        code = municipality.code
        c = register.contacts.get(code) or MunicipalityContact(code)
        standing = standing_of(found, code)
        cells = (municipality.name, c.name, c.title, c.email, standing.label, c.notes)
        search = f"{municipality.name}\t{c.name}\t{c.email}".casefold()
        rows.append(ContactRow(code, cells, standing, search))
    return rows


def matches_status(row: ContactRow, choice: object) -> bool:
    """The status dropdown: every status, one standing (as the invitation's status filter
    reads it: "registered" is any registration that counts), or no e-mail address yet."""
    if choice == "no e-mail":
        return not row.cells[3]
    return not choice or matches_choice(row.standing.standing, str(choice))


class ContactsScreen(BaseScreen):
    MODE = "contacts"
    LIST_KIND = "contacts"
    PURPOSE = N_(
        "Each municipality's contact (usually the municipal director): invitations go to them. "
        "Type to filter by municipality, name or e-mail (/ goes to the filter, enter back to "
        "the table); narrow by status. Mark a municipality that said no thanks as declined, "
        "and invitations leave it out."
    )
    BINDINGS = [
        Binding("e", "edit", N_("Edit"), id="contacts.edit", tooltip=N_("Edit the contact")),
        Binding(
            "d",
            "toggle_declined",
            N_("Declined"),
            id="contacts.declined",
            tooltip=N_("Mark or unmark the municipality as having declined"),
        ),
        Binding("slash", "focus_filter", N_("Filter"), key_display="/", id="contacts.filter"),
        Binding(
            "i",
            "import_contacts",
            N_("Import"),
            id="contacts.import",
            tooltip=N_("Import the contacts from a CSV or XLSX sheet"),
        ),
        LIST_BINDING,
        Binding("escape", "focus_table", N_("Table"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ContactRow] = []

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="filters"):
            yield Input(
                placeholder=_("Filter: municipality, name or e-mail"), id="filter", compact=True
            )
            yield Select(
                [(_(label), value) for label, value in STATUS_OPTIONS],
                value="",
                allow_blank=False,
                id="filter-status",
                compact=True,
            )
        yield VirtualTable(COLUMNS, id="contacts")
        yield Plain(id="count", classes="status-line")

    def on_mount(self) -> None:
        self.table.focus()

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    def show(self, snapshot: Snapshot) -> None:
        from kommunestyre.services.standing import municipality_standings

        try:
            found = municipality_standings(self.kapp.registry.repository, snapshot.register)
        except KommunestyreError as error:  # the ledger cannot be read: say so, show the rest
            self.notify(str(error), title=error.title, severity="error")
            found = {}
        self.rows = contact_rows(snapshot.register, found)
        self.apply_filter()

    @on(Input.Changed, "#filter")
    @on(Select.Changed, "#filter-status")
    def apply_filter(self) -> None:
        """Filter as you type (as the register does): every word typed, and the status."""
        words = self.query_one("#filter", Input).value.casefold().split()
        wanted = self.query_one("#filter-status", Select).value
        shown = [
            row
            for row in self.rows
            if matches_status(row, wanted) and all(word in row.search for word in words)
        ]
        self.table.set_rows([row.code for row in shown], [row.cells for row in shown])
        with_email = sum(1 for row in self.rows if row.cells[3])
        self.query_one("#count", Static).update(
            _("{shown} of {total} municipalities · {with_email} have a contact e-mail").format(
                shown=len(shown), total=len(self.rows), with_email=with_email
            )
        )

    @on(Input.Submitted, "#filter")
    def action_focus_table(self) -> None:
        self.table.focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def _selected(self) -> int | None:
        key = self.table.cursor_key
        if not isinstance(key, int):
            self.app.bell()
            return None
        return key

    @on(VirtualTable.RowSelected)
    def action_edit(self) -> None:
        code = self._selected()
        if code is not None:
            self.kapp.flows.edit_contact(code)

    def action_toggle_declined(self) -> None:
        code = self._selected()
        if code is not None:
            self.kapp.flows.toggle_declined(code)

    def action_import_contacts(self) -> None:
        self.kapp.flows.import_sheet(kind="contacts")
