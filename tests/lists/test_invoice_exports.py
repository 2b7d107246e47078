"""Finance's side of the invoice run: the invoice export with the documents issued, its XLSX
form (a sheet of invoices and credit notes, a sheet of lines), and EAN numbers that Excel
turned into numbers in a sign-up sheet."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kommunestyre.clock import frozen_clock
from kommunestyre.domain.invoicing import InvoiceKind, InvoiceStatus
from kommunestyre.domain.pricing import round_ore
from kommunestyre.domain.validation import validate_ean
from kommunestyre.errors import ValidationError
from kommunestyre.i18n import _
from kommunestyre.lists.importer import plan_import
from kommunestyre.lists.listings import Selection
from kommunestyre.lists.sheets import read_csv_bytes
from kommunestyre.services import invoicing
from kommunestyre.services.lists import export_list
from kommunestyre.services.registry import Registry
from kommunestyre.services.setup import init_database
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from tests.cli.test_register_cli import TINA
from tests.conftest import EARLY
from tests.lists.test_export import read_csv
from tests.lists.test_import import HEADERS_DA, ROWS, csv_bytes


@pytest.mark.parametrize("typed", ["5,798E+12", "5.798E+12", "5,798E12", " 5,79801E+12 ", "6E+12"])
def test_an_ean_excel_turned_into_a_number_is_explained(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_ean(typed)
    assert caught.value.message == (
        f"the EAN was turned into a number by Excel ({typed.strip()}); type it as text, "
        "or use the .xlsx"
    )


def test_a_mangled_ean_is_the_rows_problem_in_danish_too(tmp_path: Path, danish: None) -> None:
    rows = [list(ROWS[0])]
    rows[0][8] = "5,798E+12"
    plan = plan_import(_register(tmp_path), read_csv_bytes(csv_bytes(HEADERS_DA, rows)))
    # through the catalogue (the Danish arrives with the next catalogue merge: i12-invoices2.po)
    explained = _(
        "the EAN was turned into a number by Excel ({value}); type it as text, or use the .xlsx"
    ).format(value="5,798E+12")
    assert [str(p) for p in plan.problems] == [f"række 2, kolonne 'EAN': {explained}"]


def test_a_mangled_ean_in_english(tmp_path: Path) -> None:
    rows = [list(ROWS[0])]
    rows[0][8] = "5.798E+12"
    plan = plan_import(_register(tmp_path), read_csv_bytes(csv_bytes(HEADERS_DA, rows)))
    assert len(plan.problems) == 1
    assert "the EAN was turned into a number by Excel (5.798E+12)" in str(plan.problems[0])


def _register(tmp_path: Path):
    registry = Registry(init_database(tmp_path / "db.json", clock=frozen_clock(EARLY)))
    return registry.snapshot().register


def test_the_export_names_the_documents_and_the_xlsx_has_a_sheet_of_each(
    demo_db: Path, tmp_path: Path
) -> None:
    registry = Registry(Repository(Database(demo_db), clock=frozen_clock(EARLY)))
    before = tmp_path / "before.csv"
    export_list(registry.repository, "invoices", before, Selection(cohort=1))
    assert read_csv(before)[0][-1] == "I alt inkl. moms"  # no invoices yet: no extra columns

    invoicing.run(registry, 1)
    register = registry.snapshot().register
    kolding = next(d for d in register.invoices.values() if d.municipality == "Kolding")
    invoicing.mark(registry, kolding.number, InvoiceStatus.SENT)
    tina = next(p for p in register.participants.values() if p.details.email == TINA)
    registry.cancel_participant(tina.id, tina.rev)  # before the deadline: free
    [credit] = invoicing.run(registry, 1).documents
    assert credit.kind is InvoiceKind.CREDIT_NOTE

    path = tmp_path / "faktura.csv"
    export_list(registry.repository, "invoices", path, Selection(cohort=1))
    rows = read_csv(path)
    assert rows[0][-4:] == ["Fakturanr.", "Fakturadato", "Forfaldsdato", "Fakturastatus"]
    line = next(r for r in rows if r[0] == "Kolding")
    assert line[-4] == f"{kolding.number}, {credit.number} (kreditnota)"
    assert line[-3] == f"{kolding.date.isoformat()}, {credit.date.isoformat()}"
    assert line[-1] == "sendt, oprettet"
    assert rows[-1][0] == "I alt" and len(rows[-1]) == len(rows[0])

    path = tmp_path / "faktura.xlsx"
    export_list(registry.repository, "invoices", path, Selection(cohort=1))
    book = load_workbook(path)
    assert book.sheetnames == ["Fakturagrundlag", "Fakturaer", "Fakturalinjer"]
    documents = list(book["Fakturaer"].iter_rows(values_only=True))
    assert documents[0][:3] == ("Fakturanr.", "Type", "Kommune")
    register = registry.snapshot().register
    assert [r[0] for r in documents[1:]] == sorted(register.invoices)
    for row in documents[1:]:
        document = register.invoices[row[0]]
        assert isinstance(row[8], str) and row[8] == document.details.ean  # EAN as text
        assert row[16] == round_ore(document.total)  # amounts as numbers
        kind = "kreditnota" if document.kind is InvoiceKind.CREDIT_NOTE else "faktura"
        assert row[1] == kind
    credit_row = next(r for r in documents if r[0] == credit.number)
    assert credit_row[1] == "kreditnota" and credit_row[16] == -Decimal("18625.00")
    assert book["Fakturaer"]["Q2"].number_format == '#,##0.00 "kr."'
    assert book["Fakturaer"]["I2"].data_type == "s"

    lines = list(book["Fakturalinjer"].iter_rows(values_only=True))
    assert lines[0] == ("Fakturanr.", "Type", "Linje", "Tekst", "Moms %", "Ekskl. moms", "Moms",
                        "I alt inkl. moms")  # fmt: skip
    by_document: dict[int, Decimal] = defaultdict(Decimal)
    for row in lines[1:]:
        by_document[row[0]] += Decimal(str(row[7]))
        assert row[4] == 25
    assert by_document == {d.number: round_ore(d.total) for d in register.invoices.values()}
    credited = [r for r in lines if r[0] == credit.number]
    assert [r[3] for r in credited] == [tina.name] and credited[0][5] < 0

    # invoices − credit notes = the basis, per municipality, on the sheets finance imports
    net: dict[str, Decimal] = defaultdict(Decimal)
    for row in documents[1:]:
        net[row[2]] += Decimal(str(row[16]))
    basis = list(book["Fakturagrundlag"].iter_rows(min_row=2, values_only=True))[:-1]
    assert {k: v for k, v in net.items() if v} == {r[0]: Decimal(str(r[11])) for r in basis}

    # the other formats keep one table
    markdown = tmp_path / "faktura.md"
    export_list(registry.repository, "invoices", markdown, Selection(cohort=1))
    assert "Fakturalinjer" not in markdown.read_text(encoding="utf-8")
