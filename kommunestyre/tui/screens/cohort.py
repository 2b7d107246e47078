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

from kommunestyre.domain.attendance import attended
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
from kommunestyre.i18n import N_, NP_, _, pgettext
from kommunestyre.services.registry import Snapshot
from kommunestyre.tui.screens.base import BaseScreen
from kommunestyre.tui.widgets.plain import Plain, PlainTable


def _when(moment: datetime) -> str:
    return f"{weekday(moment.date())} {short_date(moment.date())} {clock_time(moment)}"


def schedule_text(cohort: Cohort) -> Text:
    s, f = cohort.seminar, cohort.followup
    end = f"{f.end:%H.%M}"  # after the start's clock time: 09:30-15.30, kl. 09.30-15.30
    rows = [
        (
            _("12-12 seminar"),
            _("{start} to {end}").format(start=_when(s.start), end=_when(s.end)),
            s.venue.one_line(),
        ),
        (_("Follow-up day"), f"{_when(f.start)}-{end}", f.venue.one_line()),
        (
            _("Deadline"),
            _("{date} (binding after this day)").format(
                date=short_date(cohort.registration_deadline)
            ),
            "",
        ),
        (
            _("Capacity"),
            _(
                "{min_directorates}-{max_directorates} directorates, "
                "at most {max_participants} participants"
            ).format(
                min_directorates=cohort.min_directorates,
                max_directorates=cohort.max_directorates,
                max_participants=cohort.max_participants,
            ),
            "",
        ),
    ]
    width = max(len(label) for label, _value, _where in rows) + 2  # values line up after labels
    text = Text()
    for label, value, where in rows:
        if text:
            text.append("\n")
        text.append(label, "bold")
        text.append(" " * (width - len(label)) + value)
        if where:
            text.append("\n" + " " * width + where)
    return text


def people_text(cohort: Cohort) -> str:
    moderator, speaker_word, theme_word = _("Moderator"), _("Speaker"), pgettext("cohort", "Theme")
    width = max(len(moderator), len(speaker_word), len(theme_word))
    lines = []
    for speaker in cohort.speakers:
        role = moderator if speaker.role is Role.MODERATOR else speaker_word
        topic = f": {speaker.topic}" if speaker.topic else ""
        lines.append(
            f"{role:<{width}} {speaker.name}, {speaker.title}, {speaker.organisation}{topic}"
        )
    themes = [f"{theme_word:<{width}} {theme}" for theme in cohort.themes]
    return "\n".join(lines + themes) or _("No speakers or themes yet (press s / e).")


class CohortScreen(BaseScreen):
    MODE = "cohort"
    PURPOSE = N_(
        "One cohort in full. [ and ] step between cohorts; e edits the dates, venues, deadline "
        "and capacity; s edits the speakers and moderators. The table lists the directorates "
        "with seats (or a seat offer) here, then the waiting list in order, then those "
        "cancelled; select one to see its members."
    )
    BINDINGS = [
        Binding(
            "left_square_bracket",
            "step(-1)",
            N_("Previous hold"),
            key_display="[",
            id="cohort.previous",
            show=False,
        ),
        Binding(
            "right_square_bracket",
            "step(1)",
            N_("Next hold"),
            key_display="]",
            id="cohort.next",
        ),
        Binding(
            "e",
            "edit_settings",
            N_("Settings"),
            id="cohort.edit",
            tooltip=N_("Dates, venues, deadline, capacity, themes"),
        ),
        Binding(
            "s",
            "edit_speakers",
            N_("Speakers"),
            id="cohort.speakers",
            tooltip=N_("Add, edit or remove speakers and moderators"),
        ),
        Binding(
            "n",
            "add_member",
            N_("Add member"),
            id="cohort.add_member",
            tooltip=N_("One more participant for the selected directorate"),
        ),
        Binding(
            "i",
            "edit_invoice",
            N_("Invoice"),
            id="cohort.invoice",
            tooltip=N_("The directorate's invoice details"),
        ),
        Binding(
            "m",
            "move_directorate",
            N_("Move"),
            id="cohort.move",
            tooltip=N_("Move the selected directorate to another cohort"),
        ),
        Binding(
            "x",
            "cancel_directorate",
            NP_("cohort.cancel", "Cancel"),  # a registration, not a form: "Afmeld"
            id="cohort.cancel",
            tooltip=N_("Cancel the selected directorate's registration"),
        ),
        Binding(
            "r",
            "reinstate",
            N_("Reinstate"),
            id="cohort.reinstate",
            tooltip=N_("Undo the selected directorate's cancellation"),
        ),
        Binding(
            "y",
            "accept_offer",
            N_("Accept offer"),
            id="cohort.accept",
            tooltip=N_("The selected directorate takes up its seat offer (binding)"),
        ),
        Binding(
            "d",
            "decline_offer",
            N_("Decline offer"),
            id="cohort.decline",
            tooltip=N_("The selected directorate declines its seat offer (free)"),
        ),
        Binding(
            "k",
            "check_in",
            N_("Check-in"),
            id="cohort.check_in",
            tooltip=N_("Mark who came to the seminar or the follow-up day"),
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
        table.add_columns(
            "#",
            _("Municipality"),
            _("Status"),
            _("People"),
            _("Billable"),
            _("EAN"),
            _("Reference"),
        )

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
        facts = [row.status.label]
        if row.at_risk:
            facts.append(_("AT RISK"))
        facts.append(
            _("{directorates}/{max_directorates} directorates").format(
                directorates=count.directorates, max_directorates=cohort.max_directorates
            )
        )
        facts.append(
            _("{participants}/{max_participants} participants").format(
                participants=count.participants, max_participants=cohort.max_participants
            )
        )
        if count.offered:
            facts.append(_("{offered} offered").format(offered=count.offered))
        facts.append(_("{free} free").format(free=row.free_seats))
        facts.append(
            _("waiting {directorates} dir. / {people} people").format(
                directorates=count.waitlisted_directorates,
                people=count.waitlisted_participants,
            )
        )
        facts.append(_("billable {billable}").format(billable=count.billable))
        came = attended(register, cohort.number)
        if came.any_recorded:
            facts.append(
                _("present: seminar {seminar}, follow-up day {followup}").format(
                    seminar=came.shown("seminar"), followup=came.shown("followup")
                )
            )
        self.query_one("#cohort-title", Static).update(
            Text(_("Hold {number}").format(number=cohort.number), "bold")
            + "".join(f" · {fact}" for fact in facts)
        )
        self.query_one("#schedule", Static).update(schedule_text(cohort))
        self.query_one("#people", Static).update(people_text(cohort))

        table = self.query_one("#directorates", DataTable)
        selected = self.selected_key()
        table.clear()
        groups = delegations(register, cohort.number)
        for group in groups:
            if group.holds_place:
                self._add_row(table, "", group, snapshot)
        for place, entry in enumerate(waiting_list(register, cohort.number), 1):
            d = entry.directorate
            mark = _("W{place}").format(place=place)  # W: the waiting list
            if entry.whole_directorate:
                group = delegation(register, d.id, cohort.number)
                self._add_row(table, mark, group, snapshot, waiting=len(entry.participants))
            else:
                person = entry.participants[0]
                table.add_row(
                    mark,
                    Text(f"{by_code(d.municipality_code).name}: {person.name}"),
                    _("waiting (one person)"),
                    "1",
                    "0",
                    Text(d.invoice.ean or "—"),
                    Text(d.invoice.reference or "—"),
                    key=f"{d.id}:{person.id}",
                )
        for group in groups:
            if group.status is Status.CANCELLED:
                self._add_row(table, "", group, snapshot)
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))
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
            shown, people = _("waiting"), waiting
        elif status is Status.OFFERED and offers:
            until = min(p.offered_until for p in offers if p.offered_until)
            shown = _("offered until {date}").format(date=short_date(until.date()))
            people = len(offers)
        else:
            shown = status.label
            people = len(group.with_status(Status.ADMITTED, Status.OFFERED))
            if offers:
                shown = _("{status} (+{offered} offered)").format(status=shown, offered=len(offers))
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

    def selected_key(self) -> str | None:
        """The row under the cursor: a directorate's id, or "directorate:person" for one
        waiting person."""
        table = self.query_one("#directorates", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected_directorate(self) -> Directorate | None:
        key = self.selected_key()
        if key is None or self.shown is None:
            return None
        return self.shown.register.directorates.get(int(key.split(":")[0]))

    def show_record(self, kind: str, record_id: int) -> None:
        """The directorate just added, or the one of the person just added, under the cursor
        (in the cohort it went to)."""
        register = self.kapp.snapshot.register
        if kind == "participant":
            person = register.participants.get(record_id)
            if person is None:
                return
            keys, cohort = (
                [f"{person.directorate_id}:{person.id}", str(person.directorate_id)],
                person.cohort,
            )
        else:
            directorate = register.directorates.get(record_id)
            if directorate is None:
                return
            keys, cohort = [str(record_id)], directorate.cohort
        if cohort != self.number and cohort in [c.number for c in register.programme.cohorts]:
            self.kapp.current_cohort = cohort
            self.refresh_if_stale()
        table = self.query_one("#directorates", DataTable)
        key = next((k for k in keys if k in table.rows), None)
        if key is not None:
            table.move_cursor(row=table.get_row_index(key))
        table.focus()

    @on(DataTable.RowHighlighted)
    def show_members(self) -> None:
        directorate = self.selected_directorate()
        box = self.query_one("#members", Static)
        if directorate is None or self.shown is None:
            box.update(_("No directorates in this cohort yet: press a to add one."))
            return
        register = self.shown.register
        text = Text(by_code(directorate.municipality_code).official_name, style="bold")
        for p in register.members(directorate.id):
            status = p.status.label
            if p.cohort != self.number:
                status = _("{status} (in hold {cohort})").format(status=status, cohort=p.cohort)
            label = register.programme.field_label(p.details.field)
            text.append(f"\n  {p.name}, {p.details.title or label} · {p.details.email} · {status}")
        invoice = directorate.invoice
        text.append("\n  ")
        text.append(
            _(
                "Invoice: EAN {ean} · CVR {cvr} · ref. {reference} · {contact} {contact_email}"
            ).format(
                ean=invoice.ean or "—",
                cvr=invoice.cvr or "—",
                reference=invoice.reference or "—",
                contact=invoice.contact_name or "—",
                contact_email=invoice.contact_email,
            )
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

    def action_check_in(self) -> None:
        from kommunestyre.tui.modals.checkin import CheckInModal

        self.app.push_screen(CheckInModal(self.number))

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
            self.notify(_("The selected directorate holds no seat offer here."), timeout=4)
            return
        self.kapp.flows.answer_offers(directorate.id, self.number, accept=accept)

    def action_accept_offer(self) -> None:
        self._with_offer(accept=True)

    def action_decline_offer(self) -> None:
        self._with_offer(accept=False)
