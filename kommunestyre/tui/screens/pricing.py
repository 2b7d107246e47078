"""What the programme comes to: per cohort and per municipality, excl. and incl. VAT.

Every column fits the width when it can (120 columns shows them all). On a narrower terminal
the tables give way in an order chosen for the coordinator: a long municipality name or order
reference is shortened first, then the columns finance reads from the invoice list (EAN, order
reference) go, then VAT (the difference of the two amounts), then the late cancellations. The
amounts excl. and incl. VAT, and the programme's total line, are never cut.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rich.cells import cell_len, set_cell_size
from rich.console import JustifyMethod
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from kommunestyre.domain.invoicing import InvoiceStatus
from kommunestyre.domain.model import Register
from kommunestyre.domain.municipalities import by_code
from kommunestyre.domain.pricing import (
    Amount,
    Bill,
    cohort_bill,
    invoice_lines,
    programme_bill,
    unit_price,
)
from kommunestyre.errors import KommunestyreError
from kommunestyre.formats import money, percent
from kommunestyre.i18n import N_, _
from kommunestyre.services import invoicing
from kommunestyre.services.registry import Snapshot
from kommunestyre.terminal import printable
from kommunestyre.tui.modals.confirm import ConfirmModal
from kommunestyre.tui.screens.base import LIST_BINDING, BaseScreen
from kommunestyre.tui.widgets.plain import Plain, PlainTable

#: The amounts' column headers (shown through _()).
AMOUNT_COLUMNS = (N_("Seats"), N_("Late canc."), N_("Excl. VAT"), N_("VAT"), N_("Incl. VAT"))
AMOUNT_KEYS = ("seats", "late", "excl", "vat", "incl")


@dataclass(frozen=True, slots=True)
class PriceColumn:
    key: str
    label: str  # English, marked N_(): shown through _()
    right: bool = False  # numbers and amounts are aligned right


AMOUNTS = [
    PriceColumn(k, label, True) for k, label in zip(AMOUNT_KEYS, AMOUNT_COLUMNS, strict=True)
]
COHORT_COLUMNS = [PriceColumn("cohort", N_("Cohort")), *AMOUNTS]
MUNICIPALITY_COLUMNS = [
    PriceColumn("municipality", N_("Municipality")),
    PriceColumn("cohort", N_("Hold"), True),
    PriceColumn("ean", N_("EAN")),
    PriceColumn("reference", N_("Reference")),
    *AMOUNTS,
    PriceColumn("invoices", N_("Invoices")),
    PriceColumn("status", N_("Status")),
]

#: What gives way, in order, when a table is wider than the screen: ("shrink", key, the
#: narrowest it may get) or ("drop", key, 0). Amounts excl. and incl. VAT never do.
Step = tuple[str, str, int]
COHORT_STEPS: list[Step] = [("drop", "vat", 0), ("drop", "late", 0)]
MUNICIPALITY_STEPS: list[Step] = [
    ("shrink", "reference", 10),
    ("shrink", "municipality", 12),
    ("shrink", "invoices", 8),
    ("drop", "ean", 0),
    ("drop", "reference", 0),
    ("drop", "vat", 0),
    ("drop", "late", 0),
    ("drop", "invoices", 0),
    ("shrink", "municipality", 6),
]

PADDING = 1  # DataTable's cell padding, on each side of a column
SCROLLBAR = 2  # a table that scrolls gives this much of its width to the scrollbar


def fit_columns(
    labels: Mapping[str, str],
    rows: Sequence[Mapping[str, str]],
    room: int,
    steps: Sequence[Step],
) -> dict[str, int]:
    """The columns to show, in order, with their widths: every column at its widest cell when
    that fits ``room``, else after as many of ``steps`` as it takes. A column is never made
    narrower than its header."""
    widths = {
        key: max([cell_len(label), *(cell_len(row.get(key, "")) for row in rows)])
        for key, label in labels.items()
    }

    def total() -> int:
        return sum(width + 2 * PADDING for width in widths.values())

    for action, key, narrowest in steps:
        if total() <= room:
            break
        if key not in widths:
            continue
        if action == "drop":
            del widths[key]
        else:
            excess = total() - room
            floor = max(narrowest, cell_len(labels[key]))
            widths[key] = min(widths[key], max(floor, widths[key] - excess))
    return widths


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, "…" marking a cut."""
    text = printable(text)
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)) + "…"


def _justify(column: PriceColumn) -> JustifyMethod:
    return "right" if column.right else "left"


def _amounts(bill: Bill) -> dict[str, str]:
    return {
        "seats": str(bill.seats),
        "late": str(bill.late_cancellations),
        "excl": money(bill.amount.excl_vat),
        "vat": money(bill.amount.vat),
        "incl": money(bill.amount.incl_vat),
    }


@dataclass(frozen=True, slots=True)
class _Row:
    key: str
    cells: dict[str, str]
    bold: bool = False


_ORDER = (InvoiceStatus.CREATED, InvoiceStatus.SENT, InvoiceStatus.PAID)


def _invoice_cells(register: Register, code: int, cohort: int) -> dict[str, str]:
    """The numbers of a municipality's documents in a cohort, and the least advanced status."""
    found = sorted(
        (d for d in register.invoices.values()
         if d.municipality_code == code and d.cohort == cohort),
        key=lambda d: d.number,
    )  # fmt: skip
    if not found:
        return {"invoices": "—", "status": "—"}
    least = min((d.status for d in found), key=_ORDER.index)
    return {"invoices": ", ".join(str(d.number) for d in found), "status": least.label}


class PricingScreen(BaseScreen):
    LIST_KIND = "invoices"
    BINDINGS = [
        LIST_BINDING,
        Binding(
            "i",
            "run_invoices",
            N_("Invoice run"),
            tooltip=N_("Invoice the cohort of the row under the cursor (credit notes for changes)"),
        ),
        Binding(
            "s",
            "mark('sent')",
            N_("Mark sent"),
            tooltip=N_("Record the row's invoices as sent"),
        ),
        Binding(
            "p",
            "mark('paid')",
            N_("Mark paid"),
            tooltip=N_("Record the row's invoices as paid"),
        ),
    ]
    MODE = "pricing"
    PURPOSE = N_(
        "The invoice basis: taken seats plus cancellations made after the deadline, at the "
        "programme's price, per cohort and per municipality in each cohort, with the "
        "programme's totals. Offered seats are billed once they are accepted."
    )

    def __init__(self) -> None:
        super().__init__()
        self._cohort_rows: list[_Row] = []
        self._municipality_rows: list[_Row] = []
        self._drawn_width = 0
        self._row_keys: dict[str, tuple[int, int]] = {}

    def compose_body(self) -> ComposeResult:
        yield Plain(id="price-line", classes="screen-title")
        yield PlainTable(id="cohort-prices", cursor_type="row", zebra_stripes=True)
        yield PlainTable(id="municipality-prices", cursor_type="row", zebra_stripes=True)

    def show(self, snapshot: Snapshot) -> None:
        register = snapshot.register
        programme = register.programme
        unit = unit_price(programme)
        self.query_one("#price-line", Static).update(
            _(
                "Price per participant {price} excl. VAT · VAT {rate} {vat} · {total} incl. VAT"
            ).format(
                price=money(unit.excl_vat, decimals=False),
                rate=percent(programme.vat_rate),
                vat=money(unit.vat),
                total=money(unit.incl_vat),
            )
        )
        self._cohort_rows = [
            _Row(
                str(cohort.number),
                {
                    "cohort": _("Hold {number}").format(number=cohort.number),
                    **_amounts(cohort_bill(register, cohort.number)),
                },
            )
            for cohort in programme.cohorts
        ]
        total = programme_bill(register)
        self._cohort_rows.append(
            _Row("total", {"cohort": _("Programme"), **_amounts(total)}, bold=True)
        )
        self._municipality_rows = [
            _Row(
                f"{line.directorate.id}:{line.cohort}",
                {
                    "municipality": by_code(line.directorate.municipality_code).name,
                    "cohort": str(line.cohort),
                    "ean": line.directorate.invoice.ean or "—",
                    "reference": line.directorate.invoice.reference or "—",
                    **_amounts(line.bill),
                    **_invoice_cells(register, line.directorate.municipality_code, line.cohort),
                },
            )
            for line in invoice_lines(register)
        ]
        self._row_keys = {
            f"{line.directorate.id}:{line.cohort}": (
                line.directorate.municipality_code,
                line.cohort,
            )
            for line in invoice_lines(register)
        }
        # A municipality that owes nothing now but was invoiced (and credited) keeps its row:
        # its documents' status is shown and marked here too.
        billed = set(self._row_keys.values())
        nothing = Bill(0, 0, Amount(Decimal(0), Decimal(0)))
        for code, cohort in sorted(
            {(d.municipality_code, d.cohort) for d in register.invoices.values()} - billed,
            key=lambda pair: (pair[1], by_code(pair[0]).name),
        ):
            latest = max(
                (d for d in register.invoices.values()
                 if (d.municipality_code, d.cohort) == (code, cohort)),
                key=lambda d: d.number,
            )  # fmt: skip
            key = f"invoiced:{code}:{cohort}"
            self._municipality_rows.append(
                _Row(
                    key,
                    {
                        "municipality": by_code(code).name,
                        "cohort": str(cohort),
                        "ean": latest.details.ean or "—",
                        "reference": latest.details.reference or "—",
                        **_amounts(nothing),
                        **_invoice_cells(register, code, cohort),
                    },
                )
            )
            self._row_keys[key] = (code, cohort)
        self._draw()

    def on_resize(self, event: events.Resize) -> None:
        if self.shown is not None and event.size.width != self._drawn_width:
            self._draw()

    def _draw(self) -> None:
        width = self.size.width or self.app.size.width
        self._drawn_width = width
        self._fill(
            self.query_one("#cohort-prices", DataTable),
            COHORT_COLUMNS,
            self._cohort_rows,
            fit_columns(
                {c.key: _(c.label) for c in COHORT_COLUMNS},
                [r.cells for r in self._cohort_rows],
                width,
                COHORT_STEPS,
            ),
        )
        # The invoice columns once there are invoices (before the first run they say nothing).
        invoiced = self.shown is not None and bool(self.shown.register.invoices)
        columns = [
            c for c in MUNICIPALITY_COLUMNS if invoiced or c.key not in ("invoices", "status")
        ]
        self._fill(
            self.query_one("#municipality-prices", DataTable),
            columns,
            self._municipality_rows,
            fit_columns(
                {c.key: _(c.label) for c in columns},
                [r.cells for r in self._municipality_rows],
                width - SCROLLBAR,
                MUNICIPALITY_STEPS,
            ),
        )

    def _fill(
        self,
        table: DataTable[object],
        columns: Sequence[PriceColumn],
        rows: Sequence[_Row],
        widths: Mapping[str, int],
    ) -> None:
        """Rebuild ``table`` with the columns of ``widths``; the cursor stays on its row."""
        cursor = table.cursor_row
        table.clear(columns=True)
        shown = [c for c in columns if c.key in widths]
        for column in shown:
            table.add_column(
                Text(_cut(_(column.label), widths[column.key]), justify=_justify(column)),
                width=widths[column.key],
                key=column.key,
            )
        for row in rows:
            table.add_row(
                *(
                    Text(
                        _cut(row.cells[c.key], widths[c.key]),
                        style="bold" if row.bold else "",
                        justify=_justify(c),
                    )
                    for c in shown
                ),
                key=row.key,
            )
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1), animate=False)

    # -- the invoice run -----------------------------------------------------------------------

    def _cursor_row(self) -> tuple[int, int] | None:
        """(municipality code, cohort) of the municipality row under the cursor."""
        table = self.query_one("#municipality-prices", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._row_keys.get(str(key))

    def action_run_invoices(self) -> None:
        """Show what the run would issue, and issue it only when the coordinator says yes:
        an issued invoice gets its number and never changes."""
        row = self._cursor_row()
        cohort = row[1] if row is not None else self.kapp.current_cohort
        title = _("Hold {number}").format(number=cohort)
        try:
            plan = invoicing.run(self.kapp.registry, cohort, dry_run=True)
        except KommunestyreError as error:
            self.app.notify(str(error), title=_(error.title), severity="error", timeout=10)
            return
        if not plan.documents:
            self.app.notify("\n".join(plan.lines()), title=title)
            return
        lines = plan.lines()
        shown = lines[:10] + (
            [_("… and {n} more").format(n=len(lines) - 10)] if len(lines) > 10 else []
        )
        text = "\n".join(
            [
                *shown,
                "",
                _(
                    "Issued invoices get their numbers and are never changed: a later change "
                    "is settled by a credit note or a supplementary invoice."
                ),
            ]
        )

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                result = invoicing.run(self.kapp.registry, cohort)
            except KommunestyreError as error:
                self.app.notify(str(error), title=_(error.title), severity="error", timeout=10)
                return
            self.app.notify("\n".join(result.lines()), title=title)
            self.kapp.reload()

        heading = _("Issue the invoices of hold {number}?").format(number=cohort)
        self.app.push_screen(ConfirmModal(heading, text, yes=_("Issue")), answered)

    def action_mark(self, status: str) -> None:
        row = self._cursor_row()
        if row is None:
            return
        target = InvoiceStatus(status)
        register = self.kapp.snapshot.register
        numbers = [
            d.number
            for d in sorted(register.invoices.values(), key=lambda d: d.number)
            if (d.municipality_code, d.cohort) == row
            and _ORDER.index(d.status) < _ORDER.index(target)
        ]
        if not numbers:
            self.app.notify(_("No invoice on this row to mark."), severity="warning")
            return
        try:
            for number in numbers:
                invoicing.mark(self.kapp.registry, number, target)
        except KommunestyreError as error:
            self.app.notify(str(error), title=_(error.title), severity="error")
        self.kapp.reload()
