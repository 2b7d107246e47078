"""One cohort on the overview: dates, places, two capacity bars, the queue, and warnings."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from kommunestyre.domain.capacity import Headcount
from kommunestyre.formats import short_date, short_range
from kommunestyre.services.headcount import warnings
from kommunestyre.tui.widgets.capacity_bar import CapacityBar
from kommunestyre.tui.widgets.plain import Plain


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
        yield CapacityBar("Dir.", id="dir-bar")
        yield CapacityBar("People", id="people-bar")
        yield Plain(classes="queue")
        yield Plain(classes="warnings")
        yield Plain(classes="names")

    def show(self, row: Headcount, now: datetime, municipalities: list[str]) -> None:
        cohort, count = row.cohort, row.count
        self.border_title = f"Hold {cohort.number} · {row.status.value}"
        self.set_class(row.at_risk or row.over_cap, "-warning")
        self.set_class(row.status.value == "full", "-full")
        days = (cohort.registration_deadline - now.date()).days
        deadline = short_date(cohort.registration_deadline)
        when = f"in {days} days" if days >= 0 else "passed"
        self.query_one(".schedule", Static).update(
            f"12-12  {short_range(cohort.seminar.start.date(), cohort.seminar.end.date())}"
            f"  {cohort.seminar.venue.town}\n"
            f"Follow-up {short_date(cohort.followup.start.date())}  {cohort.followup.venue.town}\n"
            f"Deadline {deadline} ({when})"
        )
        self.query_one("#dir-bar", CapacityBar).set_values(
            count.directorates, cohort.max_directorates, cohort.min_directorates
        )
        self.query_one("#people-bar", CapacityBar).set_values(count.held, cohort.max_participants)
        offered = f" · offered {count.offered}" if count.offered else ""
        self.query_one(".queue", Static).update(
            f"Free {row.free_seats}{offered} · waiting {count.waitlisted_directorates} dir."
            f" / {count.waitlisted_participants} people"
        )
        self.query_one(".warnings", Static).update("\n".join(f"⚠ {w}" for w in warnings(row)))
        names = ", ".join(municipalities) if municipalities else "No directorates yet."
        self.query_one(".names", Static).update(names)

    def on_click(self) -> None:
        self.post_message(self.Opened(self.number))

    def key_enter(self) -> None:
        self.post_message(self.Opened(self.number))
