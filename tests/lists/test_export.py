"""Exported lists read back (csv module, openpyxl) and compared with the database; formula
injection neutralised; amounts exact; files private and written whole."""

from __future__ import annotations

import csv
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kommunestyre.cli import main
from kommunestyre.clock import frozen_clock
from kommunestyre.domain.model import Status
from kommunestyre.domain.pricing import programme_bill, round_ore
from kommunestyre.errors import ValidationError
from kommunestyre.lists.listings import Selection
from kommunestyre.services.letters import LetterService
from kommunestyre.services.lists import export_list
from kommunestyre.services.registry import Registry
from kommunestyre.spreadsheet import neutralise
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from tests.conftest import EARLY, ENGLISH


@pytest.fixture
def repository(demo_db: Path) -> Repository:
    return Repository(Database(demo_db), clock=frozen_clock(EARLY))


def read_csv(path: Path, delimiter: str = ";") -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def test_participants_per_cohort_match_the_database(repository: Repository, tmp_path: Path) -> None:
    register = repository.load()
    admitted = [p for p in register.participants.values() if p.status.holds_seat]
    path = tmp_path / "deltagere.xlsx"
    export_list(repository, "participants", path, Selection())
    book = load_workbook(path)
    assert book.sheetnames == ["Hold 1", "Hold 2", "Hold 3", "Hold 4"]
    emails, statuses = set(), set()
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1]]
        assert header == ["Hold", "Navn", "Titel", "Kommune", "Fagområde", "E-mail", "Telefon",
                          "Kost", "Status"]  # fmt: skip
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
        assert sheet.column_dimensions["F"].width > 20
        for row in sheet.iter_rows(min_row=2, values_only=True):
            assert row[0] == sheet.title
            emails.add(row[5])
            assert isinstance(row[6], str)  # phone numbers stay text
            statuses.add(row[8])
    assert emails == {p.details.email for p in admitted}
    assert statuses == {"optaget", "tilbudt plads, svar senest 25.01.2027"}

    path = tmp_path / "hold2.csv"
    export_list(repository, "participants", path, Selection(cohort=2))
    rows = read_csv(path)
    assert len(rows) - 1 == sum(1 for p in admitted if p.cohort == 2)
    assert {r[0] for r in rows[1:]} == {"Hold 2"}


def test_networks_one_sheet_per_field(repository: Repository, tmp_path: Path) -> None:
    register = repository.load()
    path = tmp_path / "netvaerk.xlsx"
    export_list(repository, "networks", path, Selection())
    book = load_workbook(path)
    labels = {f.label: f.key for f in register.programme.fields}
    for sheet in book.worksheets:
        key = labels[sheet.title]
        expected = {
            p.details.email
            for p in register.participants.values()
            if p.status is Status.ADMITTED and key in p.fields
        }
        got = {row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert got == expected
        assert {type(row[4]) for row in sheet.iter_rows(min_row=2, values_only=True)} == {int}


def test_invoice_totals_equal_the_pricing_service(repository: Repository, tmp_path: Path) -> None:
    bill = programme_bill(repository.load())
    path = tmp_path / "faktura.csv"
    export_list(repository, "invoices", path, Selection())
    rows = read_csv(path)
    assert rows[0][-3:] == ["Ekskl. moms", "Moms", "I alt inkl. moms"]
    totals = rows[-1]
    assert totals[0] == "I alt"
    assert Decimal(totals[-1].replace(",", ".")) == round_ore(bill.amount.incl_vat)
    body = rows[1:-1]
    assert sum(Decimal(r[9].replace(",", ".")) for r in body) == bill.amount.excl_vat
    assert sum(int(r[7]) for r in body) == bill.seats
    assert sum(int(r[8]) for r in body) == bill.late_cancellations == 1
    assert all(r[2].isdigit() and len(r[2]) == 13 for r in body)  # EANs whole, as text

    path = tmp_path / "faktura.xlsx"
    export_list(repository, "invoices", path, Selection())
    sheet = load_workbook(path).active
    last = [c for c in sheet[sheet.max_row]]
    assert last[11].value == round_ore(bill.amount.incl_vat) == Decimal("1992875.00")
    assert last[11].number_format == '#,##0.00 "kr."'
    assert isinstance(sheet["J2"].value, (int, float)) and sheet["J2"].number_format.endswith(
        '"kr."'
    )

    path = tmp_path / "faktura-komma.csv"
    export_list(repository, "invoices", path, Selection(), comma=True)
    assert read_csv(path, ",")[-1][-1] == "1992875.00"


def test_contacts_say_where_each_municipality_stands(
    repository: Repository, tmp_path: Path
) -> None:
    service = LetterService(repository)
    batch = service.prepare("invitation")
    service.export(service.prepare("invitation"), tmp_path / "breve", "eml")
    path = tmp_path / "kontakter.csv"
    export_list(repository, "contacts", path, Selection())
    status = {r[0]: r[4] for r in read_csv(path)[1:]}
    assert len(status) == 98
    assert status["Læsø"] == status["Fanø"] == "takket nej"
    assert status["Kolding"] == "tilmeldt, hold 1"
    invited = {letter.recipient.label for letter in batch.letters}
    assert {status[name] for name in invited} == {"inviteret, intet svar"}


def test_formulas_are_neutralised_and_numbers_stay_numbers(
    repository: Repository, tmp_path: Path
) -> None:
    registry = Registry(repository)
    register = repository.load()
    someone = next(p for p in register.participants.values() if p.status is Status.ADMITTED)
    hostile = someone.details._replace(
        name='=HYPERLINK("http://evil")', title="+SUM(A1)", needs="@cmd", notes=""
    )
    registry.edit_participant(someone.id, someone.rev, hostile)

    path = tmp_path / "deltagere.csv"
    export_list(repository, "participants", path, Selection(cohort=someone.cohort))
    row = next(r for r in read_csv(path) if r[5] == someone.details.email)
    assert row[1] == '\'=HYPERLINK("http://evil")' and row[2] == "'+SUM(A1)" and row[7] == "'@cmd"

    path = tmp_path / "deltagere.xlsx"
    export_list(repository, "participants", path, Selection(cohort=someone.cohort))
    sheet = load_workbook(path).active
    cells = next(r for r in sheet.iter_rows(min_row=2) if r[5].value == someone.details.email)
    assert [c.data_type for c in cells[:3]] == ["s", "s", "s"]
    assert cells[1].value.startswith("'=")
    assert [neutralise(t) for t in ("-1", "\tx", "\rx", "ok")] == ["'-1", "'\tx", "'\rx", "ok"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".md"])
def test_files_are_private_and_written_whole(
    repository: Repository, tmp_path: Path, suffix: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / f"liste{suffix}"
    path.write_text("old")
    export_list(repository, "participants", path, Selection())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == [path.name]  # no temporary files
    if suffix == ".md":
        text = path.read_text("utf-8")
        assert text.startswith("# Deltagere") and "## Hold 1 (40)" in text


def test_bad_requests(repository: Repository, tmp_path: Path, demo_db: Path, capsys) -> None:
    with pytest.raises(ValidationError, match=r"name the file \.csv, \.xlsx, \.md or \.pdf"):
        export_list(repository, "participants", tmp_path / "x.txt", Selection())
    with pytest.raises(ValidationError, match="is not a folder"):
        export_list(repository, "participants", tmp_path / "nope" / "x.csv", Selection())
    with pytest.raises(ValidationError, match="there is no hold 9"):
        export_list(repository, "participants", tmp_path / "x.csv", Selection(cohort=9))
    code = main(["export", "networks", "--db", str(demo_db), "--field", "sport", "--out",
                 str(tmp_path / "n.csv")], environ=ENGLISH)  # fmt: skip
    assert code == 1 and "'sport' is not a field" in capsys.readouterr().err
    assert not (tmp_path / "n.csv").exists()
    code = main(["export", "invoices", "--db", str(demo_db), "--out", str(tmp_path / "f.xlsx")],
                environ=ENGLISH)  # fmt: skip
    assert code == 0 and "Wrote 28 row(s) of invoices" in capsys.readouterr().out
