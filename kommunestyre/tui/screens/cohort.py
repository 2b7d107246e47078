"""One cohort in full: schedule, venues, speakers, themes, the admitted directorates with their
members, and the waiting list in order. Its settings and speakers are edited from here."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from kommunestyre.domain.capacity import (
    Delegation,
    delegation,
    delegations,
    headcount,
    open_offers,
    waiting_list,
)
from kommunestyre.domain.model import Cohort, Directorate, Role, Status
from kommunestyre.domain.municipalities import by_code
from kommunestyre.domain.pricing import directorate_bill
from kommunestyre.formats import clock_time, short_date, weekday
from kommunestyre.services.registry import Snapshot
from kommunestyre.tui.screens.base import BaseScreen
from kommunestyre.tui.widgets.plain import Plain, PlainTable


def _when(moment: datetime) -> str:
    return f"{weekday(moment.date())} {short_date(moment.date())} {clock_time(moment)}"


def schedule_text(cohort: Cohort) -> Text:
    s, f = cohort.seminar, cohort.followup
    return Text.assemble(
        ("12-12 seminar", "bold"),
        f"  {_when(s.start)} to {_when(s.end)}\n               {s.venue.one_line()}\n",
        ("Follow-up day", "bold"),
        f"  {_when(f.start)}-{f.end:%H.%M}\n               {f.venue.one_line()}\n",
        ("Deadline", "bold"),
        f"       {short_date(cohort.registration_deadline)} (binding after this day)\n",
        ("Capacity", "bold"),
        f"       {cohort.min_directorates}-{cohort.max_directorates} directorates, "
        f"at most {cohort.max_participants} participants",
    )


def people_text(cohort: Cohort) -> str:
    lines = []
    for speaker in cohort.speakers:
        role = "Moderator" if speaker.role is Role.MODERATOR else "Speaker"
        topic = f": {speaker.topic}" if speaker.topic else ""
        lines.append(f"{role:<9} {speaker.name}, {speaker.title}, {speaker.organisation}{topic}")
    themes = [f"Theme     {theme}" for theme in cohort.themes]
    return "\n".join(lines + themes) or "No speakers or themes yet (press s / e)."


class CohortScreen(BaseScreen):
    MODE = "cohort"
    PURPOSE = (
        "One cohort in full. [ and ] step between cohorts; e edits the dates, venues, deadline "
        "and capacity; s edits the speakers and moderators. The table lists the directorates "
        "with seats (or a seat offer) here, then the waiting list in order, then those "
        "cancelled; select one to see its members."
    )
    BINDINGS = [
        Binding(
            "left_square_bracket",
            "step(-1)",
            "Previous hold",
            key_display="[",
            id="cohort.previous",
            show=False,
        ),
        Binding(
            "right_square_bracket",
            "step(1)",
            "Next hold",
            key_display="]",
            id="cohort.next",
        ),
        Binding(
            "e",
            "edit_settings",
            "Settings",
            id="cohort.edit",
            tooltip="Dates, venues, deadline, capacity, themes",
        ),
        Binding(
            "s",
            "edit_speakers",
            "Speakers",
            id="cohort.speakers",
            tooltip="Add, edit or remove speakers and moderators",
        ),
        Binding("a", "app.add_directorate", "Add directorate", id="cohort.add"),
        Binding(
            "n",
            "add_member",
            "Add member",
            id="cohort.add_member",
            tooltip="One more participant for the selected directorate",
        ),
        Binding(
            "i",
            "edit_invoice",
            "Invoice",
            id="cohort.invoice",
            tooltip="The directorate's invoice details",
        ),
        Binding(
            "m",
            "move_directorate",
            "Move",
            id="cohort.move",
            tooltip="Move the selected directorate to another cohort",
        ),
        Binding(
            "x",
            "cancel_directorate",
            "Cancel",
            id="cohort.cancel",
            tooltip="Cancel the selected directorate's registration",
        ),
        Binding(
            "r",
            "reinstate",
            "Reinstate",
            id="cohort.reinstate",
            tooltip="Undo the selected directorate's cancellation",
        ),
        Binding(
            "y",
            "accept_offer",
            "Accept offer",
            id="cohort.accept",
            tooltip="The selected directorate takes up its seat offer (binding)",
        ),
        Binding(
            "d",
            "decline_offer",
            "Decline offer",
            id="cohort.decline",
            tooltip="The selected directorate declines its seat offer (free)",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="cohort-body"):
            yield Plain(id="cohort-title", classes="screen-title")
            yield Plain(id="schedule")
            yield Plain(id="people")
            yield PlainTable(id="directorates", cursor_type="row", zebra_stripes=True)
            with Vertical(id="members-box"):
                yield Plain(id="members")

    def on_mount(self) -> None:
        table = self.query_one("#directorates", DataTable)
        table.add_columns("#", "Municipality", "Status", "People", "Billable", "EAN", "Reference")

    @property
    def number(self) -> int:
        return self.kapp.current_cohort

    def refresh_if_stale(self) -> None:
        """Also redraw when another screen chose a different cohort."""
        if getattr(self, "shown_number", None) != self.number:
            self.shown = None
        self.shown_number = self.number
        super().refresh_if_stale()

    def show(self, snapshot: Snapshot) -> None:
        register = snapshot.register
        cohort = register.cohort(self.number)
        row = next(r for r in headcount(register, snapshot.now) if r.cohort.number == cohort.number)
        count = row.count
        self.query_one("#cohort-title", Static).update(
            Text(f"Hold {cohort.number}", "bold") + f" · {row.status.value}"
            f"{' · AT RISK' if row.at_risk else ''} · "
            f"{count.directorates}/{cohort.max_directorates}"
            f" directorates · {count.participants}/{cohort.max_participants} participants · "
            + (f"{count.offered} offered · " if count.offered else "")
            + f"{row.free_seats} free · waiting {count.waitlisted_directorates} dir. / "
            f"{count.waitlisted_participants} people · billable {count.billable}"
        )
        self.query_one("#schedule", Static).update(schedule_text(cohort))
        self.query_one("#people", Static).update(people_text(cohort))

        table = self.query_one("#directorates", DataTable)
        selected = self.selected_directorate()
        table.clear()
        groups = delegations(register, cohort.number)
        for group in groups:
            if group.holds_place:
                self._add_row(table, "", group, snapshot)
        for place, entry in enumerate(waiting_list(register, cohort.number), 1):
            d = entry.directorate
            if entry.whole_directorate:
                group = delegation(register, d.id, cohort.number)
                self._add_row(table, f"W{place}", group, snapshot, waiting=len(entry.participants))
            else:
                person = entry.participants[0]
                table.add_row(
                    f"W{place}",
                    Text(f"{by_code(d.municipality_code).name}: {person.name}"),
                    "waiting (one person)",
                    "1",
                    "0",
                    Text(d.invoice.ean or "—"),
                    Text(d.invoice.reference or "—"),
                    key=f"{d.id}:{person.id}",
                )
        for group in groups:
            if group.status is Status.CANCELLED:
                self._add_row(table, "", group, snapshot)
        if selected is not None and str(selected.id) in table.rows:
            table.move_cursor(row=table.get_row_index(str(selected.id)))
        self.show_members()

    def _add_row(
        self,
        table: DataTable,
        place: str,
        group: Delegation,
        snapshot: Snapshot,
        waiting: int = 0,
    ) -> None:
        d = group.directorate
        status = group.status
        offers = group.with_status(Status.OFFERED)
        if waiting:
            shown, people = "waiting", waiting
        elif status is Status.OFFERED and offers:
            until = min(p.offered_until for p in offers if p.offered_until)
            shown, people = f"offered until {short_date(until.date())}", len(offers)
        else:
            shown = status.value
            people = len(group.with_status(Status.ADMITTED, Status.OFFERED))
            if offers:
                shown += f" (+{len(offers)} offered)"
        bill = directorate_bill(snapshot.register, d.id, group.cohort)
        table.add_row(
            place,
            Text(by_code(d.municipality_code).name),
            shown,
            str(people),
            str(bill.billable),
            Text(d.invoice.ean or "—"),
            Text(d.invoice.reference or "—"),
            key=str(d.id),
        )

    def selected_directorate(self) -> Directorate | None:
        table = self.query_one("#directorates", DataTable)
        if table.row_count == 0 or self.shown is None:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or "0"
        return self.shown.register.directorates.get(int(key.split(":")[0]))

    @on(DataTable.RowHighlighted)
    def show_members(self) -> None:
        directorate = self.selected_directorate()
        box = self.query_one("#members", Static)
        if directorate is None or self.shown is None:
            box.update("No directorates in this cohort yet: press a to add one.")
            return
        register = self.shown.register
        text = Text(by_code(directorate.municipality_code).official_name, style="bold")
        for p in register.members(directorate.id):
            where = f" (in hold {p.cohort})" if p.cohort != self.number else ""
            label = register.programme.field_label(p.details.field)
            text.append(
                f"\n  {p.name}, {p.details.title or label} · {p.details.email} · "
                f"{p.status.value}{where}"
            )
        invoice = directorate.invoice
        text.append(
            f"\n  Invoice: EAN {invoice.ean or '—'} · CVR {invoice.cvr or '—'} · "
            f"ref. {invoice.reference or '—'} · "
            f"{invoice.contact_name or '—'} {invoice.contact_email}"
        )
        box.update(text)

    # -- actions -------------------------------------------------------------------------------

    def action_step(self, step: int) -> None:
        numbers = [c.number for c in self.kapp.snapshot.register.programme.cohorts]
        position = (numbers.index(self.number) + step) % len(numbers)
        self.kapp.current_cohort = numbers[position]
        self.refresh_if_stale()

    def action_edit_settings(self) -> None:
        self.kapp.flows.edit_cohort(self.number)

    def action_edit_speakers(self) -> None:
        self.kapp.flows.edit_speakers(self.number)

    def action_add_member(self) -> None:
        directorate = self.selected_directorate()
        if directorate is None:
            self.app.bell()
            return
        self.kapp.flows.add_member(directorate.id, cohort=self.number)

    def action_edit_invoice(self) -> None:
        directorate = self.selected_directorate()
        if directorate is not None:
            self.kapp.flows.edit_invoice(directorate.id)

    def action_move_directorate(self) -> None:
        directorate = self.selected_directorate()
        if directorate is not None:
            self.kapp.flows.move_directorate(directorate.id, self.number)

    def action_cancel_directorate(self) -> None:
        directorate = self.selected_directorate()
        if directorate is not None:
            self.kapp.flows.cancel_directorate(directorate.id)

    def action_reinstate(self) -> None:
        directorate = self.selected_directorate()
        if directorate is not None:
            self.kapp.flows.reinstate_directorate(directorate.id)

    def _with_offer(self, accept: bool) -> None:
        """The selected directorate answers the seat offers it holds in this cohort."""
        directorate = self.selected_directorate()
        if directorate is None or self.shown is None:
            return
        offers = [
            o for o in open_offers(self.shown.register, self.number)
            if o.directorate.id == directorate.id
        ]  # fmt: skip
        if not offers:
            self.app.bell()
            self.notify("The selected directorate holds no seat offer here.", timeout=4)
            return
        self.kapp.flows.answer_offers(directorate.id, self.number, accept=accept)

    def action_accept_offer(self) -> None:
        self._with_offer(accept=True)

    def action_decline_offer(self) -> None:
        self._with_offer(accept=False)
