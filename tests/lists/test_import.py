"""Importing registrations: every encoding and separator a municipality might send, Danish and
English headers, hostile files, all-or-nothing saving, and what the report says."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kommunestyre.cli import main
from kommunestyre.clock import frozen_clock
from kommunestyre.definition import load_programme
from kommunestyre.domain import rules
from kommunestyre.domain.capacity import standing
from kommunestyre.domain.model import Register, Status
from kommunestyre.errors import KommunestyreError
from kommunestyre.lists import sheets
from kommunestyre.lists.importer import plan_import
from kommunestyre.lists.sheets import SheetError, read_csv_bytes, read_sheet
from kommunestyre.resources import cohorts_dir
from kommunestyre.services.registry import ImportRejected, Registry
from kommunestyre.services.setup import init_database
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from tests.conftest import EARLY, ENGLISH

PROGRAMME = load_programme(cohorts_dir())

HEADERS_DA = ["Kommune", "Hold", "Navn", "Titel", "Fagområde", "E-mail", "Telefon", "Kost", "EAN",
              "Reference"]  # fmt: skip
HEADERS_EN = ["municipality", "cohort", "name", "title", "field", "email", "phone", "needs", "ean",
              "reference"]  # fmt: skip
ROWS = [
    ["Århus", "2", "Søren Ærø", "Kommunaldirektør", "Kommunaldirektør", "soeren@aarhus.dk",
     "89 40 20 00", "Vegetar, ingen nødder", "5798009813640", "PO-17"],
    ["aarhus", "2", "Åse Øster", "Direktør", "born_kultur", "aase@aarhus.dk", "", "", "", ""],
    ["Lyngby-Tårbæk", "3", "Bo Ib", "Direktør", "Teknik og miljø", "bo@ltk.dk", "", "", "", ""],
    ["høje taastrup", "3", "Ea Å", "Direktør", "Andet", "ea@htk.dk", "", "", "", ""],
]  # fmt: skip


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    return Registry(init_database(tmp_path / "db.json", clock=frozen_clock(EARLY)))


def csv_bytes(headers, rows, *, delimiter=";", encoding="utf-8", newline="\r\n") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_file(path: Path, headers, rows) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        # as a spreadsheet user types them: numbers become numbers
        sheet.append([int(v) if v.isdigit() else v for v in row])
    book.save(path)
    return path


def stored_state(registry: Registry) -> list[tuple]:
    register = registry.snapshot().register
    return sorted(
        (p.details.email, p.details.name, p.details.field, p.details.phone, p.details.needs,
         p.cohort, p.status.value, register.directorates[p.directorate_id].invoice.ean)
        for p in register.participants.values()
    )  # fmt: skip


VARIANTS = {
    "utf-8 semicolon crlf": dict(),
    "utf-8 with BOM": dict(encoding="utf-8-sig"),
    "windows-1252": dict(encoding="cp1252"),
    "comma": dict(delimiter=","),
    "tab lf": dict(delimiter="\t", newline="\n"),
}


@pytest.mark.parametrize("variant", [*VARIANTS, "xlsx", "english headers"])
def test_every_format_imports_the_same(variant: str, tmp_path: Path) -> None:
    reference = Registry(init_database(tmp_path / "ref.json", clock=frozen_clock(EARLY)))
    first = tmp_path / "first.csv"
    first.write_bytes(csv_bytes(HEADERS_DA, ROWS))
    reference.import_registrations(first)

    registry = Registry(init_database(tmp_path / "db.json", clock=frozen_clock(EARLY)))
    if variant == "xlsx":
        path = xlsx_file(tmp_path / "sheet.xlsx", HEADERS_DA, ROWS)
    elif variant == "english headers":
        path = tmp_path / "sheet.csv"
        path.write_bytes(csv_bytes([h.upper() for h in HEADERS_EN], ROWS, delimiter=","))
    else:
        path = tmp_path / "sheet.csv"
        path.write_bytes(csv_bytes(HEADERS_DA, ROWS, **VARIANTS[variant]))
    report = registry.import_registrations(path)
    assert report.saved and report.plan.count("add") == 4
    assert stored_state(registry) == stored_state(reference)
    state = stored_state(registry)
    assert ("soeren@aarhus.dk", "Søren Ærø", "kommunaldirektor", "89 40 20 00",
            "Vegetar, ingen nødder", 2, "admitted", "5798009813640") in state  # fmt: skip
    assert {s[2] for s in state} == {"kommunaldirektor", "born_kultur", "teknik_miljo", "andet"}


def test_rows_become_directorates_and_the_report_says_where_they_landed(
    registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(csv_bytes(HEADERS_DA, ROWS))
    report = registry.import_registrations(path)
    assert report.outcome == [
        "Aarhus admitted to hold 2 with 2 participants",
        "Lyngby-Taarbæk admitted to hold 3 with 1 participant",
        "Høje-Taastrup admitted to hold 3 with 1 participant",
    ]
    register = registry.snapshot().register
    assert len(register.directorates) == 3
    history = registry.repository.history()
    assert history[0].action == "import" and "sheet.csv" in history[0].summary


def test_admission_follows_row_order_and_a_full_cohort_means_waiting(
    registry: Registry, tmp_path: Path
) -> None:
    towns = ["Aalborg", "Aabenraa", "Assens", "Billund", "Esbjerg", "Faxe", "Favrskov", "Fanø",
             "Greve", "Gribskov", "Herning"]  # fmt: skip
    rows = [[town, "1", f"Direktør {i}", "", "", f"d{i}@{i}.dk"] for i, town in enumerate(towns)]
    path = tmp_path / "eleven.csv"
    path.write_bytes(csv_bytes(HEADERS_DA[:6], rows))
    report = registry.import_registrations(path)
    assert report.outcome[-1] == "Herning put on the waiting list of hold 1 with 1 participant"
    register = registry.snapshot().register
    waiting = [
        d for d in register.directorates.values() if standing(register, d.id) is Status.WAITLISTED
    ]
    assert [d.municipality_code for d in waiting] == [657]  # Herning: the 11th row


def test_people_already_registered_are_recognised(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(csv_bytes(HEADERS_DA, ROWS))
    registry.import_registrations(path)
    again = [list(r) for r in ROWS]
    again[1][6] = "22 33 44 55"  # a new phone number for Åse
    again.append(["Aarhus", "2", "Ny Direktør", "", "", "ny@aarhus.dk", "", "", "", ""])
    path.write_bytes(csv_bytes(HEADERS_DA, again))
    report = registry.preview_import(path)
    plan = report.plan
    assert (plan.count("duplicate"), plan.count("update"), plan.count("add")) == (3, 1, 1)
    report = registry.import_registrations(path)
    register = registry.snapshot().register
    aase = next(p for p in register.participants.values() if p.details.email == "aase@aarhus.dk")
    assert aase.details.phone == "22 33 44 55" and aase.details.name == "Åse Øster"
    assert len(register.participants) == 5
    report = registry.import_registrations(path)  # a third time: nothing new, nothing written
    assert not report.saved and report.plan.count("duplicate") == 5


def test_a_person_registered_for_another_municipality_is_refused(
    registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(csv_bytes(HEADERS_DA, ROWS))
    registry.import_registrations(path)
    path.write_bytes(csv_bytes(HEADERS_DA[:6], [["Odense", "1", "X", "", "", "aase@aarhus.dk"]]))
    with pytest.raises(ImportRejected) as caught:
        registry.import_registrations(path)
    problems = [str(p) for p in caught.value.report.plan.problems]
    assert problems == ["row 2, column 'e-mail': aase@aarhus.dk is already registered as "
                        "Åse Øster (Aarhus)"]  # fmt: skip


# -- hostile input ------------------------------------------------------------------------------

HOSTILE = (
    "Kommune;Hold;Navn;E-mail;EAN\r\n"
    "Aarhus;2;Anne;anne@aarhus.dk;5798009813640\r\n"  # row 2: fine
    "Atlantis;2;Bo;bo@x.dk;\r\n"  # row 3: unknown municipality
    "Odense;2;Cai;anne@aarhus.dk;\r\n"  # row 4: the same e-mail as row 2
    "Vejle;2;Dea;dea@vejle.dk;5798009813641\r\n"  # row 5: bad EAN check digit
    'Køge;2;=HYPERLINK("http://x");e@koege.dk;;extra\r\n'  # row 6: one cell too many
    "Kolding;2;Fie\x00;fie@kolding.dk;\r\n"  # row 7: a NUL byte
    "Horsens;7;Gry;gry@horsens.dk;\r\n"  # row 8: no such cohort
)


def test_hostile_rows_are_reported_by_number_and_nothing_changes(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hostile.csv"
    path.write_bytes(HOSTILE.encode("utf-8"))
    before = registry.database.path.read_bytes()
    code = main(["import", str(path), "--db", str(registry.database.path)],
                clock=frozen_clock(EARLY), environ=ENGLISH)  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 3 and err == "" and "Traceback" not in out
    problems = [line.strip() for line in out.splitlines() if "problem:" in line]
    assert [p.split(":")[1].strip().split(",")[0] for p in problems] == [
        "row 3", "row 4", "row 5", "row 6", "row 7", "row 8",
    ]  # fmt: skip
    assert "'Atlantis' is not a Danish municipality" in out
    assert "the same e-mail as row 2" in out
    assert "wrong check digit" in out and "6 cells, but the header has 5" in out
    assert "control character" in out and "7 is not a cohort" in out
    assert "Nothing was imported" in out
    assert registry.database.path.read_bytes() == before


def test_leaving_out_the_bad_rows_imports_the_rest(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "hostile.csv"
    path.write_bytes(HOSTILE.encode("utf-8"))
    report = registry.import_registrations(path, exclude=[3, 4, 5, 6, 7, 8])
    assert report.saved and report.plan.excluded == [3, 4, 5, 6, 7, 8]
    assert [p.details.name for p in registry.snapshot().register.participants.values()] == ["Anne"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'Kommune;Navn;E-mail\r\nAarhus;"Anne;a@b.dk\r\n', "row 2: cannot be read as CSV"),
        (b"Kommune;Navn;E-mail\r\nAarhus;" + b"x" * 1_000_000 + b";a@b.dk\r\n", "row 2"),
        (b"Navn;E-mail\r\nAnne;a@b.dk\r\n", "no column for municipality"),
        (b"Kommune;Kommune;Navn;E-mail\r\n", "a second 'municipality' column"),
    ],
    ids=["unbalanced quote", "1 MB cell", "missing column", "duplicate column"],
)
def test_broken_files_give_a_clear_message(
    registry: Registry, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRejected) as caught:
        registry.import_registrations(path)
    assert any(message in str(p) for p in caught.value.report.plan.problems)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "is empty"),
        ("binary.csv", bytes(range(128, 256)) * 4, "neither UTF-8 nor Windows-1252"),
        ("fake.xlsx", b"PK\x03\x04 not really a workbook", "not a readable XLSX workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "save it as .xlsx or .csv first"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SheetError, match=message):
        read_sheet(path)


def test_size_and_row_caps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes(HEADERS_DA, ROWS * 3))
    monkeypatch.setattr(sheets, "MAX_ROWS", 10)
    with pytest.raises(SheetError, match="more than 10 rows"):
        read_sheet(path)
    monkeypatch.setattr(sheets, "MAX_BYTES", 100)
    with pytest.raises(SheetError, match="at most 0 MB"):
        read_sheet(path)


def test_a_crash_in_the_middle_saves_nothing(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(csv_bytes(HEADERS_DA, ROWS))
    before = registry.database.path.read_bytes()
    real = rules.register_directorate
    calls = []

    def second_one_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real(*args, **kwargs)

    monkeypatch.setattr(rules, "register_directorate", second_one_fails)
    with pytest.raises(RuntimeError):
        registry.import_registrations(path)
    assert registry.database.path.read_bytes() == before
    assert Repository(Database(registry.database.path)).load().participants == {}


def test_dry_run_and_template_from_the_command_line(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(registry.database.path)
    template = tmp_path / "tilmelding.xlsx"
    assert main(["import", "--template", str(template)], environ=ENGLISH) == 0
    assert read_sheet(template).headers[:3] == ["Kommune", "Hold", "Navn"]
    path = tmp_path / "sheet.csv"
    path.write_bytes(csv_bytes(HEADERS_DA, ROWS))
    before = registry.database.path.read_bytes()
    capsys.readouterr()
    code = main(["import", str(path), "--db", db, "--dry-run"], clock=frozen_clock(EARLY),
                environ=ENGLISH)  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and "Would result in:" in out and "Dry run: nothing was saved." in out
    assert registry.database.path.read_bytes() == before
    code = main(["import", str(path), "--db", db], clock=frozen_clock(EARLY), environ=ENGLISH)
    assert code == 0 and "Saved." in capsys.readouterr().out


def test_rows_without_a_cohort_take_the_option(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(csv_bytes(["kommune", "navn", "email"], [["Aarhus", "Anne", "a@aarhus.dk"]]))
    with pytest.raises(ImportRejected) as caught:
        registry.import_registrations(path)
    assert "no cohort" in str(caught.value.report.plan.problems[0])
    registry.import_registrations(path, cohort=4)
    assert [p.cohort for p in registry.snapshot().register.participants.values()] == [4]


# -- never a traceback --------------------------------------------------------------------------

cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.lists(st.lists(cells, max_size=8), max_size=8).map(
            lambda rows: "\n".join(";".join(r) for r in rows).encode("utf-8")
        ),
        st.lists(st.sampled_from(["Kommune", "Navn", "E-mail", "Hold", '"', ";", "\r\n", "Århus",
                                  "a@b.dk", "2", "\x00", "=1+1", ",", "\t"]), max_size=40).map(
            lambda parts: "".join(parts).encode("cp1252", errors="replace")
        ),
    )
)  # fmt: skip
def test_random_files_never_crash_the_importer(data: bytes) -> None:
    register = Register(programme=PROGRAMME)
    try:
        sheet = read_csv_bytes(data, "random.csv")
    except KommunestyreError:
        return
    plan = plan_import(register, sheet, default_cohort=1)
    for problem in plan.problems:
        assert str(problem)


def test_an_empty_sheet_is_not_a_silent_success(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "template.csv"
    path.write_bytes(csv_bytes(HEADERS_DA, []))
    with pytest.raises(ImportRejected) as caught:
        registry.import_registrations(path)
    assert "no rows below the header" in str(caught.value.report.plan.problems[0])


def test_an_xlsx_that_unpacks_to_too_much_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = xlsx_file(tmp_path / "sheet.xlsx", HEADERS_DA, ROWS)
    monkeypatch.setattr(sheets, "MAX_UNPACKED", 1000)
    with pytest.raises(SheetError, match="unpacks to"):
        read_sheet(path)


def _workbook_with_rows(path: Path, rows_xml: str, dimension: str = "") -> Path:
    """A minimal XLSX written by hand, to say what no spreadsheet program would."""
    import zipfile

    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{ns}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship '
        f'Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/'
        'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{ns}/spreadsheetml/2006/main">'
        f"{dimension}<sheetData>{rows_xml}</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_a_sheet_that_claims_millions_of_rows_is_read_only_as_far_as_the_cap(
    tmp_path: Path,
) -> None:
    """1.5 kB with a row numbered 20,000,000: once read as twenty million empty rows."""
    far = _workbook_with_rows(
        tmp_path / "far.xlsx",
        f'<row r="1">{cell("A1", "Kommune")}</row>'
        f'<row r="20000000">{cell("A20000000", "Aarhus")}</row>',
    )
    assert far.stat().st_size < 2000
    assert read_sheet(far).rows == []  # nothing within the cap: the import says so
    declared = _workbook_with_rows(
        tmp_path / "declared.xlsx",
        f'<row r="1">{cell("A1", "Kommune")}</row>',
        '<dimension ref="A1:C20000000"/>',
    )
    with pytest.raises(SheetError, match="declares 20,000,000 rows"):
        read_sheet(declared)
