"""The professional networks: directors of the same field across all cohorts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from kommunestyre.domain.model import Register, Status
from kommunestyre.domain.municipalities import by_code
from kommunestyre.i18n import N_, _
from kommunestyre.services.registry import Snapshot
from kommunestyre.tui.screens.base import LIST_BINDING, BaseScreen
from kommunestyre.tui.widgets.plain import Plain, PlainTable
from kommunestyre.tui.widgets.virtual_table import Column, VirtualTable

COLUMNS = [
    Column("name", N_("Name")),
    Column("title", N_("Title"), hide_below=100),
    Column("municipality", N_("Municipality"), 15),
    Column("cohort", N_("Hold"), 4, align_right=True),
    Column("email", N_("E-mail")),
    Column("phone", N_("Phone"), 11, hide_below=90),
]


def network_members(register: Register) -> dict[str, list]:
    """Admitted participants per field (a person with several fields is in each network)."""
    members: dict[str, list] = {f.key: [] for f in register.programme.fields}
    for p in register.participants.values():
        if p.status is Status.ADMITTED:
            for key in p.fields:
                members.setdefault(key, []).append(p)
    for people in members.values():
        people.sort(key=lambda p: (p.cohort, p.name.casefold()))
    return members


class NetworksScreen(BaseScreen):
    MODE = "networks"
    PURPOSE = N_(
        "The networks: the admitted directors of each professional field across all cohorts, "
        "with a count per field and cohort. Directors with combined portfolios appear in every "
        "network they belong to."
    )
    LIST_KIND = "networks"
    BINDINGS = [
        Binding("slash", "focus_list", N_("Members"), key_display="/", id="networks.list"),
        LIST_BINDING,
    ]

    def compose_body(self) -> ComposeResult:
        yield Plain(_("Admitted participants per field and cohort"), classes="screen-title")
        yield PlainTable(id="network-counts", cursor_type="row", zebra_stripes=True)
        yield VirtualTable(COLUMNS, id="network-members")

    def action_focus_list(self) -> None:
        self.query_one(VirtualTable).focus()

    def show(self, snapshot: Snapshot) -> None:
        register = snapshot.register
        numbers = [c.number for c in register.programme.cohorts]
        members = network_members(register)
        counts = self.query_one("#network-counts", DataTable)
        counts.clear(columns=True)
        counts.add_columns(
            _("Field"), *(_("Hold {number}").format(number=n) for n in numbers), _("All")
        )
        for f in register.programme.fields:
            people = members.get(f.key, [])
            per_cohort = [sum(1 for p in people if p.cohort == n) for n in numbers]
            counts.add_row(f.label, *map(str, per_cohort), str(len(people)), key=f.key)

        towns = {d.id: by_code(d.municipality_code).name for d in register.directorates.values()}
        keys, rows, kinds = [], [], []
        for f in register.programme.fields:
            people = members.get(f.key, [])
            keys.append(f"section:{f.key}")
            rows.append((f"{f.label} ({len(people)})", f.association, "", "", "", ""))
            kinds.append("section")
            for p in people:
                d = p.details
                keys.append(f"{f.key}:{p.id}")
                rows.append(
                    (d.name, d.title, towns[p.directorate_id], str(p.cohort), d.email, d.phone)
                )
                kinds.append("")
        self.query_one(VirtualTable).set_rows(keys, rows, kinds)
