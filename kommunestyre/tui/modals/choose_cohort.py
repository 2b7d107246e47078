"""Pick a cohort to move to, seeing each one's room before choosing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kommunestyre.domain.capacity import headcount
from kommunestyre.domain.model import Register, Status
from kommunestyre.errors import KommunestyreError
from kommunestyre.formats import short_range
from kommunestyre.i18n import N_, _
from kommunestyre.tui.widgets.plain import Plain


class ChooseCohortModal(ModalScreen[int | None]):
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="choose.cancel"),
        *(
            Binding(str(n), f"choose({n})", f"Hold {n}", show=False)  # not translated: Danish
            for n in range(1, 10)
        ),
    ]

    def __init__(
        self,
        heading: str,
        register: Register,
        now: datetime,
        current: int,
        landing: Callable[[int], Status],
    ) -> None:
        """``landing(n)`` says where the move to hold n would land (the domain's own check),
        or raises the rule that forbids it."""
        super().__init__(classes="modal")
        self.heading = heading
        self.register = register
        self.now = now
        self.current = current
        self.landing = landing

    def _outcome(self, number: int) -> tuple[str, bool]:
        if number == self.current:
            return _("(here now)"), False
        try:
            status = self.landing(number)
        except KommunestyreError as error:
            return f"✗ {error}", False
        return (_("→ gets seats") if status is Status.ADMITTED else _("→ waiting list")), True

    def compose(self) -> ComposeResult:
        options = []
        for row in headcount(self.register, self.now):
            cohort, count = row.cohort, row.count
            dates = short_range(cohort.seminar.start.date(), cohort.seminar.end.date())
            outcome, allowed = self._outcome(cohort.number)
            label = Text(
                _(
                    "Hold {cohort}  {dates} {town} {directorates}/{max_directorates} dir.  "
                    "{seats}/{max_seats} seats  {outcome}"
                ).format(
                    cohort=cohort.number,
                    dates=dates,
                    town=f"{cohort.seminar.venue.town:<12}",
                    directorates=count.directorates,
                    max_directorates=cohort.max_directorates,
                    seats=count.held,
                    max_seats=cohort.max_participants,
                    outcome=outcome,
                )
            )
            options.append(Option(label, id=str(cohort.number), disabled=not allowed))
        with Vertical(classes="dialog"):
            yield Plain(self.heading, classes="dialog-title")
            yield OptionList(*options, id="cohorts")
            yield Plain(_("a number or enter: move · esc: cancel"), classes="note")

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
