"""Pick a cohort to move to, seeing each one's room before choosing."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kommunestyre.domain.capacity import headcount
from kommunestyre.domain.model import Register
from kommunestyre.formats import short_range


class ChooseCohortModal(ModalScreen[int | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="choose.cancel"),
        *(Binding(str(n), f"choose({n})", f"Hold {n}", show=False) for n in range(1, 10)),
    ]

    def __init__(self, heading: str, register: Register, now: datetime, current: int) -> None:
        super().__init__(classes="modal")
        self.heading = heading
        self.register = register
        self.now = now
        self.current = current

    def compose(self) -> ComposeResult:
        options = []
        for row in headcount(self.register, self.now):
            cohort, count = row.cohort, row.count
            dates = short_range(cohort.seminar.start.date(), cohort.seminar.end.date())
            label = (
                f"Hold {cohort.number}  {dates} {cohort.seminar.venue.town:<12} "
                f"{count.directorates}/{cohort.max_directorates} dir.  "
                f"{count.participants}/{cohort.max_participants} people  {row.status.value}"
            )
            disabled = cohort.number == self.current or row.status.value == "held"
            options.append(Option(label, id=str(cohort.number), disabled=disabled))
        with Vertical(classes="dialog"):
            yield Static(self.heading, classes="dialog-title")
            yield OptionList(*options, id="cohorts")
            yield Static(
                "a number or enter: move · esc: cancel · a full cohort means its waiting list",
                classes="note",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_choose(self, number: int) -> None:
        options = self.query_one(OptionList)
        option = next((o for o in options.options if o.id == str(number)), None)
        if option is None or option.disabled:
            self.app.bell()
            return
        self.dismiss(number)

    def action_cancel(self) -> None:
        self.dismiss(None)
