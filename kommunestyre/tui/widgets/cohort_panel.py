"""One cohort on the overview: dates, places, two capacity bars, the queue, and warnings."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from kommunestyre.domain.attendance import Attended
from kommunestyre.domain.capacity import Headcount
from kommunestyre.formats import short_date, short_range
from kommunestyre.i18n import _, ngettext, pgettext
from kommunestyre.services.headcount import warnings
from kommunestyre.tui.widgets.capacity_bar import CapacityBar
from kommunestyre.tui.widgets.plain import Plain


def queue_text(free: int, offered: int, waiting_directorates: int, waiting_people: int) -> str:
    """``Free 0 · offered 1 · waiting 2 dir. / 7 people``"""
    parts = [_("Free {free}").format(free=free)]
    if offered:
        parts.append(_("offered {offered}").format(offered=offered))
    parts.append(
        _("waiting {directorates} dir. / {people} people").format(
            directorates=waiting_directorates, people=waiting_people
        )
    )
    return " · ".join(parts)


def attendance_text(came: Attended) -> str:
    """``✓ 30/32``: present of expected at the latest meeting recorded (the follow-up day once
    its check-in has begun, else the seminar); short, to fit the panel's title at 80 columns."""
    return "✓ " + came.shown("followup" if came.recorded("followup") else "seminar")


class CohortPanel(Vertical, can_focus=True):
    """Focus it and press enter (or click it) to open the cohort."""

    class Opened(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def __init__(self, number: int) -> None:
        super().__init__(id=f"cohort-{number}", classes="cohort-panel")
        self.number = number

    def compose(self) -> ComposeResult:
        yield Plain(classes="schedule")
        # at most 7 characters: the bars line up after them
        yield CapacityBar(pgettext("capacity bar", "Dir."), id="dir-bar")
        yield CapacityBar(pgettext("capacity bar", "People"), id="people-bar")
        yield Plain(classes="queue")
        yield Plain(classes="warnings")
        yield Plain(classes="names")

    def show(
        self,
        row: Headcount,
        now: datetime,
        municipalities: list[str],
        came: Attended | None = None,
    ) -> None:
        """``came``: the check-in's counts; shown in the title once anything is recorded."""
        cohort, count = row.cohort, row.count
        hold = _("Hold {number}").format(number=cohort.number)
        self.border_title = f"{hold} · {row.status.label}"
        if came is not None and came.any_recorded:
            self.border_title += " · " + attendance_text(came)
        self.set_class(row.at_risk or row.over_cap, "-warning")
        self.set_class(row.status.value == "full", "-full")
        days = (cohort.registration_deadline - now.date()).days
        deadline = short_date(cohort.registration_deadline)
        when = (
            ngettext("in {days} day", "in {days} days", days).format(days=days)
            if days >= 0
            else _("passed")
        )
        seminar = short_range(cohort.seminar.start.date(), cohort.seminar.end.date())
        self.query_one(".schedule", Static).update(
            "\n".join(
                (
                    f"12-12  {seminar}  {cohort.seminar.venue.town}",
                    _("Follow-up {date}  {town}").format(
                        date=short_date(cohort.followup.start.date()),
                        town=cohort.followup.venue.town,
                    ),
                    _("Deadline {date} ({when})").format(date=deadline, when=when),
                )
            )
        )
        self.query_one("#dir-bar", CapacityBar).set_values(
            count.directorates, cohort.max_directorates, cohort.min_directorates
        )
        self.query_one("#people-bar", CapacityBar).set_values(count.held, cohort.max_participants)
        self.query_one(".queue", Static).update(
            queue_text(
                row.free_seats,
                count.offered,
                count.waitlisted_directorates,
                count.waitlisted_participants,
            )
        )
        self.query_one(".warnings", Static).update("\n".join(f"⚠ {w}" for w in warnings(row)))
        names = ", ".join(municipalities) if municipalities else _("No directorates yet.")
        self.query_one(".names", Static).update(names)

    def on_click(self) -> None:
        self.post_message(self.Opened(self.number))

    def key_enter(self) -> None:
        self.post_message(self.Opened(self.number))
