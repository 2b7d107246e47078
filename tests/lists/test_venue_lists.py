"""Lists for the venue and the day (issue 12): the room list and diet counts read back with
openpyxl, the PDFs (badges, sign-in sheets, the participant table) read back with pypdf, from
the CLI and with every hostile name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from kommunestyre.clock import frozen_clock
from kommunestyre.domain.model import Status
from kommunestyre.domain.municipalities import by_code
from kommunestyre.errors import ValidationError
from kommunestyre.lists.listings import Selection, danish_key
from kommunestyre.lists.pdf import REPLACEMENT, printable
from kommunestyre.services.lists import export_list
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from tests.conftest import EARLY
from tests.tui.test_plain_text import hostile_values


@pytest.fixture
def repository(demo_db: Path) -> Repository:
    return Repository(Database(demo_db), clock=frozen_clock(EARLY))


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def admitted(repository: Repository, cohort: int) -> list:
    register = repository.load()
    return [
        p
        for p in register.participants.values()
        if p.cohort == cohort and p.status is Status.ADMITTED
    ]


def test_room_list_sorted_by_municipality_and_surname(
    repository: Repository, tmp_path: Path
) -> None:
    register = repository.load()
    path = tmp_path / "rooms.xlsx"
    export_list(repository, "rooms", path, Selection(cohort=1))
    sheet = load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == ["Hold", "Navn", "Kommune", "Ankomst", "Afrejse", "Enkeltværelse",
                      "Kost og tilgængelighed"]  # fmt: skip
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    people = admitted(repository, 1)
    assert sorted(r[1] for r in rows) == sorted(p.name for p in people)
    keys = [(danish_key(r[2]), danish_key(r[1].split()[-1])) for r in rows]
    assert keys == sorted(keys)
    assert rows[-1][2] == "Aabenraa"  # Danish order: "aa" is å, after z, æ and ø
    seminar = register.programme.cohort(1).seminar
    assert {(r[3], r[4]) for r in rows} == {
        (
            f"{seminar.start:%d.%m.%Y} kl. {seminar.start:%H.%M}",
            f"{seminar.end:%d.%m.%Y} kl. {seminar.end:%H.%M}",
        )
    }
    needs = {p.name: p.details.needs for p in people}
    assert all((r[6] or "") == needs[r[1]] for r in rows)


def test_diet_counts_group_the_needs_case_insensitively(
    repository: Repository, tmp_path: Path
) -> None:
    with repository.change() as change:
        people = sorted(
            (p for p in change.register.participants.values()
             if p.cohort == 2 and p.status is Status.ADMITTED),
            key=lambda p: p.id,
        )  # fmt: skip
        for p, needs in zip(
            people, ["Vegetar", "vegetar ", "VEGETAR", "  ", "Kørestol\n"], strict=False
        ):
            p.details = p.details._replace(needs=needs)
        for p in people[5:]:
            p.details = p.details._replace(needs="")
    path = tmp_path / "diets.xlsx"
    export_list(repository, "diets", path, Selection(cohort=2))
    rows = list(load_workbook(path).worksheets[0].iter_rows(min_row=2, values_only=True))
    for meeting in ("12-12-seminar", "opfølgningsdag"):
        counts = {r[2].casefold(): r[3] for r in rows if r[1] == meeting}  # one spelling shown
        assert counts == {"vegetar": 3, "kørestol": 1, "ingen": len(people) - 4}
    seminar_only = tmp_path / "seminar.csv"
    export_list(repository, "diets", seminar_only, Selection(cohort=2, meeting="seminar"))
    assert "opfølgningsdag" not in seminar_only.read_text("utf-8-sig")
    with pytest.raises(ValidationError):
        export_list(repository, "diets", seminar_only, Selection(meeting="lunch"))


@pytest.mark.parametrize("kind", ["badges", "signin", "participants"])
def test_pdfs_hold_every_admitted_name(kind: str, repository: Repository, tmp_path: Path) -> None:
    register = repository.load()
    for cohort in (1, 4):
        path = tmp_path / f"{kind}-{cohort}.pdf"
        export_list(repository, kind, path, Selection(cohort=cohort))
        assert path.read_bytes().startswith(b"%PDF")
        text = pdf_text(path)
        people = admitted(repository, cohort)
        assert people
        for p in people:
            assert p.name in text, p.name
        towns = {by_code(register.directorates[p.directorate_id].municipality_code).name
                 for p in people}  # fmt: skip
        assert all(town in text for town in towns)
    assert any(c in text for c in "æøåÆØÅ")  # the Danish letters survive


def test_signin_sheet_names_the_meeting(repository: Repository, tmp_path: Path) -> None:
    register = repository.load()
    followup = register.programme.cohort(3).followup
    path = tmp_path / "signin.pdf"
    export_list(repository, "signin", path, Selection(cohort=3, meeting="followup"))
    text = pdf_text(path)
    assert "opfølgningsdag" in text and f"{followup.start:%d.%m.%Y}" in text
    assert "Underskrift" in text


def test_printable_replaces_what_the_font_cannot_draw() -> None:
    assert printable("Søren Ærø-Åberg") == "Søren Ærø-Åberg"
    assert printable("Ole\nHansen\t") == "Ole Hansen"
    assert printable("Ole \x1b[31mRød") == f"Ole {REPLACEMENT}[31mRød"
    assert REPLACEMENT in printable("名前 🙂")


@pytest.mark.parametrize("kind", ["badges", "signin", "participants", "rooms"])
def test_pdfs_take_every_hostile_name(kind: str, repository: Repository, tmp_path: Path) -> None:
    values = hostile_values()
    with repository.change() as change:
        people = sorted(
            (p for p in change.register.participants.values() if p.status is Status.ADMITTED),
            key=lambda p: p.id,
        )
        for i, p in enumerate(people):
            value = values[i % len(values)]
            p.details = p.details._replace(name=value, title=value, needs=value)
    path = tmp_path / f"{kind}.pdf"
    export_list(repository, kind, path, Selection())
    assert len(PdfReader(path).pages) >= 1
    assert "Ole" in pdf_text(path)


def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kommunestyre", "--db", str(db), "--lang", "en", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_writes_the_venue_lists(demo_db: Path, tmp_path: Path) -> None:
    repository = Repository(Database(demo_db), clock=frozen_clock(EARLY))
    names = [p.name for p in admitted(repository, 2)]
    for args in (
        ("rooms", "--cohort", "2", "--out", str(tmp_path / "rooms.xlsx")),
        ("diets", "--cohort", "2", "--out", str(tmp_path / "diets.md")),
        ("badges", "--cohort", "2", "--out", str(tmp_path / "badges.pdf")),
        ("signin", "--cohort", "2", "--meeting", "followup", "--out", str(tmp_path / "s.pdf")),
        ("participants", "--cohort", "2", "--out", str(tmp_path / "participants.pdf")),
    ):
        result = run_cli(demo_db, "export", *args)
        assert result.returncode == 0, result.stderr
        assert "Wrote" in result.stdout
    for name in ("badges.pdf", "s.pdf", "participants.pdf"):
        text = pdf_text(tmp_path / name)
        assert all(n in text for n in names)
    assert "| ingen |" in (tmp_path / "diets.md").read_text("utf-8")
    bad = run_cli(demo_db, "export", "signin", "--meeting", "lunch", "--out", str(tmp_path / "x"))
    assert bad.returncode != 0 and "lunch" in bad.stderr


def test_pdf_library_is_loaded_only_for_a_pdf() -> None:
    probe = (
        "import sys; from kommunestyre.cli import main\n"
        "import kommunestyre.cli_lists, kommunestyre.lists.writers\n"
        "print('fpdf' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
