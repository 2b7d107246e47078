"""Municipality contacts in bulk: a sheet of kommune, navn, titel, e-mail (and noter) sets who
gets the invitation, with the registrations' all-or-nothing report: new, changed (old → new),
unchanged, and problems by row and column."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kommunestyre.clock import frozen_clock
from kommunestyre.domain.model import MunicipalityContact
from kommunestyre.domain.validation import validate_contact
from kommunestyre.errors import KommunestyreError
from kommunestyre.lists.listings import Selection
from kommunestyre.services.imports import ImportRefused, import_contacts, preview_contacts
from kommunestyre.services.lists import export_list
from kommunestyre.services.registry import Registry
from kommunestyre.services.setup import init_database
from tests.conftest import EARLY
from tests.lists.test_import import csv_bytes, xlsx_file
from tests.tui.test_plain_text import hostile_values

ROOT = Path(__file__).resolve().parents[2]
AARHUS, ODENSE, VEJLE = 751, 461, 630
HEADERS = ["Kommune", "Navn", "Titel", "E-mail", "Noter"]
ROWS = [
    ["Århus", "Søren Ærø", "Kommunaldirektør", "soeren@aarhus.dk", ""],
    ["odense", "Bo Ib", "Kommunaldirektør", "bo@odense.dk", "Ring før kl. 9"],
    ["Vejle", "Eva Vang", "Direktør", "eva@vejle.dk", ""],
]


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    return Registry(init_database(tmp_path / "db.json", clock=frozen_clock(EARLY)))


def contacts(registry: Registry) -> dict[int, tuple[str, str, str, str, bool]]:
    register = registry.snapshot().register
    return {
        code: (c.name, c.title, c.email, c.notes, c.declined)
        for code, c in register.contacts.items()
        if c.name or c.email
    }


def test_new_changed_and_unchanged_contacts(registry: Registry, tmp_path: Path) -> None:
    rev = registry.snapshot().register.contact(VEJLE).rev
    registry.edit_contact(
        VEJLE, rev, MunicipalityContact(VEJLE, "Eva Vang", "Direktør", "eva@vejle.dk", True)
    )
    rev = registry.snapshot().register.contact(ODENSE).rev
    registry.edit_contact(ODENSE, rev, MunicipalityContact(ODENSE, "Gammel", "", "gl@odense.dk"))
    path = tmp_path / "kontakter.csv"
    path.write_bytes(csv_bytes(HEADERS, ROWS))
    before = registry.database.path.read_bytes()
    report = preview_contacts(registry, path)
    assert registry.database.path.read_bytes() == before
    lines = [line.text for line in report.plan.report_lines()]
    assert lines == [
        "row 2: new contact for Aarhus: Søren Ærø <soeren@aarhus.dk>",
        "row 3: changes the contact of Odense; name: 'Gammel' → 'Bo Ib'; title: '' → "
        "'Kommunaldirektør'; e-mail: 'gl@odense.dk' → 'bo@odense.dk'; notes: '' → "
        "'Ring før kl. 9'",
        "row 4: unchanged: Vejle, Eva Vang <eva@vejle.dk>",
    ]
    assert report.outcome == ["1 contact added", "1 contact changed"]
    assert report.plan.summary() == "3 row(s), 1 new contact, 1 changed, 1 unchanged"
    history = len(registry.repository.history())
    report = import_contacts(registry, path)
    assert report.saved and len(registry.repository.history()) == history + 1
    entry = registry.repository.history()[0]
    assert entry.action == "import" and "kontakter.csv" in entry.summary
    assert contacts(registry) == {
        AARHUS: ("Søren Ærø", "Kommunaldirektør", "soeren@aarhus.dk", "", False),
        ODENSE: ("Bo Ib", "Kommunaldirektør", "bo@odense.dk", "Ring før kl. 9", False),
        VEJLE: ("Eva Vang", "Direktør", "eva@vejle.dk", "", True),  # declined stays declined
    }
    again = import_contacts(registry, path)  # nothing new: nothing written
    assert not again.saved and len(registry.repository.history()) == history + 1


def test_an_empty_cell_keeps_what_is_stored(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "kontakter.csv"
    path.write_bytes(csv_bytes(HEADERS, ROWS))
    import_contacts(registry, path)
    path.write_bytes(csv_bytes(["kommune", "navn", "email"], [["Aarhus", "", "ny@aarhus.dk"]]))
    import_contacts(registry, path)
    assert contacts(registry)[AARHUS][:3] == ("Søren Ærø", "Kommunaldirektør", "ny@aarhus.dk")


@pytest.mark.parametrize("form", ["xlsx", "english csv"])
def test_xlsx_and_english_headers(registry: Registry, tmp_path: Path, form: str) -> None:
    if form == "xlsx":
        path = xlsx_file(tmp_path / "kontakter.xlsx", HEADERS, ROWS)
    else:
        path = tmp_path / "contacts.csv"
        english = ["Municipality", "Name", "Title", "E-mail", "Notes"]
        path.write_bytes(csv_bytes(english, ROWS, delimiter=","))
    assert import_contacts(registry, path).plan.count("new") == 3
    assert contacts(registry)[ODENSE][3] == "Ring før kl. 9"


def test_the_contacts_list_reads_back_unchanged(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "kontakter.csv"
    path.write_bytes(csv_bytes(HEADERS, ROWS))
    import_contacts(registry, path)
    listed = tmp_path / "liste.xlsx"
    export_list(registry.repository, "contacts", listed, Selection())
    report = preview_contacts(registry, listed)
    assert report.plan.clean and report.plan.count("unchanged") == 98
    assert report.plan.warnings == ["column 'Status' is not used"]


HOSTILE = (
    "Kommune;Navn;E-mail\r\n"
    "Aarhus;Søren;soeren@aarhus.dk\r\n"  # row 2: fine
    "Atlantis;Bo;bo@x.dk\r\n"  # row 3: no such municipality
    "Århus;Anden;anden@aarhus.dk\r\n"  # row 4: Aarhus again
    "Vejle;Eva;soeren@aarhus.dk\r\n"  # row 5: the same address as row 2
    "Køge;Fie;ikke en adresse\r\n"  # row 6: not an address
    "Kolding;Gry\x00;gry@kolding.dk\r\n"  # row 7: a NUL
    "Horsens;Ib;ib@horsens.dk;ekstra\r\n"  # row 8: a cell too many
)


def test_problems_by_row_and_column_and_nothing_saved(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "kontakter.csv"
    path.write_bytes(HOSTILE.encode("utf-8"))
    before = registry.database.path.read_bytes()
    with pytest.raises(ImportRefused) as refused:
        import_contacts(registry, path)
    assert registry.database.path.read_bytes() == before
    problems = [str(p) for p in refused.value.report.plan.problems]
    assert [p.split(",")[0].split(":")[0] for p in problems] == [
        "row 3", "row 4", "row 5", "row 6", "row 7", "row 8",
    ]  # fmt: skip
    assert "'Atlantis' is not a Danish municipality" in problems[0]
    assert problems[1] == "row 4, column 'Kommune': Aarhus is in row 2 too"
    assert problems[2] == "row 5, column 'E-mail': the same e-mail as row 2"
    assert "column 'E-mail'" in problems[3] and "control character" in problems[4]
    assert "4 cells, but the header has 3 columns" in problems[5]
    report = import_contacts(registry, path, exclude=[3, 4, 5, 6, 7, 8])
    assert report.saved and report.plan.excluded == [3, 4, 5, 6, 7, 8]
    assert set(contacts(registry)) == {AARHUS}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Navn;E-mail\r\nBo;bo@odense.dk\r\n", "no column for municipality"),
        (b"Kommune;Navn;Kontakt;E-mail\r\n", "a second 'name' column"),
        (b"Kommune;Navn;E-mail\r\n", "the sheet has no rows below the header"),
    ],
)
def test_a_sheet_without_the_columns_is_refused(
    registry: Registry, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "kontakter.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRefused) as refused:
        import_contacts(registry, path)
    assert any(message in str(p) for p in refused.value.report.plan.problems)


def test_an_address_another_municipality_keeps_is_noted(registry: Registry, tmp_path: Path) -> None:
    rev = registry.snapshot().register.contact(VEJLE).rev
    registry.edit_contact(VEJLE, rev, MunicipalityContact(VEJLE, "Eva", "", "faelles@x.dk"))
    path = tmp_path / "kontakter.csv"
    path.write_bytes(csv_bytes(["Kommune", "Navn", "E-mail"], [["Aarhus", "Bo", "faelles@x.dk"]]))
    report = preview_contacts(registry, path)
    assert report.plan.clean
    assert report.plan.warnings == ["row 2: faelles@x.dk is also the contact of Vejle"]


@pytest.mark.parametrize("value", hostile_values()[:80])
def test_a_hostile_value_in_any_column_imports_as_typed_or_is_refused_whole(
    registry: Registry, tmp_path: Path, value: str
) -> None:
    path = registry.database.path
    plain = ["Aarhus", "Søren", "Direktør", "soeren@aarhus.dk", ""]
    for column in range(len(HEADERS)):
        cells = list(plain)
        cells[column] = value
        sheet = tmp_path / f"k{column}.csv"
        quoted = ['"' + c.replace('"', '""') + '"' for c in cells]
        sheet.write_bytes((";".join(HEADERS) + "\r\n" + ";".join(quoted) + "\r\n").encode(
            "utf-8", "surrogatepass"
        ))  # fmt: skip
        before = path.read_bytes()
        try:
            preview_contacts(registry, sheet)
            import_contacts(registry, sheet)
        except KommunestyreError as error:
            assert path.read_bytes() == before and str(error)
            continue
        field = (None, "name", "title", "email", "notes")[column]
        if field is None or not value.strip():
            continue  # a municipality after all, or an empty cell: keeps what is stored
        expected = validate_contact(MunicipalityContact(AARHUS, **{field: value.strip()}))
        stored = registry.snapshot().register.contact(AARHUS)
        assert getattr(stored, field) == getattr(expected, field), field


def run(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "KOMMUNESTYRE_DB"}
    environment["PYTHONPATH"] = str(ROOT)
    environment["KOMMUNESTYRE_NOW"] = EARLY.isoformat()
    environment["KOMMUNESTYRE_LANG"] = "en"
    return subprocess.run(
        [sys.executable, "-m", "kommunestyre", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def test_import_contacts_from_the_command_line(registry: Registry, tmp_path: Path) -> None:
    db = str(registry.database.path)
    path = tmp_path / "kontakter.csv"
    path.write_bytes(HOSTILE.encode("utf-8"))
    result = run("import", "--contacts", str(path), "--db", db)
    assert result.returncode == 3 and result.stderr == ""
    assert "problem: row 4, column 'Kommune': Aarhus is in row 2 too" in result.stdout
    assert "Nothing was imported: correct the rows, or leave them out with --exclude-rows." in (
        result.stdout
    )
    result = run("import", "--contacts", str(path), "--db", db, "--exclude-rows", "3-8")
    assert result.returncode == 2 and "row numbers separated by commas" in result.stderr
    path.write_bytes(csv_bytes(HEADERS, ROWS))
    before = registry.database.path.read_bytes()
    result = run("import", str(path), "--contacts", "--db", db, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "row 2: new contact for Aarhus: Søren Ærø <soeren@aarhus.dk>" in result.stdout
    assert "Would result in:" in result.stdout and "Dry run: nothing was saved." in result.stdout
    assert registry.database.path.read_bytes() == before
    result = run("import", "--contacts", str(path), "--db", db)
    assert result.returncode == 0 and "Saved." in result.stdout
    assert "Import: 3 row(s), 3 new contacts." in result.stdout
    assert contacts(registry)[ODENSE][2] == "bo@odense.dk"
    result = run("import", "--contacts", str(path), "--db", db)
    assert result.returncode == 0
    assert "Nothing new: every contact is as the sheet says." in result.stdout
    result = run("import", "--contacts", str(path), "--db", db, "--cohort", "2")
    assert result.returncode not in (0, 3) and "--contacts takes neither" in result.stderr
