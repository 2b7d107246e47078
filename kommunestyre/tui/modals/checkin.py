"""The check-in at the door: one cohort's people with a seat, filtered as you type, each marked
present, absent or not recorded for the seminar or the follow-up day, saved at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select

from kommunestyre.domain.attendance import attended, seated
from kommunestyre.domain.model import MEETINGS, Register
from kommunestyre.domain.municipalities import by_code
from kommunestyre.i18n import N_, _
from kommunestyre.tui.widgets.plain import Plain
from kommunestyre.tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from kommunestyre.tui.app import KommunestyreApp

COLUMNS = [
    Column("mark", "✓", 1),  # a symbol: the same in every language
    Column("name", N_("Name")),
    Column("municipality", N_("Municipality"), 16),
    Column("title", N_("Title"), hide_below=80),
]

#: How a mark is shown, by the value recorded.
MARKS = {True: "✓", False: "✗", None: ""}

#: The meeting choice, labelled (shown through _()).
MEETING_OPTIONS = [(N_("Seminar"), "seminar"), (N_("Follow-up day"), "followup")]


@dataclass(frozen=True, slots=True)
class Person:
    """One person with a seat, prepared once per snapshot so that filtering is comparisons."""

    id: int
    name: str
    municipality: str
    title: str
    search: str
    mark: bool | None


def people(register: Register, cohort: int, meeting: str) -> list[Person]:
    found = []
    for p in seated(register, cohort):
        town = by_code(register.directorates[p.directorate_id].municipality_code).name
        found.append(
            Person(
                id=p.id,
                name=p.name,
                municipality=town,
                title=p.details.title,
                search=f"{p.name}\t{town}".casefold(),
                mark=p.attendance.at(cohort, meeting),
            )
        )
    found.sort(key=lambda person: (person.name.casefold(), person.id))
    return found


def matching(found: list[Person], query: str) -> list[Person]:
    """Those whose name or municipality contains every word of ``query``."""
    terms = query.casefold().split()
    return [p for p in found if all(t in p.search for t in terms)]


class CheckInModal(ModalScreen[None]):
    """Type a few letters, then enter (present), a (absent) or u (undo) on the highlighted."""

    DEFAULT_CSS = """
    CheckInModal .dialog { height: 100%; }
    CheckInModal #checkin-filters { height: 1; margin-bottom: 1; }
    CheckInModal #checkin-meeting { width: 22; }
    CheckInModal #checkin-filter { width: 1fr; margin-left: 1; }
    CheckInModal #checkin-table { height: 1fr; min-height: 4; }
    CheckInModal #checkin-count { text-style: bold; }
    """

    BINDINGS = [
        Binding("escape", "back", N_("Close"), id="checkin.close"),
        Binding(
            "enter,space", "mark(True)", N_("Present"), key_display="enter", id="checkin.present"
        ),
        Binding("a", "mark(False)", N_("Absent"), id="checkin.absent"),
        Binding("u,backspace", "mark(None)", N_("Undo"), key_display="u", id="checkin.undo"),
        Binding("m", "switch_meeting", N_("Meeting"), id="checkin.meeting"),
        Binding("slash", "focus_filter", N_("Filter"), key_display="/", id="checkin.filter"),
        Binding("up", "cursor(-1)", N_("Up"), show=False),
        Binding("down", "cursor(1)", N_("Down"), show=False),
    ]

    def __init__(self, cohort: int, meeting: str = "seminar") -> None:
        super().__init__(classes="modal")
        self.cohort = cohort
        self.meeting = meeting
        self.found: list[Person] = []
        self.shown_people: list[Person] = []

    @property
    def kapp(self) -> KommunestyreApp:
        return self.app  # type: ignore[return-value]

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#checkin-table", VirtualTable)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):  # not translated: CSS classes
            yield Plain(
                _("Check-in · hold {number}").format(number=self.cohort), classes="dialog-title"
            )
            with Horizontal(id="checkin-filters"):
                yield Select(
                    [(_(label), value) for label, value in MEETING_OPTIONS],
                    value=self.meeting,
                    allow_blank=False,
                    id="checkin-meeting",
                    compact=True,
                )
                yield Input(
                    placeholder=_("Filter: name or municipality"),
                    id="checkin-filter",
                    compact=True,
                )
            yield VirtualTable(COLUMNS, id="checkin-table")
            yield Plain(id="checkin-count", classes="status-line")
            yield Plain(
                _(
                    "enter or space: present · a: absent · u: undo · m: meeting · "
                    "/: filter · esc: close"
                ),
                classes="note",
            )

    def on_mount(self) -> None:
        self.redraw()
        self.query_one("#checkin-filter", Input).focus()

    # -- drawing ---------------------------------------------------------------------------------

    def redraw(self) -> None:
        """From the app's snapshot: the filter, the cursor and the meeting stay as they are."""
        register = self.kapp.snapshot.register
        self.found = people(register, self.cohort, self.meeting)
        self.apply_filter()
        counts = attended(register, self.cohort)
        line = _("{meeting}: present {present} of {expected}").format(
            meeting=_(dict((v, k) for k, v in MEETING_OPTIONS)[self.meeting]),
            present=counts.present[self.meeting],
            expected=counts.expected,
        )
        if counts.absent[self.meeting]:
            line += " · " + _("{absent} absent").format(absent=counts.absent[self.meeting])
        self.query_one("#checkin-count", Plain).update(line)

    @on(Input.Changed, "#checkin-filter")
    def apply_filter(self) -> None:
        query = self.query_one("#checkin-filter", Input).value
        self.shown_people = matching(self.found, query)
        self.table.set_rows(
            [p.id for p in self.shown_people],
            [(MARKS[p.mark], p.name, p.municipality, p.title) for p in self.shown_people],
        )

    @on(Select.Changed, "#checkin-meeting")
    def meeting_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value in MEETINGS:
            self.meeting = event.value
            self.redraw()

    # -- actions ---------------------------------------------------------------------------------

    def action_switch_meeting(self) -> None:
        index = (MEETINGS.index(self.meeting) + 1) % len(MEETINGS)
        self.query_one("#checkin-meeting", Select).value = MEETINGS[index]

    def action_focus_filter(self) -> None:
        self.query_one("#checkin-filter", Input).focus()

    def action_cursor(self, step: int) -> None:
        self.table.action_cursor(step)

    def action_back(self) -> None:
        """esc: from the filter to the list; from the list, close."""
        if isinstance(self.focused, Input | Select):
            self.table.focus()
        else:
            self.dismiss(None)

    @on(Input.Submitted, "#checkin-filter")
    def present_from_filter(self) -> None:
        self.action_mark(True)

    @on(VirtualTable.RowSelected)
    def present_from_table(self) -> None:
        self.action_mark(True)

    def action_mark(self, present: bool | None) -> None:
        """Save the mark of the highlighted person at once (the list redraws in place)."""
        key = self.table.cursor_key
        person = self.kapp.snapshot.register.participants.get(key) if isinstance(key, int) else None
        if person is None:
            self.app.bell()
            return
        pid, rev, meeting = person.id, person.rev, self.meeting
        self.kapp.apply(lambda: self.kapp.registry.attend(pid, rev, meeting, present))
        self.redraw()
