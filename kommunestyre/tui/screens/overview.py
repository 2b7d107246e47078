"""The first screen: every cohort's headcount at a glance, and the programme's totals."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Static

from kommunestyre.domain.attendance import attended
from kommunestyre.domain.capacity import delegations
from kommunestyre.domain.municipalities import by_code
from kommunestyre.i18n import N_, _
from kommunestyre.services import headcount
from kommunestyre.services.registry import Snapshot
from kommunestyre.tui.screens.base import BaseScreen
from kommunestyre.tui.widgets.cohort_panel import CohortPanel
from kommunestyre.tui.widgets.plain import Plain


class OverviewScreen(BaseScreen):
    MODE = "overview"
    PURPOSE = N_(
        "The headcount at a glance: each cohort's dates, places, directorates against the "
        "maximum (the minimum marked ┃), participants against the cap, the waiting list, "
        "and warnings. Select a cohort and press enter to open it."
    )
    BINDINGS = [
        Binding("right,l", "app.focus_next", N_("Next cohort"), show=False),
        Binding("left,h", "app.focus_previous", N_("Previous cohort"), show=False),
    ]

    def compose_body(self) -> ComposeResult:
        numbers = [c.number for c in self.kapp.snapshot.register.programme.cohorts]
        with Grid(id="cohort-grid"):
            for number in numbers:
                yield CohortPanel(number)
        yield Plain(id="totals")

    def show(self, snapshot: Snapshot) -> None:
        register = snapshot.register
        rows = headcount.select(register, snapshot.now)
        seated: dict[int, list[str]] = {}
        for group in delegations(register):
            if group.holds_place:
                name = by_code(group.directorate.municipality_code).name
                seated.setdefault(group.cohort, []).append(name)
        for row in rows:
            names = seated.get(row.cohort.number, [])
            panel = self.query_one(f"#cohort-{row.cohort.number}", CohortPanel)
            came = attended(register, row.cohort.number)
            panel.show(row, snapshot.now, names, came)
        total = headcount.totals(rows)
        self.query_one("#totals", Static).update(
            _(
                "All cohorts: {directorates}/{max_directorates} directorates · "
                "{participants}/{max_participants} participants · {free} free seats · "
                "{offered} offered · waiting {waiting_directorates} dir. / "
                "{waiting_people} people · {at_risk} at risk"
            ).format(
                directorates=total.directorates,
                max_directorates=total.max_directorates,
                participants=total.participants,
                max_participants=total.max_participants,
                free=total.free_seats,
                offered=total.offered,
                waiting_directorates=total.waitlisted_directorates,
                waiting_people=total.waitlisted_participants,
                at_risk=total.cohorts_at_risk,
            )
        )

    @on(CohortPanel.Opened)
    def open_cohort(self, event: CohortPanel.Opened) -> None:
        self.kapp.open_cohort(event.number)
